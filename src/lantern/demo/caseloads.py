"""Owners for the demo country's open cases, so that no demo caseworker starts with an empty
"My work" and the supervisor still has some unassigned cases to give out from the caseload.

Each agency's caseworkers share its open cases in their team, round robin; a share is left
without an owner. Bulk-written like the histories: one ``CaseAssignment`` and one audit entry
per case (owner before and after), in one transaction. Synthetic only.
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from lantern.accounts.models import Role, User
from lantern.audit import services as audit
from lantern.cases.models import Case, CaseAssignment, LifecycleState

REASON = "demo caseload"  # fixed text, no child's detail: the audit may name it


def assign_caseloads(seed: int = 7, share: float = 0.9) -> dict[str, int]:
    """Give ``share`` of the unowned open cases an owner among the caseworkers of their agency
    and team; returns how many cases each caseworker got."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be between 0 and 1")
    rng = random.Random(seed)
    staff: dict[tuple[int, int | None], list[User]] = defaultdict(list)
    for w in User.objects.filter(role=Role.CASEWORKER, is_active=True, agency__isnull=False):
        staff[(w.agency_id or 0, w.team_id)].append(w)
    cases = Case.objects.filter(owner__isnull=True).exclude(state=LifecycleState.CLOSED)
    moved: list[Case] = []
    entries: list[audit.Pending] = []
    steps: list[CaseAssignment] = []
    given: dict[str, int] = defaultdict(int)
    at = timezone.now()
    for case in cases.order_by("pk").only("pk", "reference", "agency_id", "team_id"):
        if case.team_id is not None:  # a team's case stays with its team (the policy's scope)
            workers = staff.get((case.agency_id, case.team_id), [])
        else:
            workers = [w for (a, _), ws in staff.items() if a == case.agency_id for w in ws]
        if not workers or rng.random() >= share:
            continue
        worker = workers[len(moved) % len(workers)]
        case.owner, case.team_id = worker, case.team_id or worker.team_id
        moved.append(case)
        steps.append(CaseAssignment(case=case, to_owner=worker, reason=REASON, at=at))
        given[worker.username] += 1
        note = f"- -> {worker.username}: {REASON}"
        entries.append(audit.Pending("assign", "case", case.reference, ("owner",), note))
    with transaction.atomic():
        Case.objects.bulk_update(moved, ["owner", "team"], batch_size=2000)
        CaseAssignment.objects.bulk_create(steps, batch_size=2000)
        audit.record_many(None, entries, source="demo assign_caseloads")
    return dict(given)
