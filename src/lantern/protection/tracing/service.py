"""Family tracing and the family assessment that must precede reunification (CASE-37, CASE-55).

A relative's tracing request is compared only with children who consented to tracing (and
did not refuse it): a trafficker can pose as a parent, so a child who said no is never offered
as a candidate. Candidates come side by side with the request, field by field, for a person to
confirm or reject; nothing is matched automatically.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import Case, Level
from lantern.cases.services.common import birthdate_of, choice, guard, now, require, text
from lantern.errors import Invalid, Refused
from lantern.protection.intake.service import normalise_name
from lantern.protection.tracing.models import (
    FamilyAssessment,
    FamilyDecision,
    Relation,
    TracingRequest,
    TracingStatus,
)

RELATIONS = tuple(Relation.values)


def family_view(f: FamilyAssessment, sensitive: bool) -> dict[str, Any]:
    """A family assessment as the case page and the API show it; findings only to readers of
    the highly sensitive tier (``sensitive``)."""
    return {
        "id": f.pk,
        "safe": f.safe,
        "family_rejects_child": f.family_rejects_child,
        "family_involved": f.family_involved,
        "retrafficking_risk": f.retrafficking_risk,
        "decision": f.decision,
        "findings": f.findings if sensitive else None,
        "assessed_at": f.assessed_at,
    }


def create_request(
    user: Any,
    *,
    requester_relation: str,
    requester_name: str,
    requester_contact: str = "",
    sought_given_name: str = "",
    sought_family_name: str = "",
    sought_birth_year: int | None = None,
    sought_home: str = "",
    source: str = "",
) -> TracingRequest:
    """Register a relative's request to find a child."""
    require(user, "tracing", "manage", _("manage tracing requests"))
    if user.agency_id is None:
        raise Invalid(_("your account belongs to no agency"), "agency")
    if not (sought_given_name.strip() or sought_family_name.strip()):
        raise Invalid(
            _("sought_given_name: a name of the child sought is required"), "sought_given_name"
        )
    if sought_birth_year is not None and not 1990 <= sought_birth_year <= now().year:
        raise Invalid(_("sought_birth_year: not a plausible year"), "sought_birth_year")
    req = TracingRequest.objects.create(
        agency_id=user.agency_id,
        requester_relation=choice(requester_relation, RELATIONS, "requester_relation"),
        requester_name=text(requester_name, "requester_name", required=True, max_length=200),
        requester_contact=text(requester_contact, "requester_contact", max_length=200),
        sought_given_name=text(sought_given_name, "sought_given_name", max_length=200),
        sought_family_name=text(sought_family_name, "sought_family_name", max_length=200),
        sought_birth_year=sought_birth_year,
        sought_home=text(sought_home, "sought_home", max_length=200),
        created_by=user,
        created_at=now(),
    )
    audit.record(user, "create", "tracing_request", req.pk, source=source)
    return req


def get_request(user: Any, pk: int) -> TracingRequest:
    """A request of the user's agency, or 404."""
    require(user, "tracing", "manage", _("manage tracing requests"))
    req: TracingRequest = policy.get_or_404(user, "tracing", "manage", pk)
    return req


def _same(a: str, b: str) -> bool | None:
    a, b = normalise_name(a), normalise_name(b)
    return None if not a or not b else a == b


def candidates(user: Any, req: TracingRequest, source: str = "") -> list[dict[str, Any]]:
    """Consenting children in the user's scope sharing a name with the request, side by side.

    A candidate needs the family name (or, when none was given, the given name) to agree; a
    birth year given must agree within one year. Decrypts the scoped, consenting cases only.
    """
    pool = policy.consented(policy.scope_cases(user, "view"), "family_tracing")
    pool = pool.exclude(pk__in=req.rejected_cases).select_related("person")
    out: list[dict[str, Any]] = []
    for case in pool:
        p = case.person
        born = birthdate_of(p)
        family = _same(req.sought_family_name, p.family_name)
        given = _same(req.sought_given_name, p.given_name)
        year = None
        if req.sought_birth_year and born:
            year = abs(req.sought_birth_year - born.year) <= 1
        key = family if family is not None else given
        if not key or year is False:
            continue
        out.append(
            {
                "case_id": case.pk,
                "reference": case.reference,
                "agreement": {"family_name": family, "given_name": given, "birth_year": year},
                "request": {
                    "given_name": req.sought_given_name,
                    "family_name": req.sought_family_name,
                    "birth_year": req.sought_birth_year,
                    "home": req.sought_home,
                },
                "child": {
                    "given_name": p.given_name,
                    "family_name": p.family_name,
                    "birth_year": born.year if born else None,
                    "home": ", ".join(x for x in (p.home_city, p.home_state) if x),
                },
            }
        )
    audit.record(
        user,
        "read",
        "tracing_request",
        req.pk,
        ["given_name", "family_name", "birthdate", "home_city"],
        reason=f"tracing candidates: {len(out)}",
        source=source,
    )
    out.sort(key=lambda c: sum(1 for v in c["agreement"].values() if v), reverse=True)
    return out


def decide(
    user: Any, req: TracingRequest, case_id: int, *, confirm: bool, reason: str, source: str = ""
) -> TracingRequest:
    """Confirm a candidate as the child sought, or reject it (it is not offered again)."""
    reason = text(reason, "reason", required=True)
    if req.status != TracingStatus.OPEN:
        raise Refused(_("the request is %(status)s") % {"status": req.status})
    allowed = policy.consented(policy.scope_cases(user, "view"), "family_tracing")
    if not allowed.filter(pk=case_id).exists():
        raise Refused(_("that case is not a candidate: out of scope or no consent to tracing"))
    with transaction.atomic():
        if confirm:
            req.status, req.matched_case_id = TracingStatus.MATCHED, case_id
        else:
            req.rejected_cases = [*req.rejected_cases, case_id]
        req.decision_reason, req.decided_by, req.decided_at = reason, user, now()
        req.save()
        audit.record(
            user,
            "confirm" if confirm else "reject",
            "tracing_request",
            req.pk,
            ["matched_case"],
            reason=f"case {case_id}: tracing request {req.pk} decided",  # its reason stays there
            source=source,
        )
    return req


def assess_family(
    user: Any,
    case: Case,
    *,
    safe: bool | None,
    family_rejects_child: bool | None,
    family_involved: bool | None,
    retrafficking_risk: str,
    decision: str,
    findings: str = "",
    source: str = "",
) -> FamilyAssessment:
    """Record the family assessment. Reunification is refused when the family is not known to
    be safe, rejects the child, took part in the trafficking or the re-trafficking risk is high:
    the decision must then be alternative care (CASE-37, CASE-39, ETH-07)."""
    guard(user, case, "protect")
    risk = choice(retrafficking_risk, tuple(Level.values), "retrafficking_risk")
    decision = choice(decision, tuple(FamilyDecision.values), "decision")
    if decision == FamilyDecision.REUNIFY:
        blockers = [
            why
            for why, blocks in (
                (_("the family is not assessed as safe"), safe is not True),
                (_("the family rejects the child"), family_rejects_child is True),
                (_("the family took part in the trafficking"), family_involved is True),
                (_("the re-trafficking risk is high"), risk == Level.HIGH),
            )
            if blocks
        ]
        if blockers:
            raise Refused(
                _("reunification refused: %(why)s (plan alternative care)")
                % {"why": "; ".join(blockers)}
            )
    row = FamilyAssessment.objects.create(
        case=case,
        safe=safe,
        family_rejects_child=family_rejects_child,
        family_involved=family_involved,
        retrafficking_risk=risk,
        findings=text(findings, "findings", max_length=8000),
        decision=decision,
        assessed_by=user,
        assessed_at=now(),
    )
    audit.record(
        user,
        "create",
        "family_assessment",
        row.pk,
        reason=f"case {case.reference}: {decision}",
        source=source,
    )
    return row
