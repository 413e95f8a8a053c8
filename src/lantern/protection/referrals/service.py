"""Referrals to other organisations: consent checked on the server, minimum necessary data.

The consent basis a request names is checked against what is recorded (``policy.may_refer``):
a caseworker cannot talk the server into an override. The referral stores which fields it
shares, and the receiving organisation's view of it (``referral_packet``) holds exactly those
fields: nothing about the case it was not given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import birthdate_of, codes, guard, now, text, today
from lantern.directory import service as directory
from lantern.directory.models import EntryStatus, OrganisationService
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection.referrals.models import ChildField, Referral, ReferralStatus


def _approved_needs(case: Case) -> list[str]:
    plan = case.care_plans.filter(status="approved").order_by("-version").first()
    return list(plan.needs) if plan else []


def _risk_level(case: Case) -> str:
    risk = case.risk_assessments.order_by("-assessed_at", "-id").first()
    return risk.level if risk else ""


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# What a referral may share, field by field; the name is what the receiver sees.
SHAREABLE: dict[str, Callable[[Case], Any]] = {
    ChildField.GIVEN_NAME: lambda c: c.person.given_name,
    ChildField.FAMILY_NAME: lambda c: c.person.family_name,
    ChildField.NICKNAME: lambda c: c.person.nickname,
    ChildField.BIRTHDATE: lambda c: _iso(birthdate_of(c.person)),
    ChildField.IDENTITY_NUMBER: lambda c: c.person.identity_number,
    ChildField.CONTACT: lambda c: c.person.contact,
    ChildField.HOME_CITY: lambda c: c.person.home_city,
    ChildField.HOME_STATE: lambda c: c.person.home_state,
    ChildField.HOME_COUNTRY: lambda c: c.person.home_country,
    ChildField.PRIMARY_LANGUAGE: lambda c: c.person.primary_language,
    ChildField.CITIZENSHIP: lambda c: list(c.person.citizenship or []),
    ChildField.GENDER: lambda c: c.gender,
    ChildField.AGE: lambda c: c.age_at_identification,
    ChildField.AGE_EVIDENCE: lambda c: c.age_evidence,
    ChildField.TRAFFICKING_STATUS: lambda c: c.trafficking_status,
    ChildField.FORMS_OF_EXPLOITATION: lambda c: list(c.forms_of_exploitation or []),
    ChildField.CARE_NEEDS: _approved_needs,
    ChildField.RISK_LEVEL: _risk_level,
}


def create(
    user: Any,
    case: Case,
    *,
    organisation: int | None = None,
    services: Sequence[str],
    fields_shared: Sequence[str],
    consent_basis: str,
    due_date: dt.date,
    override_reason: str = "",
    source: str = "",
    service: int | None = None,
) -> Referral:
    """Refer the child for ``services`` to an organisation, or to one of the directory's
    approved services (its organisation receives it); refused unless the consent basis holds."""
    guard(user, case, "refer")
    decision = policy.may_refer(user, case, consent_basis, override_reason)
    if not decision:
        raise NotAllowed(_("referral refused: %(why)s") % {"why": decision.reason}, "consent_basis")
    offer = _service(user, service)
    if offer is not None and organisation not in (None, offer.organisation_id):
        raise Invalid(_("service: a service of another organisation"), "service")
    org = offer.organisation if offer else None
    if org is None and organisation is None:
        raise Invalid(_("organisation: choose an organisation or a service"), "organisation")
    org = org or policy.scoped_get(user, "organisation", "view", organisation)
    if org is None:
        raise Invalid(
            _("organisation: no organisation %(id)s") % {"id": organisation}, "organisation"
        )
    unknown = [f for f in fields_shared if f not in SHAREABLE]
    if unknown:
        raise Invalid(
            _("fields_shared: %(bad)s cannot be shared; shareable: %(ok)s")
            % {"bad": ", ".join(unknown), "ok": ", ".join(SHAREABLE)},
            "fields_shared",
        )
    if due_date < today():
        raise Invalid(_("due_date: cannot be in the past"), "due_date")
    override = consent_basis == "override"
    ref = Referral.objects.create(
        case=case,
        organisation=org,
        service=offer,
        services=codes(
            "support_types",
            list(services) or ([offer.support_type] if offer else []),
            "services",
            required=True,
        ),
        fields_shared=list(dict.fromkeys(fields_shared)),
        consent_basis=consent_basis,
        override_reason=override_reason.strip() if override else "",
        override_by=user if override else None,
        requested_by=user,
        requested_at=now(),
        due_date=due_date,
    )
    audit.record(
        user,
        "create",
        "referral",
        ref.pk,
        ref.fields_shared,
        reason=f"referral {ref.pk}: case {case.reference} to {org.name}; {decision.reason}",
        source=source,
    )
    return ref


def _service(user: Any, pk: int | None) -> OrganisationService | None:
    """The directory's approved service ``pk`` (one the user sees), or None if none is named."""
    if pk is None:
        return None
    found = directory.listed(user, "service").filter(
        status=EntryStatus.APPROVED, organisation__status=EntryStatus.APPROVED
    )
    in_range = 0 < pk <= policy.MAX_ID  # beyond a database integer: names nothing
    offer = found.select_related("organisation").filter(pk=pk).first() if in_range else None
    if offer is None:
        raise Invalid(_("service: no approved service %(id)s") % {"id": pk}, "service")
    return offer


def services_for_case(user: Any, case: Case) -> list[OrganisationService]:
    """The directory's approved services that fit the child: its approved plan's needs (any
    while none is approved), its sex, age, forms of exploitation and home province."""
    person = case.person
    area = f"{person.home_country}/{person.home_state}" if person.home_state else ""
    return directory.services_for(
        user,
        needs=_approved_needs(case),
        sex=case.gender,
        age=case.age_at_identification,
        forms=list(case.forms_of_exploitation or []),
        area=area or person.home_country,
    )


def _may_answer(user: Any, ref: Referral) -> bool:
    """The receiving organisation's staff, or the referring team recording an external
    organisation's answer (one with no account here): the policy's ("referral", "respond")."""
    return policy.scoped_get(user, "referral", "respond", ref.pk) is not None


def _visible(user: Any, ref: Referral) -> None:
    policy.get_or_404(user, "referral", "view", ref.pk)


def respond(
    user: Any, ref: Referral, *, accept: bool, reason: str = "", source: str = ""
) -> Referral:
    """Accept or decline a requested referral; a decline needs its reason."""
    _visible(user, ref)
    if not _may_answer(user, ref):
        raise NotAllowed(_("only the receiving organisation answers this referral"))
    if ref.status != ReferralStatus.REQUESTED:
        raise Refused(
            _("the referral is %(status)s; only a requested referral is answered")
            % {"status": ref.status}
        )
    reason = text(reason, "reason", required=not accept)
    ref.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    ref.responded_at, ref.response_reason = now(), reason
    ref.save(update_fields=["status", "responded_at", "response_reason"])
    audit.record(
        user,
        "update",
        "referral",
        ref.pk,
        ["status"],
        reason=f"referral {ref.pk} {ref.status}",  # the reason stays, encrypted, on the referral
        source=source,
    )
    return ref


def complete(user: Any, ref: Referral, *, note: str, source: str = "") -> Referral:
    """Record that the accepted services were delivered."""
    _visible(user, ref)
    if not _may_answer(user, ref):
        raise NotAllowed(_("only the receiving organisation completes this referral"))
    if ref.status != ReferralStatus.ACCEPTED:
        raise Refused(
            _("the referral is %(status)s; only an accepted referral is completed")
            % {"status": ref.status}
        )
    ref.status, ref.completed_at = ReferralStatus.COMPLETED, now()
    ref.completion_note = text(note, "note", required=True)
    ref.save(update_fields=["status", "completed_at", "completion_note"])
    audit.record(user, "update", "referral", ref.pk, ["status"], reason="completed", source=source)
    return ref


def referral_packet(user: Any, ref: Referral, source: str = "") -> dict[str, Any]:
    """What the receiving organisation sees: the request and only the shared fields."""
    _visible(user, ref)
    if not _may_answer(user, ref) and not policy.case_allows(user, "refer", ref.case):
        raise NotAllowed(
            _("only the receiving organisation or the referring team reads the packet")
        )
    case = ref.case
    child = {f: SHAREABLE[f](case) for f in ref.fields_shared if f in SHAREABLE}
    audit.record(
        user,
        "read",
        "referral",
        ref.pk,
        ref.fields_shared,
        reason=f"referral packet for {ref.organisation.name}",
        source=source,
    )
    return {
        "referral": ref.pk,
        "case_reference": case.reference,
        "organisation": ref.organisation.name,
        "services": ref.services,
        "due_date": ref.due_date.isoformat(),
        "status": ref.status,
        "consent_basis": ref.consent_basis,
        "child": child,
    }


def referral_view(ref: Referral, on: dt.date | None = None) -> dict[str, Any]:
    """A referral's workflow facts (no child data), for case pages and work lists."""
    return {
        "id": ref.pk,
        "case": ref.case_id,
        "organisation": ref.organisation.name,
        "service": ref.service.name if ref.service else None,
        "services": ref.services,
        "fields_shared": ref.fields_shared,
        "consent_basis": ref.consent_basis,
        "override_reason": ref.override_reason,
        "status": ref.status,
        "requested_at": ref.requested_at.isoformat(),
        "due_date": ref.due_date.isoformat(),
        "overdue": ref.is_overdue(on or today()),
        "response_reason": ref.response_reason,
        "completion_note": ref.completion_note,
    }
