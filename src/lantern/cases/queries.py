"""Reading cases through the policy layer: filtered lists and tier-aware detail."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import FilterLookup, FilterSchema

from lantern.accounts import policy
from lantern.accounts.models import Agency
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case, Exploitation
from lantern.edges.bounds import Code, optional_date
from lantern.errors import Invalid, NotFound

IDENTIFYING_FIELDS = (
    "given_name",
    "family_name",
    "nickname",
    "birthdate",
    "identity_number",
    "contact",
    "address",
    "home_city",
)


class CaseFilters(FilterSchema):
    """A case list's filters, for the API's query and the list page's form alike; each one
    left out (or empty) filters nothing."""

    status: Annotated[Code | None, FilterLookup("status")] = None
    agency: Annotated[Code | None, FilterLookup("agency__code")] = None
    registered_from: Code | None = None
    registered_to: Code | None = None
    form: Code | None = None
    citizenship: Code | None = None
    gender: Annotated[Code | None, FilterLookup("gender")] = None
    age_group: Annotated[Code | None, FilterLookup("age_group")] = None
    owner: Code | None = None  # "me", "none" (no owner yet) or a staff member's number

    @classmethod
    def from_mapping(cls, data: Any) -> CaseFilters:
        """From a form's or a query's values, an empty value as none."""
        return cls.model_validate({k: data.get(k) or None for k in cls.model_fields})

    def filter_registered_from(self, value: str | None) -> Q:
        day = optional_date("registered_from", value)
        return Q(registration_date__gte=day) if day else Q()

    def filter_registered_to(self, value: str | None) -> Q:
        day = optional_date("registered_to", value)
        return Q(registration_date__lte=day) if day else Q()

    def filter_form(self, value: str | None) -> Q:
        if not value:
            return Q()
        return Q(Exists(Exploitation.objects.filter(case=OuterRef("pk"), form=value)))

    def filter_citizenship(self, value: str | None) -> Q:
        return Q(citizenship=value.upper()) if value else Q()

    def filter_owner(self, value: str | None) -> Q:
        if not value:
            return Q()
        if value == "none":
            return Q(owner__isnull=True)
        if value.isdigit() and len(value) < 19:
            return Q(owner_id=int(value))
        raise Invalid(_("owner: 'me', 'none' or a staff member's number"), "owner")


def case_list(user: Any, filters: CaseFilters) -> QuerySet[Case]:
    if filters.owner == "me":  # the one filter that depends on who asks
        filters = filters.model_copy(update={"owner": str(user.pk)})
    qs = policy.scope_cases(user, "list").select_related("agency")
    return filters.filter(qs).order_by("-registration_date", "-id")


def listed_agencies(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the agencies whose cases the user may list, by name: the list's
    agency filter offers these."""
    listed = policy.scope_cases(user, "list").values("agency_id")
    rows = Agency.objects.filter(pk__in=listed).order_by("name").values_list("code", "name")
    return [(code, name) for code, name in rows]


def case_summary(case: Case) -> dict[str, Any]:
    """The non-identifying line of a case list."""
    return {
        "id": case.pk,
        "reference": case.reference,
        "agency": case.agency.code,
        "registration_date": case.registration_date.isoformat(),
        "registration_date_precision": case.registration_date_precision,
        "status": case.status,
        "state": case.state,
        "trafficking_status": case.trafficking_status,
        "gender": case.gender,
        "age_at_identification": case.age_at_identification,
        "age_min": case.age_min,
        "age_max": case.age_max,
        "age_group": case.age_group,
        "age_evidence": case.age_evidence,
        "citizenship": case.citizenship,
        "primary_form": case.primary_form,
    }


def audit_names(user: Any, cases: list[Case], reason: str, source: str = "") -> None:
    """One read entry per child whose name a list shows, so each child's access log lists it."""
    audit.record_many(
        user,
        [
            audit.Pending(
                "read", "person", str(c.person.key), ("given_name", "family_name"), reason
            )
            for c in cases
        ],
        source=source,
    )


def names_of(user: Any, cases: list[Case], source: str = "") -> dict[int, str]:
    """Case id -> the child's name, for a list shown to a role that reads identities (the
    policy's identity rule, as ``case_detail``'s ``person``), each read audited; empty for
    any other role. ``cases`` come from the user's scope, with their person selected."""
    if not policy.may_read(user, Tier.IDENTIFYING) or not cases:
        return {}
    audit_names(user, cases, "case list", source)
    return {
        c.pk: " ".join(n for n in (c.person.given_name, c.person.family_name) if n) for c in cases
    }


def get_case(user: Any, pk: int, action: str = "view") -> Case:
    """The case, or 404 when it does not exist *or* is outside the user's scope."""
    case: Case = policy.get_or_404(user, "case", action, pk)
    return case


def case_detail(user: Any, case: Case, source: str = "") -> dict[str, Any]:
    """Everything about a case that the user's tiers allow; reading identity is audited."""
    data = case_summary(case)
    data.update(
        {
            "intake_channel": case.intake_channel,
            "outcome": case.outcome,
            "trafficking_status_decided_by": case.trafficking_status_decided_by,
            "trafficking_determined_on": (
                case.trafficking_determined_on.isoformat()
                if case.trafficking_determined_on
                else None
            ),
            "trafficking_determination_source": case.trafficking_determination_source,
            "age_at_recruitment": case.age_at_recruitment,
            "age_at_exploitation": case.age_at_exploitation,
            "documented_age": case.documented_age,
            "method_of_recruitment": case.method_of_recruitment,
            "methods_of_control": case.methods_of_control,
            "forms_of_exploitation": case.forms_of_exploitation,
            "vulnerabilities": case.vulnerabilities,
            "smuggled": case.smuggled,
            "relationship_to_trafficker": case.relationship_to_trafficker,
            "events": [
                {
                    "seq": e.seq,
                    "type": e.type,
                    "date": e.date.isoformat() if e.date else None,
                    "country": e.country,
                    "state": e.state,
                    "city": e.city,
                    "transport": e.transport,
                    "crossing": e.crossing,
                }
                for e in case.events.all()
            ],
            "exploitations": [
                {
                    "seq": x.seq,
                    "form": x.form,
                    "isic_section": x.isic_section,
                    "start": x.start.isoformat() if x.start else None,
                    "end": x.end.isoformat() if x.end else None,
                    "country": x.country,
                }
                for x in case.exploitations.all()
            ],
            "actors": [
                {
                    "actor": r.actor.ref,
                    "network": r.actor.network_ref,
                    "role": r.role,
                    "relationship": r.relationship,
                }
                for r in case.actor_roles.select_related("actor").all()
            ],
            "consents": [
                {"item": c.item, "value": c.value, "given_by": c.given_by}
                for c in case.consents.all()
            ],
            "person": None,
        }
    )
    if not policy.may_read(user, Tier.STANDARD):
        raise NotFound("No such case")
    if policy.may_read(user, Tier.HIGHLY_SENSITIVE) is False:
        data["sex_exploitation_types"] = None
    else:
        data["sex_exploitation_types"] = case.sex_exploitation_types
    if policy.may_read(user, Tier.IDENTIFYING):
        p = case.person
        data["person"] = {
            "key": str(p.key),
            "given_name": p.given_name,
            "family_name": p.family_name,
            "nickname": p.nickname,
            "name_script": p.name_script,
            "birthdate": str(p.birthdate) if p.birthdate else None,  # a date: str() is ISO
            "birthdate_estimated": p.birthdate_estimated,
            "identity_number": p.identity_number,
            "home_city": p.home_city,
            "home_state": p.home_state,
            "home_country": p.home_country,
            "citizenship": p.citizenship,
            "primary_language": p.primary_language,
        }
        audit.record(
            user,
            "read",
            "person",
            p.key,
            IDENTIFYING_FIELDS,
            source=source,
            reason=f"case {case.reference}",
        )
    return data
