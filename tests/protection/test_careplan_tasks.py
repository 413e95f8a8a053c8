"""Care-plan needs in the work list: each need of the standing (approved) plan whose due date
is past or near shows as a task; drafts, far-off dates and closed cases do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.protection import worklists
from lantern.protection.careplan import service as careplan
from lantern.protection.intake import service as intake
from tests import closing
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db


def _goal_tasks(user, on):  # type: ignore[no-untyped-def]
    return {
        (t.kind, t.reference, t.due)
        for t in worklists.my_tasks(user, on)
        if t.kind.startswith("care_plan_goal")
    }


def test_the_approved_plans_due_needs_become_tasks(world: World) -> None:
    cw, sup = world.users["cw"], world.users["sup"]
    on = timezone.localdate()
    case = intake.open_case(cw, "self_referral", intake.Child("Maya"), {}, confirm_new=True)
    late, soon, far = (on - dt.timedelta(days=2), on + dt.timedelta(days=3), on + dt.timedelta(60))
    due = {"medical": late, "education": soon, "vocational_training": far}
    plan = careplan.draft(cw, case, needs=list(due), goals="Health, school", due_dates=due)
    careplan.submit(cw, plan)
    assert _goal_tasks(cw, on) == set()  # a plan not yet approved sets no deadlines
    careplan.approve(sup, plan)

    tasks = worklists.my_tasks(cw, on)
    goals = _goal_tasks(cw, on)
    assert goals == {
        ("care_plan_goal_overdue", case.reference, late.isoformat()),
        ("care_plan_goal_due", case.reference, soon.isoformat()),
    }
    overdue = next(t for t in tasks if t.kind == "care_plan_goal_overdue")
    assert "Medical care" in overdue.detail  # the need by its label, not its code
    kinds = [t.kind for t in tasks]
    assert kinds.index("care_plan_goal_overdue") < kinds.index("risk_assessment_missing")

    # a revision in draft leaves the approved plan standing; approving it replaces the dates
    revised = careplan.revise(cw, plan)
    assert _goal_tasks(cw, on) == goals
    revised.due_dates = {"education": soon.isoformat()}
    revised.save(update_fields=["due_dates"])
    careplan.submit(cw, revised)
    careplan.approve(sup, revised)
    assert _goal_tasks(cw, on) == {("care_plan_goal_due", case.reference, soon.isoformat())}

    # another caseworker's list does not show them, and a closed case sets no tasks
    assert _goal_tasks(world.users["cw_b"], on) == set()
    closing.close(cw, case, "transferred", "moved", approver=sup)
    assert _goal_tasks(cw, on) == set()
