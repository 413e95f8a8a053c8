"""Education follow-up for rescued children (through their case) and children at risk (through
the register): enrolment in school, non-formal education or vocational training, and
attendance month by month.

A rescued child's schooling is protection work on the case (``case protect``); a child at
risk's is the register's (``atrisk manage``). The school or training centre says where a child
is found every day, so it is encrypted and read at the identifying tier, every read audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import choice, guard, text
from lantern.edges.bounds import NAME_MAX
from lantern.errors import Invalid, NotFound, Refused
from lantern.response.community.atrisk import child_for
from lantern.response.community.common import count, past_date
from lantern.response.community.models import AtRiskChild, Attendance, EducationKind, Enrolment


def _scoped(user: Any, action: str) -> QuerySet[Enrolment]:
    """Enrolments of cases the user may ``protect`` (or view) and register children in scope."""
    case_action = "protect" if action == "manage" else "view"
    return Enrolment.objects.filter(
        Q(case__in=policy.scope_cases(user, case_action))
        | Q(child__in=policy.scoped(user, "atrisk", action))
    )


def enrol(
    user: Any,
    *,
    case: Case | None = None,
    child_id: int | None = None,
    kind: str,
    institution: str,
    course: str = "",
    started_on: dt.date | None,
    source: str = "",
) -> Enrolment:
    """Enrol a rescued child (``case``) or a child of the register (``child_id``)."""
    child: AtRiskChild | None = None
    if case is not None:
        guard(user, case, "protect")
    else:
        child = child_for(user, int(child_id or 0), "manage")
    row = Enrolment.objects.create(
        case=case,
        child=child,
        kind=choice(kind, tuple(EducationKind.values), "kind"),
        institution=text(institution, "institution", required=True, max_length=NAME_MAX),
        course=text(course, "course", max_length=NAME_MAX),
        started_on=past_date(started_on, "started_on"),
        recorded_by=user,
    )
    whose = f"case {case.reference}" if case is not None else f"at-risk child {row.child_id}"
    audit.record(user, "create", "enrolment", row.pk, ["institution"], reason=whose, source=source)
    return row


def enrolment_for(user: Any, enrolment_id: int) -> Enrolment:
    row = _scoped(user, "manage").filter(pk=enrolment_id).first()
    if row is None:
        raise NotFound("No such enrolment")
    return row


def record_attendance(
    user: Any,
    enrolment_id: int,
    *,
    month: dt.date | None,
    days_attended: int | None,
    days_open: int | None,
    source: str = "",
) -> Attendance:
    """A month's attendance (recorded again, it replaces the month's figures)."""
    enrolment = enrolment_for(user, enrolment_id)
    first = past_date(month, "month")
    first = first.replace(day=1)
    if first < enrolment.started_on.replace(day=1):
        raise Invalid(_("month: before the enrolment started"), "month")
    open_days = count(days_open, "days_open", maximum=31)
    attended = count(days_attended, "days_attended", maximum=31)
    if attended > open_days:
        raise Invalid(_("days_attended: more than the days the school was open"), "days_attended")
    row, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        month=first,
        defaults={"days_attended": attended, "days_open": open_days},
    )
    audit.record(
        user,
        "update",
        "enrolment",
        enrolment.pk,
        ["attendance"],
        reason=first.isoformat(),
        source=source,
    )
    return row


def finish(
    user: Any, enrolment_id: int, *, ended_on: dt.date | None, completed: bool, source: str = ""
) -> Enrolment:
    """The enrolment ended: completed (a diploma, a trade learnt) or left."""
    enrolment = enrolment_for(user, enrolment_id)
    if enrolment.ended_on is not None:
        raise Refused(_("this enrolment has already ended"))
    end = past_date(ended_on, "ended_on")
    if end < enrolment.started_on:
        raise Invalid(_("ended_on: before the enrolment started"), "ended_on")
    enrolment.ended_on, enrolment.completed = end, completed
    enrolment.save(update_fields=["ended_on", "completed"])
    audit.record(user, "update", "enrolment", enrolment.pk, ["ended_on"], source=source)
    return enrolment


def enrolments(
    user: Any, *, case: Case | None = None, child: AtRiskChild | None = None, source: str = ""
) -> list[dict[str, Any]]:
    """A child's enrolments with attendance; the school by tier, the read audited."""
    rows = Enrolment.objects.filter(case=case) if case is not None else child.enrolments.all()  # type: ignore[union-attr]
    rows = rows.prefetch_related("attendance")
    names = policy.may_read(user, Tier.IDENTIFYING)
    found = list(rows)
    if names and found:
        whose = f"case {case.reference}" if case is not None else f"at-risk child {child.pk}"  # type: ignore[union-attr]
        audit.record(user, "read", "enrolment", "", ["institution"], reason=whose, source=source)
    return [view(e, names) for e in found]


def view(e: Enrolment, names: bool) -> dict[str, Any]:
    months = list(e.attendance.all())
    attended = sum(a.days_attended for a in months)
    opened = sum(a.days_open for a in months)
    return {
        "id": e.pk,
        "kind": e.kind,
        "institution": e.institution if names else None,
        "course": e.course,
        "started_on": e.started_on,
        "ended_on": e.ended_on,
        "completed": e.completed,
        "attendance": [
            {"month": a.month, "days_attended": a.days_attended, "days_open": a.days_open}
            for a in months
        ],
        "attendance_rate": round(attended / opened, 3) if opened else None,
    }
