"""A case as the HTCDS-shaped record a referral packet carries (``lantern.exchange.htcds``
names the fields; the agreement then restricts them).

It reads the case, its encrypted person, consents, approved care plan and story, so it sits
with the transfer that sends it, above the case and protection models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.cases.models import Case, Person
from lantern.cases.services.common import birthdate_of


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
        # the band as given, when there is no exact age (an exact age is its own band)
        "ext_AgeMin": case.age_min if case.age_at_identification is None else None,
        "ext_AgeMax": case.age_max if case.age_at_identification is None else None,
        "ext_AgeEvidence": case.age_evidence,
        "vic_TraffickingStatus": case.trafficking_status,
        "vic_TraffickingStatusDecisionMakingOrg": case.trafficking_status_decided_by,
        "ext_TraffickingDeterminedOn": _iso(case.trafficking_determined_on),
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
