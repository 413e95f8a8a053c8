"""One case as an HTCDS 2.0 record: the row ``lantern import --format htcds`` reads back.

Field names are HTCDS 2.0's (``prs_``, ``vic_``, ``cas_``, ``con_``, ``hte_``), values the
standard's picklist values where it has one (``taxonomy.htcds``), ``ext_`` fields Lantern's
extensions, and ``agency`` / ``source_record_id`` the import key (docs/htcds.md). A field of a
tier the exporting user may not read is left out of the record altogether, never blanked, so
the file's metadata can say which fields are missing and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.accounts.policy import Tier
from lantern.cases.models import Case
from lantern.cases.services.common import birthdate_of
from lantern.taxonomy import htcds

GUARDED = htcds.GUARDED


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _flag(v: bool | None) -> str:
    return "" if v is None else "yes" if v else "no"


def _as_given(d: dt.date, precision: str) -> str:
    """A date no more precise than the source gave it (``2019``, ``2019-03``)."""
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(
        precision, d.isoformat()
    )


def _consent(case: Case, item: str) -> str:
    found = {c.value for c in case.consents.all() if c.item == item and c.value is not None}
    return "no" if False in found else "yes" if True in found else ""


def _ages(case: Case) -> dict[str, Any]:
    """An exact age as ``ext_StatedAge``; else the band (or only adult/minor) as given."""
    exact = case.age_at_identification
    return {
        "ext_StatedAge": exact,
        "ext_AgeMin": None if exact is not None else case.age_min,
        "ext_AgeMax": None if exact is not None else case.age_max,
    }


def _events(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "hte_Type": htcds.value("event_types", e.type),
            "hte_Date": _iso(e.date),
            "hte_Country": htcds.country_value(e.country) or None,
            "hte_State": e.state or None,
            "hte_City": e.city or None,
            "ext_Transport": e.transport or None,
            "ext_Crossing": e.crossing or None,
        }
        for e in case.events.all()
    ]


def _exploitations(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "form": htcds.value("exploitation_forms", x.form),
            "isic": htcds.value("isic_sections", x.isic_section) or None,
            "start": _iso(x.start),
            "end": _iso(x.end),
            "country": htcds.country_value(x.country) or None,
        }
        for x in case.exploitations.all()
    ]


def _actors(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "per_RoleInProcess": htcds.value("actor_roles", r.role),
            "ext_ActorRef": r.actor.ref,
            "ext_Relationship": htcds.value("relationship_to_trafficker", r.relationship) or None,
            "ext_NetworkRef": r.actor.network_ref or None,
        }
        for r in case.actor_roles.all()
    ]


def record(case: Case, tiers: frozenset[Tier], guarded: dict[str, Tier]) -> dict[str, Any]:
    """``case`` (its person, journey, episodes, actors and consents prefetched) as an HTCDS
    record, without the fields of ``guarded`` whose tier is not among ``tiers``."""
    p = case.person
    sections = sorted({x.isic_section for x in case.exploitations.all() if x.isic_section})
    rec: dict[str, Any] = {
        "agency": case.agency.code,
        "agency_type": htcds.value("agency_types", case.agency.type),
        "source_record_id": case.source_record_id or case.reference,
        "cas_RegistrationDate": _as_given(case.registration_date, case.registration_date_precision),
        "cas_IntakeChannel": htcds.value("intake_channels", case.intake_channel),
        "cas_Status": case.status,
        "cas_Outcome": htcds.value("case_outcomes", case.outcome),
        "prs_FirstName": p.given_name,
        "prs_SecondName": p.family_name,
        "ext_Nickname": p.nickname,
        "ext_NameScript": p.name_script,
        "prs_Birthdate": _iso(birthdate_of(p)),
        "ext_BirthdateEstimated": _flag(p.birthdate_estimated),
        "prs_IdentityNumber": p.identity_number,
        "prs_Gender": htcds.value("genders", case.gender or p.gender),
        "prs_Citizenship": [htcds.country_value(c) for c in p.citizenship or [] if c],
        "prs_PrimaryLanguage": p.primary_language,
        "prs_MailingCountry": htcds.country_value(p.home_country),
        "prs_MailingState": p.home_state,
        "prs_MailingCity": p.home_city,
        "prs_MailingStreet": p.address,
        **_ages(case),
        "ext_AgeEvidence": htcds.value("age_evidence", case.age_evidence),
        "ext_DocumentedAge": case.documented_age,
        "vic_AgeWhenTrafficked": case.age_at_recruitment,
        "vic_TraffickingStatus": htcds.value("trafficking_statuses", case.trafficking_status),
        "vic_TraffickingStatusDecisionMakingOrg": htcds.value(
            "decision_orgs", case.trafficking_status_decided_by
        ),
        "vic_RelationshipToTrafficker": htcds.value(
            "relationship_to_trafficker", case.relationship_to_trafficker
        ),
        "vic_MethodOfRecruitment": htcds.value("recruitment_methods", case.method_of_recruitment),
        "vic_MethodsOfControl": htcds.values("control_methods", case.methods_of_control),
        "vic_TypeOfExploitation": htcds.values("exploitation_forms", case.forms_of_exploitation),
        "vic_ForcedLabourIndustry": htcds.values("isic_sections", sections),
        "vic_TypeOfSexExploitation": htcds.values(
            "sex_exploitation_types", case.sex_exploitation_types
        ),
        "ext_Vulnerabilities": htcds.values("vulnerability_factors", case.vulnerabilities),
        "ext_Smuggled": _flag(case.smuggled),
        "con_Consent": _consent(case, "data_processing"),
        "con_TracingConsent": _consent(case, "family_tracing"),
        "hte_Events": _events(case),
        "ext_Exploitations": _exploitations(case),
        "per_Actors": _actors(case),
    }
    for name, tier in guarded.items():
        if tier not in tiers:
            del rec[name]
    return rec
