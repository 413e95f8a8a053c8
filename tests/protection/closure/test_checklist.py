"""The closure checklist reads what is still open from the case's own records (#15, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.cases.models import CaseTransition
from lantern.protection.careplan import service as careplan
from lantern.protection.closure.checklist import checklist, open_items
from lantern.protection.followup import service as followup
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.referrals.models import Referral
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import Placement, RiskAssessment
from lantern.protection.tracing import service as tracing
from lantern.protection.tracing.models import TracingRequest
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db

WELL = {
    "safety": 3,
    "health": 3,
    "schooling_or_work": 3,
    "family_relations": 3,
    "emotional_wellbeing": 3,
}


def _keys(case):  # type: ignore[no-untyped-def]
    return {i.key.split(":")[0] for i in open_items(checklist(case))}


def test_each_kind_of_open_work_is_an_item_and_each_is_cleared_where_it_is_fixed(
    world: World,
) -> None:
    cw, sup = world.users["cw"], world.users["sup"]
    today = timezone.localdate()
    case = intake.open_case(cw, "self_referral", intake.Child("Maya"), {}, confirm_new=True)
    assert _keys(case) == set()
    assert all(a.done for a in checklist(case))

    RiskAssessment.objects.create(case=case, level="low", assessed_at=timezone.now())
    safety.place(cw, case, world.shelter.pk)
    referral = Referral.objects.create(
        case=case,
        organisation=world.clinic,
        services=["medical"],
        consent_basis="child_assent",
        requested_at=timezone.now(),
        due_date=today + dt.timedelta(days=5),
    )
    plan = careplan.draft(
        cw, case, needs=["education"], goals="School", due_dates={"education": today}
    )
    proceeding = legal.open_proceeding(cw, case, kind="investigation")
    relative = TracingRequest.objects.create(
        agency=case.agency,
        requester_relation="mother",
        status="matched",
        matched_case=case,
        decided_at=timezone.now(),
        created_at=timezone.now(),
    )
    visit = followup.schedule(cw, case, on=today)
    CaseTransition.objects.create(
        case=case,
        from_state="services",
        to_state="removal_verified",
        reason="home",
        at=timezone.now(),
    )

    areas = {a.code: a for a in checklist(case)}
    assert _keys(case) == {
        "placement",
        "referral",
        "care_plan",
        "legal",
        "tracing",
        "visit",
        "follow_up",
    }
    assert not any(a.done for a in areas.values())
    [placed] = areas["safety"].items
    assert "House 7" in placed.what and placed.fix_url.endswith(f"/cases/{case.pk}/#placement")
    [ref] = areas["referrals"].items
    assert "District Health Clinic" in ref.what and "not been answered" in ref.what
    assert ref.fix_url.endswith(f"/referrals/{referral.pk}/")
    [law] = areas["legal"].items
    assert law.key == f"legal:{proceeding.pk}" and "Criminal investigation is open" in law.what
    assert areas["tracing"].items[0].key == f"tracing:{relative.pk}"

    # fixed where each item points: the checklist reads the records again
    safety.end_placement(cw, case)
    Referral.objects.filter(pk=referral.pk).update(status="accepted")
    assert "accepted but not completed" in checklist(case)[1].items[0].what
    Referral.objects.filter(pk=referral.pk).update(status="completed")
    careplan.submit(cw, plan)
    careplan.approve(sup, plan)
    assert [i.key for i in open_items(checklist(case)) if i.key.startswith("care_plan")] == [
        f"care_plan_action:{plan.pk}:education"  # the approved plan's action is due today
    ]
    plan.due_dates = {"education": (today - dt.timedelta(days=1)).isoformat()}
    plan.save(update_fields=["due_dates"])
    legal.update_proceeding(cw, proceeding, status="concluded")
    tracing.assess_family(
        cw,
        case,
        safe=True,
        family_rejects_child=False,
        family_involved=False,
        retrafficking_risk="low",
        decision="reunify",
    )
    followup.record_visit(cw, visit, wellbeing=WELL, retrafficking_risk="low")
    assert _keys(case) == set()
    assert all(a.done for a in checklist(case))


def test_a_placement_that_ended_is_not_open(world: World) -> None:
    cw = world.users["cw"]
    case = intake.open_case(cw, "self_referral", intake.Child("Asha"), {}, confirm_new=True)
    Placement.objects.create(
        case=case,
        place=world.shelter,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 1),
    )
    assert "placement" not in _keys(case)
