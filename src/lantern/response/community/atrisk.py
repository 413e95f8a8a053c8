"""The at-risk register: children referred for prevention services (school, livelihood support
for the family) before anyone trafficked them, and their follow-up visits.

A child is kept only with recorded consent: the child's assent or a guardian's consent, who gave
it and when. Without it the register refuses the child; when consent is withdrawn the child's
record is erased, visits and schooling with it. Only the roles the policy names read it
(``RULES`` ("atrisk", "view")), names by tier, and every read is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.services.common import codes, now, require, text
from lantern.edges.bounds import AGE_MAX, NAME_MAX
from lantern.errors import Invalid, Refused
from lantern.response.community.common import NOTES_MAX, agency_of, choices, past_date
from lantern.response.community.models import (
    AtRiskChild,
    ConsentBy,
    PreventionService,
    PreventionVisit,
    RiskFactor,
    VisitOutcome,
)

NAMES = ["given_name", "family_name", "community"]


@dataclass(frozen=True)
class Referral:
    """A child referred to the register, as the page and the API give it."""

    given_name: str = ""
    family_name: str = ""
    community: str = ""
    district: str = ""
    age: int | None = None
    gender: str = ""
    risk_factors: Sequence[str] = ()
    services: Sequence[str] = ()
    notes: str = ""
    consent_by: str = ""
    consent_on: dt.date | None = None


def _consent(r: Referral) -> tuple[str, dt.date]:
    if not r.consent_by:
        raise Refused(
            _(
                "The register keeps a child only with recorded consent: ask for the child's "
                "assent or a guardian's consent, then say who gave it and when."
            ),
            "consent_by",
        )
    if r.consent_by not in ConsentBy.values:
        raise Invalid(
            _("consent_by: %(value)s is not one of %(allowed)s")
            % {"value": repr(r.consent_by), "allowed": ", ".join(ConsentBy.values)},
            "consent_by",
        )
    on = past_date(r.consent_on, "consent_on")
    return r.consent_by, on


def register(user: Any, r: Referral, source: str = "") -> AtRiskChild:
    """Put a child on the register; refused without recorded consent."""
    require(user, "atrisk", "manage", _("keep the at-risk register"))
    agency = agency_of(user)
    consent_by, consent_on = _consent(r)
    given = text(r.given_name, "given_name", required=True, max_length=NAME_MAX)
    if r.age is not None and not 0 <= r.age <= min(AGE_MAX, 17):
        raise Invalid(_("age: a child's age, from 0 to 17"), "age")
    gender = codes("genders", [r.gender], "gender")[0] if r.gender else ""
    row = AtRiskChild.objects.create(
        agency_id=agency,
        given_name=given,
        family_name=text(r.family_name, "family_name", max_length=NAME_MAX),
        community=text(r.community, "community", max_length=NAME_MAX),
        district=text(r.district, "district", required=True, max_length=NAME_MAX),
        age=r.age,
        gender=gender,
        risk_factors=choices(r.risk_factors, RiskFactor, "risk_factors"),
        services=choices(r.services, PreventionService, "services", required=True),
        notes=text(r.notes, "notes", max_length=NOTES_MAX),
        consent_by=consent_by,
        consent_on=consent_on,
        referred_by=user,
        referred_at=now(),
    )
    audit.record(
        user,
        "create",
        "atrisk",
        row.pk,
        [*NAMES, "services"],
        reason=f"at-risk register: consent by {consent_by} on {consent_on.isoformat()}",
        source=source,
    )
    return row


def register_rows(user: Any) -> QuerySet[AtRiskChild]:
    """The children the user may read, newest first (RULES atrisk view)."""
    require(user, "atrisk", "view", _("read the at-risk register"))
    return policy.scoped(user, "atrisk", "view").select_related("agency")


def listed(user: Any, rows: Sequence[AtRiskChild], source: str = "") -> list[dict[str, Any]]:
    """The register's rows as shown, names for readers of identities; the read is audited."""
    names = policy.may_read(user, Tier.IDENTIFYING)
    if names and rows:
        audit.record(
            user,
            "read",
            "atrisk",
            "",
            NAMES[:2],
            reason=f"at-risk register: {len(rows)} children listed",
            source=source,
        )
    return [summary(c, names) for c in rows]


def summary(c: AtRiskChild, names: bool) -> dict[str, Any]:
    return {
        "id": c.pk,
        "given_name": c.given_name if names else None,
        "family_name": c.family_name if names else None,
        "district": c.district,
        "age": c.age,
        "gender": c.gender,
        "risk_factors": list(c.risk_factors),
        "services": list(c.services),
        "consent_by": c.consent_by,
        "consent_on": c.consent_on,
        "referred_at": c.referred_at,
    }


def child_for(user: Any, child_id: int, action: str = "view") -> AtRiskChild:
    require(user, "atrisk", action, _("read the at-risk register"))
    return policy.get_or_404(user, "atrisk", action, child_id)  # type: ignore[no-any-return]


def detail(user: Any, child: AtRiskChild, source: str = "") -> dict[str, Any]:
    """One child with visits: names and village by tier, notes for the highly sensitive tier;
    the read is audited."""
    names = policy.may_read(user, Tier.IDENTIFYING)
    sensitive = policy.may_read(user, Tier.HIGHLY_SENSITIVE)
    read = (NAMES if names else []) + (["notes"] if sensitive else [])
    audit.record(user, "read", "atrisk", child.pk, read, reason="at-risk child", source=source)
    return {
        **summary(child, names),
        "community": child.community if names else None,
        "notes": child.notes if sensitive else None,
        "visits": [
            {
                "id": v.pk,
                "visited_on": v.visited_on,
                "outcome": v.outcome,
                "notes": v.notes if sensitive else None,
            }
            for v in child.visits.all()
        ],
    }


def record_visit(
    user: Any,
    child_id: int,
    *,
    visited_on: dt.date | None,
    outcome: str,
    notes: str = "",
    source: str = "",
) -> PreventionVisit:
    """A follow-up visit and what it found."""
    child = child_for(user, child_id, "manage")
    if outcome not in VisitOutcome.values:
        raise Invalid(
            _("outcome: %(value)s is not one of %(allowed)s")
            % {"value": repr(outcome), "allowed": ", ".join(VisitOutcome.values)},
            "outcome",
        )
    on = past_date(visited_on, "visited_on")
    if on < child.consent_on:
        raise Invalid(_("visited_on: before the child was put on the register"), "visited_on")
    visit = PreventionVisit.objects.create(
        child=child,
        visited_on=on,
        outcome=outcome,
        notes=text(notes, "notes", max_length=NOTES_MAX),
        visited_by=user,
    )
    audit.record(
        user, "create", "atrisk_visit", visit.pk, reason=f"at-risk child {child.pk}", source=source
    )
    return visit


def withdraw(user: Any, child_id: int, source: str = "") -> None:
    """Consent withdrawn: the child leaves the register, and every record of them with it."""
    child = child_for(user, child_id, "manage")
    with transaction.atomic():
        pk = child.pk
        child.delete()
        audit.record(
            user, "delete", "atrisk", pk, reason="consent withdrawn: record erased", source=source
        )
