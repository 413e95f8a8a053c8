"""A case as an HTCDS-shaped record for a referral packet, and back.

Field names are those of docs/record-format.md (HTCDS 2.0 prefixes, ``ext_`` extensions), so
the receiving side reads a packet with the same vocabulary as an agency file. ``METADATA`` says
where the packet comes from and travels with every packet; every other field travels only if
the bilateral agreement lists it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.cases.models import Case, Person
from lantern.cases.services.common import birthdate_of

METADATA = (
    "ext_SourceCaseReference",
    "ext_Agreement",
    "cas_ReferringOrganisation",
    "cas_OutgoingReferralDate",
    "cas_ReasonForOutgoingReferral",
)

# Packet field -> how to read it from a case (identifying ones come from the encrypted Person).
CHILD_FIELDS = (
    "prs_FirstName",
    "prs_SecondName",
    "ext_Nickname",
    "prs_Birthdate",
    "ext_BirthdateEstimated",
    "prs_IdentityNumber",
    "prs_Gender",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingCity",
    "ext_StatedAge",
    "ext_AgeEvidence",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "cas_RegistrationDate",
    "cas_IntakeChannel",
    "spl_Type",
    "con_Consent",
    "con_TracingConsent",
    "hte_Events",
)


def _flag(case: Case, item: str) -> str:
    values = set(case.consents.filter(item=item).values_list("value", flat=True))
    return "no" if False in values else "yes" if True in values else ""


def _flag3(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def case_record(case: Case) -> dict[str, Any]:
    """Every child field a packet could carry, from the case and its person."""
    p: Person = case.person
    plan = case.care_plans.filter(status="approved").order_by("-version").first()
    return {
        "prs_FirstName": p.given_name,
        "prs_SecondName": p.family_name,
        "ext_Nickname": p.nickname,
        "prs_Birthdate": _iso(birthdate_of(p)),
        "ext_BirthdateEstimated": _flag3(p.birthdate_estimated),
        "prs_IdentityNumber": p.identity_number,
        "prs_Gender": case.gender or p.gender,
        "prs_Citizenship": list(p.citizenship or []),
        "prs_PrimaryLanguage": p.primary_language,
        "prs_MailingCountry": p.home_country,
        "prs_MailingState": p.home_state,
        "prs_MailingCity": p.home_city,
        "ext_StatedAge": case.age_at_identification,
        "ext_AgeEvidence": case.age_evidence,
        "vic_TraffickingStatus": case.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": case.trafficking_status_decided_by,
        "vic_TypeOfExploitation": list(case.forms_of_exploitation or []),
        "cas_RegistrationDate": case.registration_date.isoformat(),
        "cas_IntakeChannel": case.intake_channel,
        "spl_Type": list(plan.needs) if plan else [],
        "con_Consent": _flag(case, "data_processing"),
        "con_TracingConsent": _flag(case, "family_tracing"),
        "hte_Events": [
            {
                "type": e.type,
                "date": _iso(e.date) or None,
                "country": e.country,
                "state": e.state,
                "city": e.city,
                "transport": e.transport or None,
                "crossing": e.crossing or None,
            }
            for e in case.events.all()
        ],
    }


def restrict(record: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    """Only the fields the agreement allows (unknown names in ``allowed`` are ignored)."""
    return {k: v for k, v in record.items() if k in allowed}


def outside(payload: dict[str, Any], allowed: list[str]) -> list[str]:
    """Fields of a received packet that its agreement does not allow (to refuse it)."""
    return sorted(k for k in payload if k not in allowed and k not in METADATA)
