"""The triage queue's one service: a report enters, a duty officer is named, takes it (and
becomes the case's owner), handles it; what is not handled in time escalates to the supervisor.

Who is the duty officer: a call taken by staff who work the queue (a hotline call) starts with
the one who took it; a community reporter's report starts with nobody, and the agency's
supervisor names the duty officer (``assign``), or a caseworker of the agency takes it from the
queue. The queue is the receiving agency's (not a team's), shows no names, and answers another
agency's item as missing. Due times follow the urgency (``settings.LANTERN_TRIAGE_DUE_HOURS``);
overdue is computed when read, and ``escalate_overdue`` (the ``lantern triage escalate`` command,
for cron) records each escalation once in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases import assignment
from lantern.cases.models import Case, LifecycleState
from lantern.cases.services.common import now, require, text
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection.intake.models import Intake
from lantern.protection.triage import urgency
from lantern.protection.triage.models import TriageItem, TriageStatus

# Channels whose reports come from outside and wait for a duty officer.
TRIAGED = frozenset({"community_report", "hotline"})
# Hours until an item is due, by urgency; an installation may set its own.
DUE_HOURS = {urgency.IMMEDIATE: 1, urgency.HIGH: 24, urgency.NORMAL: 72}
QUEUE_MAX = 500  # open items listed at once, most urgent first
NOTE_MAX = 2000
# Open: not handled, and its case still open (a case closed meanwhile, e.g. as a duplicate,
# needs no duty officer and escalates to no one).
OPEN = ~Q(status=TriageStatus.HANDLED) & ~Q(case__state=LifecycleState.CLOSED)


def due_hours() -> dict[str, int]:
    """The hours an item of each urgency has, defaults overridden by the setting."""
    return DUE_HOURS | dict(getattr(settings, "LANTERN_TRIAGE_DUE_HOURS", {}))


@dataclass(frozen=True)
class QueueItem:
    """An item as the queue shows it: codes (the page labels them) and no names."""

    id: int
    case_id: int
    reference: str
    channel: str
    urgency: str
    reasons: list[str]
    age: int | None
    age_evidence: str
    place: str
    concerns: list[str]
    received_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    escalated: bool
    status: str
    duty_officer: str
    taken_by: str


def enqueue(user: Any, case: Case, intake: Intake, source: str = "") -> TriageItem | None:
    """Put a just-opened case in its agency's queue when its channel is triaged (the intake
    service calls this inside its transaction). Staff who take a call and work the queue are
    its duty officer from the start; a reporter's report waits for one."""
    if intake.channel not in TRIAGED:
        return None
    found = urgency.assess(intake.severity, intake.concerns or [], case.age_at_identification)
    at = now()
    officer = user if policy.agency_allows(user, "triage", "take", case.agency_id) else None
    item = TriageItem.objects.create(
        case=case,
        agency_id=case.agency_id,
        channel=intake.channel,
        urgency=found.urgency,
        rank=found.rank,
        reasons=list(found.reasons),
        received_at=at,
        due_at=at + dt.timedelta(hours=due_hours()[found.urgency]),
        duty_officer=officer,
        assigned_at=at if officer else None,
    )
    audit.record(
        user,
        "create",
        "triage",
        case.reference,
        reason=f"triage item {item.pk}: {found.urgency} ({', '.join(found.reasons) or '-'})",
        source=source,
    )
    return item


def is_overdue(item: TriageItem, at: dt.datetime | None = None) -> bool:
    return item.status != TriageStatus.HANDLED and item.due_at < (at or now())


def view(item: TriageItem, at: dt.datetime | None = None) -> QueueItem:
    """What the queue shows of ``item`` (fetched through the policy by the caller)."""
    case = item.case
    intake = Intake.objects.filter(case_id=case.pk).only("place", "concerns").first()
    return _row(item, intake, at or now())


def _row(item: TriageItem, intake: Intake | None, at: dt.datetime) -> QueueItem:
    case = item.case
    return QueueItem(
        id=item.pk,
        case_id=case.pk,
        reference=case.reference,
        channel=item.channel,
        urgency=item.urgency,
        reasons=list(item.reasons),
        age=case.age_at_identification,
        age_evidence=case.age_evidence,
        place=intake.place if intake else "",
        concerns=list(intake.concerns) if intake else [],
        received_at=item.received_at,
        due_at=item.due_at,
        overdue=is_overdue(item, at),
        escalated=item.escalated_at is not None,
        status=item.status,
        duty_officer=item.duty_officer.username if item.duty_officer else "",
        taken_by=item.taken_by.username if item.taken_by else "",
    )


def open_items(user: Any) -> QuerySet[TriageItem]:
    """The open items of the user's queue, most urgent first, then the soonest due."""
    require(user, "triage", "view", _("see the triage queue"))
    return (
        policy.scoped(user, "triage", "view")
        .filter(OPEN)
        .select_related("case", "duty_officer", "taken_by")
        .order_by("rank", "due_at", "pk")
    )


def queue(user: Any, at: dt.datetime | None = None) -> list[QueueItem]:
    """The user's queue as shown: open items by urgency, then due time (at most QUEUE_MAX)."""
    items = list(open_items(user)[:QUEUE_MAX])
    intakes = {
        i.case_id: i
        for i in Intake.objects.filter(case_id__in=[t.case_id for t in items]).only(
            "case_id", "place", "concerns"
        )
    }
    at = at or now()
    return [_row(t, intakes.get(t.case_id), at) for t in items]


def item_for(user: Any, item_id: int, action: str = "view") -> TriageItem:
    """One item of the user's queue for ``action``; another agency's answers as missing."""
    return policy.get_or_404(user, "triage", action, item_id)  # type: ignore[no-any-return]


def _locked(item: TriageItem) -> TriageItem:
    return (
        TriageItem.objects.select_for_update(of=("self",))
        .select_related("case", "duty_officer", "taken_by")
        .get(pk=item.pk)
    )


def _still_open(item: TriageItem) -> None:
    if item.status == TriageStatus.HANDLED:
        raise Refused(_("this report has already been handled"))


def assign(user: Any, item_id: int, officer_id: int, source: str = "") -> TriageItem:
    """Name the duty officer of an item not yet taken (supervisors): a caseworker or
    supervisor of the agency who may work cases."""
    require(user, "triage", "assign", _("choose the duty officer"))
    item = item_for(user, item_id, "assign")
    with transaction.atomic():
        item = _locked(item)
        _still_open(item)
        if item.status == TriageStatus.TAKEN:
            raise Refused(
                _("%(name)s has already taken this report; reassign the case instead")
                % {"name": item.taken_by.username if item.taken_by else "-"}
            )
        officer = next((w for w in assignment.workers(user) if w.pk == officer_id), None)
        if officer is None or not policy.agency_allows(officer, "triage", "take", item.agency_id):
            raise Invalid(
                _("officer: %(id)s is not a duty officer of this agency") % {"id": officer_id},
                "officer",
            )
        if item.duty_officer_id == officer.pk:
            raise Refused(_("%(name)s is already the duty officer") % {"name": officer.username})
        before = item.duty_officer.username if item.duty_officer else "-"
        item.duty_officer, item.assigned_by, item.assigned_at = officer, user, now()
        item.save(update_fields=["duty_officer", "assigned_by", "assigned_at"])
        audit.record(
            user,
            "assign",
            "triage",
            item.case.reference,
            ["duty_officer"],
            reason=f"triage item {item.pk}: {before} -> {officer.username}",
            source=source,
        )
    return item


def take(user: Any, item_id: int, source: str = "") -> TriageItem:
    """The duty officer takes the item and becomes the case's owner (through the case
    assignment, kept and audited as any other). An item named to another officer is theirs;
    a supervisor may take any item of the agency."""
    require(user, "triage", "take", _("take reports from the triage queue"))
    item = item_for(user, item_id, "take")
    supervises = policy.allows(user, "triage", "assign")
    with transaction.atomic():
        item = _locked(item)
        _still_open(item)
        if item.status == TriageStatus.TAKEN:
            who = item.taken_by.username if item.taken_by else "-"
            raise Refused(_("%(name)s has already taken this report") % {"name": who})
        if item.duty_officer_id not in (None, user.pk) and not supervises:
            raise Refused(
                _("this report is assigned to %(name)s")
                % {"name": item.duty_officer.username if item.duty_officer else "-"}
            )
        case = item.case
        if case.owner_id != user.pk:
            assignment.give(user, case, user.pk, f"taken from the triage queue ({item.pk})", source)
        at = now()
        item.duty_officer, item.taken_by, item.taken_at = user, user, at
        item.status = TriageStatus.TAKEN
        item.save(update_fields=["duty_officer", "taken_by", "taken_at", "status"])
        audit.record(
            user, "take", "triage", case.reference, reason=f"triage item {item.pk}", source=source
        )
    return item


def handle(user: Any, item_id: int, note: str, source: str = "") -> TriageItem:
    """Close a taken item as handled, saying what was done: by the officer who took it or a
    supervisor. The case stays open with its owner; only the queue is done with it."""
    require(user, "triage", "handle", _("close reports of the triage queue"))
    item = item_for(user, item_id, "handle")
    with transaction.atomic():
        item = _locked(item)
        _still_open(item)
        if item.status != TriageStatus.TAKEN:
            raise Refused(_("take this report before closing it as handled"))
        if item.taken_by_id != user.pk and not policy.allows(user, "triage", "assign"):
            raise NotAllowed(
                _("only the officer who took this report or a supervisor may close it")
            )
        item.handled_note = text(note, "note", required=True, max_length=NOTE_MAX)
        item.status, item.handled_by, item.handled_at = TriageStatus.HANDLED, user, now()
        item.save(update_fields=["handled_note", "status", "handled_by", "handled_at"])
        audit.record(
            user,
            "handle",
            "triage",
            item.case.reference,
            ["handled_note"],
            reason=f"triage item {item.pk}",
            source=source,
        )
    return item


def escalate_overdue(at: dt.datetime | None = None, source: str = "") -> list[TriageItem]:
    """Mark every open item past its due time escalated to its agency's supervisors, once:
    each is recorded in the audit trail the one time it escalates (a system task: no user)."""
    at = at or now()
    done = []
    waiting = TriageItem.objects.filter(OPEN, escalated_at__isnull=True, due_at__lt=at)
    for item in waiting.select_related("case").order_by("rank", "due_at", "pk"):
        with transaction.atomic():
            marked = TriageItem.objects.filter(pk=item.pk, escalated_at__isnull=True).update(
                escalated_at=at
            )
            if not marked:
                continue  # another run escalated it first
            audit.record(
                None,
                "escalate",
                "triage",
                item.case.reference,
                reason=f"triage item {item.pk}: {item.urgency}, due {item.due_at.isoformat()}",
                source=source or "lantern triage escalate",
            )
            item.escalated_at = at
            done.append(item)
    return done


def urgent_for(user: Any) -> QuerySet[TriageItem]:
    """Open items the user is the duty officer of that are urgent or overdue (their My work)."""
    if not policy.allows(user, "triage", "take"):
        return TriageItem.objects.none()
    mine = policy.scoped(user, "triage", "view").filter(OPEN, duty_officer_id=user.pk)
    urgent = Q(urgency__in=[urgency.IMMEDIATE, urgency.HIGH]) | Q(due_at__lt=now())
    return mine.filter(urgent).select_related("case").order_by("rank", "due_at", "pk")


def for_supervisor(user: Any) -> QuerySet[TriageItem]:
    """Open items of the supervisor's agency that escalated (or are past due and will), and
    urgent ones nobody is on duty for: what their My work shows."""
    if not policy.allows(user, "triage", "assign"):
        return TriageItem.objects.none()
    waiting = Q(escalated_at__isnull=False) | Q(due_at__lt=now())
    unowned = Q(duty_officer__isnull=True, urgency__in=[urgency.IMMEDIATE, urgency.HIGH])
    rows = policy.scoped(user, "triage", "assign").filter(OPEN).filter(waiting | unowned)
    return rows.select_related("case").order_by("rank", "due_at", "pk")
