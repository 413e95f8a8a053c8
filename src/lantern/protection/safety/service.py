"""Safety first: the risk assessment, safe places and placements (ETH-03, ETH-04, ETH-06).

A shelter's address is highly sensitive: traffickers look for the places that hide the
children they lost. It is shown only to a user who reads highly sensitive data AND needs it:
staff of the agency running the place, or the team of a child placed there now. Every read of
it is audited; nobody else learns even that a hidden address exists beyond "withheld".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import choice, codes, guard, now, require, text, today
from lantern.errors import Invalid, Refused
from lantern.protection.safety.models import (
    Level,
    Placement,
    RiskAssessment,
    SafePlace,
    SafePlaceKind,
)

LEVELS = tuple(Level.values)


def assess_risk(
    user: Any,
    case: Case,
    *,
    immediate_needs: Sequence[str],
    risk_to_child: str,
    risk_to_family: str,
    risk_to_helpers: str,
    family_involved: bool | None,
    notes: str = "",
    source: str = "",
) -> RiskAssessment:
    """Record immediate needs and the reprisal risks to the child, the family and the helpers.

    The overall level is the highest of the three (a known family part in the trafficking makes
    it at least high: the family may pass the child's whereabouts on, ETH-07).
    """
    guard(user, case, "protect")
    risks = [
        choice(risk_to_child, LEVELS, "risk_to_child"),
        choice(risk_to_family, LEVELS, "risk_to_family"),
        choice(risk_to_helpers, LEVELS, "risk_to_helpers"),
    ]
    order = {"unknown": 0, "low": 1, "medium": 2, "high": 3}
    level = max(risks, key=order.__getitem__)
    if family_involved:
        level = "high"
    row = RiskAssessment.objects.create(
        case=case,
        immediate_needs=codes("support_types", immediate_needs, "immediate_needs"),
        risk_to_child=risks[0],
        risk_to_family=risks[1],
        risk_to_helpers=risks[2],
        family_involved=family_involved,
        level=level,
        notes=text(notes, "notes", max_length=4000),
        assessed_by=user,
        assessed_at=now(),
    )
    audit.record(
        user, "create", "risk_assessment", row.pk, reason=f"case {case.reference}", source=source
    )
    return row


def latest_risk(case: Case) -> RiskAssessment | None:
    return case.risk_assessments.order_by("-assessed_at", "-id").first()


def risk_view(r: RiskAssessment, sensitive: bool) -> dict[str, Any]:
    """A risk assessment as the case page and the API show it; notes only to readers of the
    highly sensitive tier (``sensitive``)."""
    return {
        "id": r.pk,
        "immediate_needs": r.immediate_needs,
        "risk_to_child": r.risk_to_child,
        "risk_to_family": r.risk_to_family,
        "risk_to_helpers": r.risk_to_helpers,
        "family_involved": r.family_involved,
        "level": r.level,
        "notes": r.notes if sensitive else None,
        "assessed_at": r.assessed_at,
    }


def create_safe_place(
    user: Any,
    *,
    name: str,
    kind: str,
    address: str,
    capacity: int | None = None,
    source: str = "",
) -> SafePlace:
    """A shelter or safe room run by the user's agency; its address is encrypted at rest."""
    require(user, "safe_place", "manage", _("manage safe places"))
    if user.agency_id is None:
        raise Invalid(_("your account belongs to no agency"), "agency")
    place = SafePlace.objects.create(
        name=text(name, "name", required=True, max_length=200),
        kind=choice(kind, SafePlaceKind.values, "kind"),
        agency_id=user.agency_id,
        address=text(address, "address", required=True, max_length=500),
        capacity=capacity,
    )
    audit.record(user, "create", "safe_place", place.pk, ["address"], source=source)
    return place


def may_see_location(user: Any, place: SafePlace) -> bool:
    """Need to know: highly sensitive tier, and the policy's ("safe_place", "locate") scope
    (the place's own agency, or a child placed there now whose case the user may view)."""
    if not policy.may_read(user, Tier.HIGHLY_SENSITIVE):
        return False
    return policy.scoped_get(user, "safe_place", "locate", place.pk) is not None


def place_view(user: Any, place: SafePlace, source: str = "") -> dict[str, Any]:
    """A safe place as the user may see it: the address only on a need to know, audited."""
    shown = may_see_location(user, place)
    if shown:
        audit.record(
            user,
            "read",
            "safe_place",
            place.pk,
            ["address"],
            reason="shelter location",
            source=source,
        )
    return {
        "id": place.pk,
        "name": place.name,
        "kind": place.kind,
        "agency": place.agency.code,
        "capacity": place.capacity,
        "address": place.address if shown else None,
        "address_withheld": not shown,
    }


def place(
    user: Any,
    case: Case,
    place_id: int,
    *,
    start: dt.date | None = None,
    source: str = "",
) -> Placement:
    """Place the child in a safe place (ending any current placement the day before)."""
    guard(user, case, "protect")
    if not case.risk_assessments.exists():
        raise Refused(_("a risk assessment must be recorded before the child is placed"))
    # Only a place the user's agency runs: another agency's shelter is answered like a place
    # that does not exist (placing a child there would reveal its address, ETH-04).
    sp = policy.scoped_get(user, "safe_place", "use", place_id)
    if sp is None:
        raise Invalid(_("place: no safe place %(id)s") % {"id": place_id}, "place")
    start = start or today()
    with transaction.atomic():
        for current in case.placements.filter(end__isnull=True):
            if start < current.start:
                raise Invalid(_("start: before the current placement began"), "start")
            current.end = start
            current.save(update_fields=["end"])
        row = Placement.objects.create(case=case, place=sp, start=start, placed_by=user)
        audit.record(
            user, "create", "placement", row.pk, reason=f"case {case.reference}", source=source
        )
    return row


def end_placement(user: Any, case: Case, *, end: dt.date | None = None, source: str = "") -> int:
    """End the current placement (the child left care, returned home or was transferred)."""
    guard(user, case, "protect")
    end = end or today()
    n = case.placements.filter(end__isnull=True).update(end=end)
    if n:
        audit.record(user, "update", "placement", case.reference, ["end"], source=source)
    return n


def placements_view(user: Any, case: Case, source: str = "") -> list[dict[str, Any]]:
    """A case's placements; each place's address by ``place_view``'s rule."""
    policy.get_or_404(user, "case", "view", case.pk)
    return [
        {
            "id": p.pk,
            "start": p.start.isoformat(),
            "end": p.end.isoformat() if p.end else None,
            "place": place_view(user, p.place, source),
        }
        for p in case.placements.select_related("place", "place__agency")
    ]
