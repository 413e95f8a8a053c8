"""Vigilance committees and watch groups: their members, their areas, what they report, and
what became of each report.

A report goes to the triage queue the way every community report does: through the intake
service (``intake.open_case`` on the ``community_report`` channel), which searches, opens the
case and hands it to ``protection.triage`` with the group's severity, so the queue ranks it by
the same rule. The facilitator who recorded it cannot read the case; what comes back to the
group is the report's status (received, triaged, case opened, closed), computed from the queue
and the case, never more of the child than the group itself reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.accounts import policy
from lantern.accounts.models import User
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import LifecycleState
from lantern.cases.services.common import choice, codes, now, require, text
from lantern.edges import areas
from lantern.edges.bounds import AGE_MAX, NAME_MAX
from lantern.errors import Invalid
from lantern.protection.intake import service as intake
from lantern.protection.triage.models import TriageItem, TriageStatus
from lantern.response.community.common import NOTES_MAX, agency_of, past_date
from lantern.response.community.models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    CommitteeReport,
    MemberRole,
)

# What became of a report, as the group sees it.
RECEIVED, TRIAGED, CASE_OPENED, CLOSED = "received", "triaged", "case_opened", "closed"
STATUS_LABELS = {
    RECEIVED: gettext_lazy("Received: waiting for a duty officer"),
    TRIAGED: gettext_lazy("Triaged: a duty officer has taken it"),
    CASE_OPENED: gettext_lazy("Case opened: a caseworker is following it up"),
    CLOSED: gettext_lazy("Closed"),
}


def committees(user: Any) -> QuerySet[Committee]:
    """The committees the user may see: the agency's, or a facilitator's own."""
    require(user, "committee", "view", _("see the committees"))
    return policy.scoped(user, "committee", "view").order_by("name", "pk")


def committee_for(user: Any, committee_id: int, action: str = "view") -> Committee:
    return policy.get_or_404(user, "committee", action, committee_id)  # type: ignore[no-any-return]


def facilitators_of(agency_id: int) -> list[User]:
    """Who may facilitate the agency's committees: its active staff whose role records
    committees' reports (RULES ``("committee", "report")``), by username."""
    staff = User.objects.filter(agency_id=agency_id, is_active=True).order_by("username")
    return [u for u in staff if policy.allows(u, "committee", "report")]


def may_report(user: Any, committee: Committee) -> bool:
    """Does ``user`` record this committee's reports (a facilitator of it: the policy's
    ``("committee", "report")`` scope)?"""
    return policy.scoped(user, "committee", "report").filter(pk=committee.pk).exists()


def create(
    user: Any,
    *,
    name: str,
    kind: str,
    area_code: str,
    area: str = "",
    facilitators: Sequence[int] = (),
    source: str = "",
) -> Committee:
    """A committee of the user's agency, with its facilitators (the agency's)."""
    require(user, "committee", "manage", _("set up committees"))
    agency = agency_of(user)
    kind = choice(kind, tuple(CommitteeKind.values), "kind")
    code = areas.clean(area_code, "area_code")
    known = {u.pk: u for u in facilitators_of(agency)}
    for pk in facilitators:
        if pk not in known:
            raise Invalid(
                _("facilitators: %(id)s is not a committee facilitator of your agency")
                % {"id": pk},
                "facilitators",
            )
    with transaction.atomic():
        row = Committee.objects.create(
            agency_id=agency,
            name=text(name, "name", required=True, max_length=NAME_MAX),
            kind=kind,
            area=text(area, "area", max_length=NAME_MAX),
            area_code=code,
            created_at=now(),
        )
        row.facilitators.set([known[pk] for pk in facilitators])
        audit.record(user, "create", "committee", row.pk, source=source)
    return row


def add_member(
    user: Any,
    committee_id: int,
    *,
    name: str,
    contact: str = "",
    role: str = MemberRole.MEMBER,
    joined_on: dt.date | None = None,
    source: str = "",
) -> CommitteeMember:
    """A member joins; name and phone are encrypted and read by identity-reading roles only."""
    require(user, "committee", "manage", _("keep committees' members"))
    committee = committee_for(user, committee_id, "manage")
    row = CommitteeMember.objects.create(
        committee=committee,
        name=text(name, "name", required=True, max_length=NAME_MAX),
        contact=text(contact, "contact", max_length=NAME_MAX),
        role=choice(role or MemberRole.MEMBER, tuple(MemberRole.values), "role"),
        joined_on=past_date(joined_on, "joined_on"),
    )
    audit.record(
        user,
        "create",
        "committee_member",
        row.pk,
        ["name", "contact"],
        reason=f"committee {committee.pk}",
        source=source,
    )
    return row


def members(user: Any, committee: Committee, source: str = "") -> list[dict[str, Any]]:
    """The members: roles for everyone who sees the committee, names and phones only for
    those who manage it and read identities (each such read audited)."""
    names = policy.allows(user, "committee", "manage") and policy.may_read(user, Tier.IDENTIFYING)
    rows = list(committee.members.all())
    if names and rows:
        audit.record(
            user,
            "read",
            "committee_member",
            "",
            ["name", "contact"],
            reason=f"committee {committee.pk}: {len(rows)} members",
            source=source,
        )
    return [
        {
            "id": m.pk,
            "name": m.name if names else None,
            "contact": m.contact if names else None,
            "role": m.role,
            "joined_on": m.joined_on,
        }
        for m in rows
    ]


@dataclass(frozen=True)
class Seen:
    """What a group saw, as its facilitator tells it (the child's name only if known)."""

    seen: str = ""
    seen_on: dt.date | None = None
    place: str = ""
    severity: str = ""
    concerns: Sequence[str] = ()
    child_name: str = ""
    child_age: int | None = None
    child_gender: str = ""


def record_report(user: Any, committee_id: int, s: Seen, source: str = "") -> CommitteeReport:
    """Record a committee's report and send it to the triage queue as a community report."""
    require(user, "committee", "report", _("record committees' reports"))
    committee = committee_for(user, committee_id, "report")
    seen = text(s.seen, "seen", required=True, max_length=NOTES_MAX)
    seen_on = past_date(s.seen_on, "seen_on")
    if s.child_age is not None and not 0 <= s.child_age <= AGE_MAX:
        raise Invalid(_("child_age: from 0 to %(n)s") % {"n": AGE_MAX}, "child_age")
    gender = codes("genders", [s.child_gender], "child_gender")[0] if s.child_gender else ""
    child = intake.Child(given_name=s.child_name.strip(), age=s.child_age, gender=gender)
    facts = {
        "place": s.place,
        "concerns": list(s.concerns),
        "severity": s.severity,
        "reporter_name": committee.name,  # who reported, for the supervisors who may see it
    }
    with transaction.atomic():
        case = intake.open_case(
            user, "community_report", child, facts, confirm_new=True, source=source
        )
        row = CommitteeReport.objects.create(
            committee=committee,
            recorded_by=user,
            recorded_at=now(),
            seen_on=seen_on,
            seen=seen,
            place=s.place.strip(),
            severity=s.severity,
            concerns=list(dict.fromkeys(s.concerns)),
            child_age=s.child_age,
            child_gender=gender,
            case=case,
        )
        audit.record(
            user,
            "create",
            "committee_report",
            row.pk,
            ["seen"],
            reason=f"committee {committee.pk}: case {case.reference}",
            source=source,
        )
    return row


def status_of(report: CommitteeReport) -> tuple[str, str]:
    """(status, urgency) of a report: from its triage item and its case, nothing else."""
    case = report.case
    if case is None:
        return RECEIVED, ""
    item = TriageItem.objects.filter(case_id=case.pk).only("status", "urgency").first()
    urgency = item.urgency if item else ""
    if case.state == LifecycleState.CLOSED:
        return CLOSED, urgency
    if item is None or item.status == TriageStatus.HANDLED:
        return CASE_OPENED, urgency
    return (TRIAGED if item.status == TriageStatus.TAKEN else RECEIVED), urgency


def reports(user: Any, committee: Committee) -> list[dict[str, Any]]:
    """The committee's reports with what became of each (no text, no name)."""
    rows = committee.reports.select_related("case").order_by("-recorded_at", "-pk")
    out = []
    for r in rows:
        status, urgency = status_of(r)
        out.append(
            {
                "id": r.pk,
                "seen_on": r.seen_on,
                "recorded_at": r.recorded_at,
                "place": r.place,
                "severity": r.severity,
                "concerns": list(r.concerns),
                "child_age": r.child_age,
                "child_gender": r.child_gender,
                "status": status,
                "urgency": urgency,
            }
        )
    return out
