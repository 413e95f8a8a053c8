"""Work lists, derived from the cases by queries: no task is stored, so none goes stale.

A caseworker's list covers the cases they own, including the approved care plan's needs coming
due; a supervisor's adds what waits for them in their agency (plans to approve, children
detained despite non-punishment, closures to approve). The team caseload counts open cases per
caseworker and state, with what is overdue.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.accounts import policy
from lantern.cases.models import Case, LifecycleState
from lantern.cases.services.common import require, today
from lantern.edges.fields import label_of, taxonomy_label
from lantern.protection.careplan.models import CarePlan
from lantern.protection.closure import service as closure
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.legal.models import LegalProceeding
from lantern.protection.notes.models import CaseNote, NoteKind
from lantern.protection.referrals.models import Referral, ReferralStatus
from lantern.protection.triage import service as triage
from lantern.protection.triage.models import TriageItem, Urgency

VISIT_HORIZON_DAYS = 7
IDLE_DAYS = 30
OPEN = ~Q(state=LifecycleState.CLOSED)


class TaskKind(models.TextChoices):
    """What a task asks of its owner; a task's ``kind`` is one of these."""

    REFERRAL_OVERDUE = "referral_overdue", gettext_lazy("Referral overdue")
    VISIT_OVERDUE = "visit_overdue", gettext_lazy("Visit overdue")
    VISIT_DUE = "visit_due", gettext_lazy("Visit due")
    RISK_ASSESSMENT_MISSING = "risk_assessment_missing", gettext_lazy("Risk assessment missing")
    NO_ACTIVITY = "no_activity", gettext_lazy("No activity")
    REFERRAL_TO_ANSWER = "referral_to_answer", gettext_lazy("Referral to answer")
    PLAN_AWAITING_APPROVAL = "plan_awaiting_approval", gettext_lazy("Care plan awaiting approval")
    CHILD_DETAINED = "child_detained_escalation", gettext_lazy("Child detained or charged")
    GOAL_DUE = "care_plan_goal_due", gettext_lazy("Care-plan goal due")
    GOAL_OVERDUE = "care_plan_goal_overdue", gettext_lazy("Care-plan goal overdue")
    TRIAGE_URGENT = "triage_urgent", gettext_lazy("Urgent report to triage")
    TRIAGE_ESCALATED = "triage_escalated", gettext_lazy("Report overdue: escalated to you")
    TRIAGE_TO_ASSIGN = "triage_to_assign", gettext_lazy("Urgent report with no duty officer")
    NOTE_FOLLOW_UP_DUE = "note_follow_up_due", gettext_lazy("Follow-up from a note")
    NOTE_FOLLOW_UP_OVERDUE = "note_follow_up_overdue", gettext_lazy("Follow-up from a note overdue")
    CLOSURE_AWAITING_APPROVAL = (
        "closure_awaiting_approval",
        gettext_lazy("Closure awaiting approval"),
    )


@dataclass(frozen=True)
class Task:
    kind: str
    case_id: int
    reference: str
    due: str | None
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _open_referrals(cases: QuerySet[Case], on: dt.date) -> QuerySet[Referral]:
    return Referral.objects.filter(
        case__in=cases, status__in=["requested", "accepted"], due_date__lt=on
    ).select_related("case", "organisation")


def _visits(cases: QuerySet[Case], on: dt.date) -> QuerySet[FollowUpVisit]:
    horizon = on + dt.timedelta(days=VISIT_HORIZON_DAYS)
    return FollowUpVisit.objects.filter(
        case__in=cases, done_at__isnull=True, scheduled_for__lte=horizon
    ).select_related("case")


def _goals(cases: QuerySet[Case], on: dt.date) -> list[Task]:
    """Each need of a case's standing plan (its latest approved version) whose due date is
    past or within the horizon: a plan nobody follows up protects no child."""
    horizon = on + dt.timedelta(days=VISIT_HORIZON_DAYS)
    standing: dict[int, CarePlan] = {}
    for plan in CarePlan.objects.filter(case__in=cases, status="approved").select_related("case"):
        if plan.case_id not in standing or plan.version > standing[plan.case_id].version:
            standing[plan.case_id] = plan
    tasks = []
    for plan in standing.values():
        for need, due in sorted((plan.due_dates or {}).items()):
            try:
                day = dt.date.fromisoformat(str(due))
            except ValueError:
                continue  # the care-plan service stores ISO dates only
            if day <= horizon:
                kind = "care_plan_goal_overdue" if day < on else "care_plan_goal_due"
                detail = _("care plan v%(version)s: %(need)s due %(day)s") % {
                    "version": plan.version,
                    "need": taxonomy_label(need, "support_types"),
                    "day": day.isoformat(),
                }
                tasks.append(Task(kind, plan.case_id, plan.case.reference, day.isoformat(), detail))
    return tasks


def _idle(cases: QuerySet[Case], on: dt.date) -> QuerySet[Case]:
    since = on - dt.timedelta(days=IDLE_DAYS)
    return (
        cases.annotate(last_step=Max("transitions__at"), last_visit=Max("visits__done_at"))
        .filter(updated_at__date__lt=since)
        .filter(Q(last_step__isnull=True) | Q(last_step__date__lt=since))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__date__lt=since))
    )


def _triage_task(kind: str, item: TriageItem) -> Task:
    due = timezone.localtime(item.due_at).strftime("%Y-%m-%d %H:%M")
    detail = _("%(urgency)s report, due %(due)s") % {
        "urgency": Urgency(item.urgency).label,
        "due": due,
    }
    return Task(kind, item.case_id, item.case.reference, due, detail)


def _triage(user: Any) -> list[Task]:
    """The duty officer's urgent or overdue reports; the supervisor's escalated ones and
    urgent ones nobody is on duty for (``lantern.protection.triage``)."""
    mine = list(triage.urgent_for(user))
    tasks = [_triage_task("triage_urgent", t) for t in mine]
    seen = {t.pk for t in mine}
    at = timezone.now()
    for t in triage.for_supervisor(user):
        if t.pk not in seen:
            late = t.escalated_at is not None or t.due_at < at
            tasks.append(_triage_task("triage_escalated" if late else "triage_to_assign", t))
    return tasks


def _note_follow_ups(cases: QuerySet[Case], on: dt.date) -> QuerySet[CaseNote]:
    """Follow-up dates set in case notes, up to the horizon, that no note written on or after
    that date has answered yet (the note's text is never shown in a task)."""
    horizon = on + dt.timedelta(days=VISIT_HORIZON_DAYS)
    answered = CaseNote.objects.filter(
        case_id=OuterRef("case_id"), written_at__date__gte=OuterRef("follow_up_on")
    )
    return (
        CaseNote.objects.filter(case__in=cases, follow_up_on__lte=horizon)
        .exclude(Exists(answered))
        .select_related("case")
        .order_by("follow_up_on")
    )


def my_tasks(user: Any, on: dt.date | None = None) -> list[Task]:
    """The user's tasks, most urgent first (overdue before due, then by date)."""
    require(user, "worklist", "view", _("have a work list"))
    on = on or today()
    mine = Case.objects.filter(OPEN, owner_id=user.pk)
    tasks: list[Task] = []
    for r in _open_referrals(mine, on):
        tasks.append(
            Task(
                "referral_overdue",
                r.case_id,
                r.case.reference,
                r.due_date.isoformat(),
                _("referral to %(organisation)s is %(status)s, due %(day)s")
                % {
                    "organisation": r.organisation.name,
                    "status": str(label_of(ReferralStatus, r.status)).lower(),
                    "day": r.due_date.isoformat(),
                },
            )
        )
    for v in _visits(mine, on):
        kind = "visit_overdue" if v.scheduled_for < on else "visit_due"
        tasks.append(
            Task(
                kind, v.case_id, v.case.reference, v.scheduled_for.isoformat(), _("follow-up visit")
            )
        )
    for n in _note_follow_ups(mine, on):
        due = n.follow_up_on
        assert due is not None  # the query asks for a follow-up date
        kind = "note_follow_up_overdue" if due < on else "note_follow_up_due"
        tasks.append(
            Task(
                kind,
                n.case_id,
                n.case.reference,
                due.isoformat(),
                _("follow-up set by a %(kind)s note of %(day)s")
                % {"kind": str(label_of(NoteKind, n.kind)).lower(), "day": n.written_at.date()},
            )
        )
    tasks += _goals(mine, on)
    for c in mine.filter(risk_assessments__isnull=True):
        tasks.append(
            Task("risk_assessment_missing", c.pk, c.reference, None, _("no risk assessment yet"))
        )
    for c in _idle(mine, on):
        tasks.append(
            Task(
                "no_activity",
                c.pk,
                c.reference,
                None,
                ngettext("no activity in %(n)s day", "no activity in %(n)s days", IDLE_DAYS)
                % {"n": IDLE_DAYS},
            )
        )
    if policy.allows(user, "referral", "respond"):
        incoming = (
            policy.scoped(user, "referral", "respond")
            .filter(organisation__agency__isnull=False, status="requested")
            .select_related("case")
        )
        for r in incoming:
            tasks.append(
                Task(
                    "referral_to_answer",
                    r.case_id,
                    r.case.reference,
                    r.due_date.isoformat(),
                    _("referral for %(services)s awaits your agency's answer")
                    % {
                        "services": ", ".join(
                            taxonomy_label(s, "support_types") for s in r.services
                        )
                    },
                )
            )
    if policy.scope_for(user, "care_plan", "approve"):
        scoped = policy.scope_cases(user, "view")
        for p in CarePlan.objects.filter(case__in=scoped, status="submitted").select_related(
            "case"
        ):
            if p.created_by_id != user.pk:
                tasks.append(
                    Task(
                        "plan_awaiting_approval",
                        p.case_id,
                        p.case.reference,
                        None,
                        _("care plan v%(version)s awaits approval") % {"version": p.version},
                    )
                )
        detained = LegalProceeding.objects.filter(
            case__in=scoped.filter(OPEN), child_detained_or_charged=True
        ).select_related("case")
        for lp in detained:
            tasks.append(
                Task(
                    "child_detained_escalation",
                    lp.case_id,
                    lp.case.reference,
                    None,
                    _("a child victim is recorded as detained or charged (non-punishment)"),
                )
            )
    tasks += _triage(user)
    for req in closure.pending(user):
        tasks.append(
            Task(
                "closure_awaiting_approval",
                req.case_id,
                req.case.reference,
                None,
                ngettext(
                    "Outcome: %(outcome)s; %(n)s item left open, with a reason",
                    "Outcome: %(outcome)s; %(n)s items left open, with reasons",
                    len(req.open_items),
                )
                % {
                    "outcome": taxonomy_label(req.outcome, "case_outcomes"),
                    "n": len(req.open_items),
                },
            )
        )
    urgent = {
        "triage_escalated": 0,
        "triage_urgent": 0,
        "triage_to_assign": 0,
        "child_detained_escalation": 0,
        "referral_overdue": 1,
        "visit_overdue": 1,
        "care_plan_goal_overdue": 1,
        "note_follow_up_overdue": 1,
    }
    tasks.sort(key=lambda t: (urgent.get(t.kind, 2), t.due or "9999", t.reference))
    return tasks


def team_caseload(user: Any, on: dt.date | None = None) -> dict[str, Any]:
    """Open cases per caseworker and state in the supervisor's scope, with what is overdue."""
    require(user, "caseload", "view", _("see the team's caseload"))
    on = on or today()
    cases = policy.scope_cases(user, "view").filter(OPEN)
    nobody = _("(unassigned)")
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for owner, state in cases.values_list("owner__username", "state"):
        per[owner or nobody][state] += 1
    overdue_ref = Counter(
        r.case.owner.username if r.case.owner else nobody
        for r in _open_referrals(cases, on).select_related("case__owner")
    )
    overdue_visits = Counter(
        v.case.owner.username if v.case.owner else nobody
        for v in _visits(cases, on).filter(scheduled_for__lt=on).select_related("case__owner")
    )
    rows = [
        {
            "caseworker": name,
            "open_cases": sum(states.values()),
            "by_state": dict(states),
            "overdue_referrals": overdue_ref.get(name, 0),
            "overdue_visits": overdue_visits.get(name, 0),
        }
        for name, states in sorted(per.items())
    ]
    return {
        "as_of": on.isoformat(),
        "open_cases": sum(r["open_cases"] for r in rows),
        "plans_awaiting_approval": CarePlan.objects.filter(
            case__in=cases, status="submitted"
        ).count(),
        "caseworkers": rows,
    }
