"""Workflow histories for the demo country's imported cases, so every page shows something real.

Imported agency records carry only a status and an outcome (``cas_Status``, ``cas_Outcome``).
For a share of them this builds the path that leads there, through the state machine's own
table (``workflow.TRANSITIONS``) so each step's preconditions hold: a risk assessment, a
placement in a synthetic safe house, an approved care plan, a referral, a family assessment,
a baseline and follow-up visits whose wellbeing scores improve (or not), and the transitions
with their dates. Synthetic only; everything is bulk-inserted and audited in one batch.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from lantern.accounts.models import Role, User
from lantern.audit import services as audit
from lantern.cases.models import Case, CaseTransition, Consent
from lantern.directory.models import Organisation
from lantern.protection.careplan.models import CarePlan
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.followup.service import WELLBEING_ITEMS
from lantern.protection.referrals.models import Referral
from lantern.protection.safety.models import Placement, RiskAssessment, SafePlace
from lantern.protection.tracing.models import FamilyAssessment

S = ["identified", "assessed", "in_care", "services", "removal_verified", "follow_up"]
REUNION = {"reunited_with_family", "placed_with_extended_family"}
NEEDS = ["medical", "psychosocial", "education", "vocational_training", "legal", "family_tracing"]
DEMO_ORGS = [
    ("District Health Clinic", "HealthServiceOrganisation", ["medical", "psychosocial"]),
    ("Skills for Life Centre", "NGO", ["vocational_training", "education", "life_skills"]),
    ("Child Legal Aid", "LegalService", ["legal"]),
]


def _target(case: Case, rng: random.Random) -> int:
    """How far along the path the case got (index into S), from its imported status."""
    if case.status in ("Closed", "ClosedReferred"):
        return 5 if case.outcome in REUNION else rng.randint(1, 4)
    if case.status == "FollowUp":
        return 5
    return rng.choices(range(1, 5), weights=[2, 3, 4, 1])[0]  # unseeded cases stay identified


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


class _Batch:
    def __init__(self) -> None:
        self.rows: dict[type[Model], list[Any]] = defaultdict(list)

    def add(self, row: Any) -> None:
        self.rows[type(row)].append(row)

    def save(self) -> None:
        for model, rows in self.rows.items():
            model._default_manager.bulk_create(rows, batch_size=2000)


def seed_workflows(seed: int = 7, fraction: float = 0.6) -> dict[str, int]:
    """Give ``fraction`` of the cases without a history one consistent with their status."""
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must be between 0 and 1")
    rng = random.Random(seed)
    cases = list(
        Case.objects.filter(transitions__isnull=True).only(
            "pk", "reference", "agency_id", "registration_date", "status", "outcome", "state"
        )
    )
    cases = [c for c in cases if rng.random() < fraction]
    staff: dict[int, list[int]] = defaultdict(list)
    for uid, agency_id in User.objects.filter(
        role__in=[Role.CASEWORKER, Role.SUPERVISOR]
    ).values_list("pk", "agency_id"):
        staff[agency_id].append(uid)
    orgs = list(Organisation.objects.all()[:10]) or [
        Organisation.objects.create(name=n, type=t, country="", services=s) for n, t, s in DEMO_ORGS
    ]
    places: dict[int, SafePlace] = {}
    batch, moved = _Batch(), []
    today = timezone.localdate()
    for case in cases:
        by = rng.choice(staff[case.agency_id]) if staff.get(case.agency_id) else None
        if case.agency_id not in places:
            places[case.agency_id] = SafePlace.objects.create(
                name=f"Safe house {len(places) + 1}",
                kind="shelter",
                agency_id=case.agency_id,
                address=f"{rng.randint(1, 99)} Synthetic Lane, Ward {rng.randint(1, 9)}",
            )
        closed = case.status in ("Closed", "ClosedReferred")
        target = _target(case, rng)
        day = case.registration_date
        # every step dated after registration and before today
        room = max((today - day).days, 0) // (target + 2)
        step_days = [min(rng.randint(1, 20), room) for _ in range(target + 1)]
        path = S[: target + 1] + (["closed"] if closed else [])
        for i, state in enumerate(path[1:], start=1):
            day += dt.timedelta(days=step_days[min(i, len(step_days) - 1)])
            _records_for(state, case, day, by, rng, batch, places[case.agency_id], orgs)
            reason = "demo history" if state != "closed" else f"outcome {case.outcome or 'n/a'}"
            batch.add(
                CaseTransition(
                    case=case,
                    from_state=path[i - 1],
                    to_state=state,
                    reason=reason,
                    by_id=by,
                    at=_at(day),
                )
            )
        if closed:  # the child has left care
            placed = batch.rows[Placement]
            if placed and placed[-1].case is case:
                placed[-1].end = day
        if closed and not case.outcome:
            case.outcome = "lost_to_follow_up"
        case.state = path[-1]
        moved.append(case)
    with transaction.atomic():
        batch.save()
        Case.objects.bulk_update(moved, ["state", "outcome"], batch_size=2000)
        audit.record_many(
            None,
            [audit.Pending("seed", "case", c.reference, ("state",), "demo history") for c in moved],
            source="demo seed_workflows",
        )
    return {"cases": len(moved), **{m.__name__: len(r) for m, r in batch.rows.items()}}


def _records_for(
    state: str,
    case: Case,
    day: dt.date,
    by: int | None,
    rng: random.Random,
    batch: _Batch,
    place: SafePlace,
    orgs: list[Organisation],
) -> None:
    """The records that make ``state`` reachable (the state machine's preconditions)."""
    at = _at(day)
    if state == "assessed":
        level = rng.choice(["low", "medium", "high"])
        batch.add(
            RiskAssessment(
                case=case,
                immediate_needs=["accommodation", "medical"],
                risk_to_child=level,
                risk_to_family=rng.choice(["low", "medium"]),
                risk_to_helpers="low",
                family_involved=rng.random() < 0.15,
                level=level,
                assessed_by_id=by,
                assessed_at=at,
            )
        )
    elif state == "in_care":
        batch.add(Placement(case=case, place=place, start=day, placed_by_id=by))
        base = {k: rng.randint(0, 2) for k in WELLBEING_ITEMS}
        batch.add(
            FollowUpVisit(
                case=case,
                kind="baseline",
                scheduled_for=day,
                done_at=at,
                visited_by_id=by,
                wellbeing=base,
            )
        )
    elif state == "services":
        needs = rng.sample(NEEDS, 3)
        batch.add(
            CarePlan(
                case=case,
                version=1,
                needs=needs,
                status="approved",
                created_by_id=by,
                created_at=at,
                submitted_at=at,
                approved_at=at,
            )
        )
        org = rng.choice(orgs)
        status = rng.choices(["completed", "accepted", "declined"], weights=[6, 3, 1])[0]
        batch.add(Consent(case=case, item="referral_sharing", value=True, given_by="child"))
        batch.add(
            Referral(
                case=case,
                organisation=org,
                services=[needs[0]],
                fields_shared=["age", "gender"],
                consent_basis="child_assent",
                status=status,
                requested_by_id=by,
                requested_at=at,
                due_date=day + dt.timedelta(days=14),
                responded_at=at,
                response_reason="" if status != "declined" else "no place available",
                completed_at=at if status == "completed" else None,
            )
        )
    elif state == "removal_verified":
        reunify = case.outcome in REUNION or (not case.outcome and rng.random() < 0.6)
        batch.add(
            FamilyAssessment(
                case=case,
                safe=reunify,
                family_rejects_child=False if reunify else None,
                family_involved=False if reunify else rng.random() < 0.4,
                retrafficking_risk="low" if reunify else "high",
                decision="reunify" if reunify else "alternative_care",
                assessed_by_id=by,
                assessed_at=at,
            )
        )
    elif state == "follow_up":
        for n in range(rng.randint(1, 3)):
            when = day + dt.timedelta(days=30 * (n + 1))
            done = when <= timezone.localdate()
            batch.add(
                FollowUpVisit(
                    case=case,
                    kind="visit",
                    scheduled_for=when,
                    done_at=_at(when) if done else None,
                    visited_by_id=by if done else None,
                    wellbeing={k: rng.randint(1, 4) for k in WELLBEING_ITEMS} if done else {},
                    retrafficking_risk=rng.choice(["low", "low", "medium"]) if done else "",
                )
            )
