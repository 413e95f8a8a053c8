"""Work lists derived from the cases, the team caseload, and the demo histories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantern.cases import workflow
from lantern.cases.models import Case, CaseTransition, Consent
from lantern.demo import histories as demo_histories
from lantern.protection.careplan import service as careplan
from lantern.protection.followup import service as followup
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import Referral
from tests import closing, factories
from tests.protection.conftest import P

pytestmark = pytest.mark.django_db


def _case(world, who="cw", **child):  # type: ignore[no-untyped-def]
    return intake.open_case(
        world.users[who], "self_referral", intake.Child(**child), {}, confirm_new=True
    )


def test_tasks_are_derived_from_the_cases(client, world):
    cw, sup = world.users["cw"], world.users["sup"]
    today = timezone.localdate()
    late = _case(world)
    Consent.objects.create(case=late, item="referral_sharing", value=True, given_by="child")
    ref = referrals.create(
        cw,
        late,
        organisation=world.partner.pk,
        services=["education"],
        fields_shared=["age"],
        consent_basis="child_assent",
        due_date=today,
    )
    Referral.objects.filter(pk=ref.pk).update(due_date=today - dt.timedelta(days=3))
    followup.schedule(cw, late, on=today + dt.timedelta(days=5))
    followup.schedule(cw, late, on=today + dt.timedelta(days=40))  # beyond the horizon
    plan = careplan.draft(cw, late, needs=["education"], goals="School")
    careplan.submit(cw, plan)
    idle = _case(world)
    Case.objects.filter(pk=idle.pk).update(updated_at=timezone.now() - dt.timedelta(days=45))

    mine = client.get(f"{P}/worklist", **world.h("cw")).json()
    kinds = {(t["kind"], t["reference"]) for t in mine}
    assert ("referral_overdue", late.reference) in kinds
    assert ("visit_due", late.reference) in kinds
    assert ("risk_assessment_missing", idle.reference) in kinds
    assert ("no_activity", idle.reference) in kinds
    assert ("no_activity", late.reference) not in kinds
    assert sum(1 for t in mine if t["kind"] == "visit_due") == 1
    assert mine[0]["kind"] == "referral_overdue"  # overdue first
    assert not any(t["kind"] == "plan_awaiting_approval" for t in mine)

    # the supervisor sees the plan waiting, and a child detained despite non-punishment
    proceeding = legal.open_proceeding(cw, late, kind="prosecution")
    legal.update_proceeding(cw, proceeding, child_detained_or_charged=True)
    theirs = {t["kind"] for t in client.get(f"{P}/worklist", **world.h("sup")).json()}
    assert {"plan_awaiting_approval", "child_detained_escalation"} <= theirs
    careplan.approve(sup, plan)
    theirs = {t["kind"] for t in client.get(f"{P}/worklist", **world.h("sup")).json()}
    assert "plan_awaiting_approval" not in theirs


def test_the_referral_waits_on_the_receiving_agencys_list(client, world):
    case = _case(world)
    Consent.objects.create(case=case, item="referral_sharing", value=True, given_by="child")
    referrals.create(
        world.users["cw"],
        case,
        organisation=world.partner.pk,
        services=["education"],
        fields_shared=[],
        consent_basis="child_assent",
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    tasks = client.get(f"{P}/worklist", **world.h("partner")).json()
    assert [t["kind"] for t in tasks] == ["referral_to_answer"]


def test_team_caseload_counts_open_cases_per_caseworker(client, world):
    for _ in range(3):
        _case(world, "cw")
    other = _case(world, "cw_b")
    closing.close(world.users["cw_b"], other, "ran_away", "left the shelter", world.users["sup"])
    _case(world, "cw_b")
    assert client.get(f"{P}/caseload", **world.h("cw")).status_code == 403
    load = client.get(f"{P}/caseload", **world.h("sup")).json()
    rows = {r["caseworker"]: r for r in load["caseworkers"]}
    assert rows["cw"]["open_cases"] == 3 and rows["cw_b"]["open_cases"] == 1
    assert rows["cw"]["by_state"] == {"identified": 3}
    assert load["open_cases"] == 4
    outside = client.get(f"{P}/caseload", **world.h("outsider_sup")).json()
    assert outside["open_cases"] == 0


def test_demo_histories_follow_the_imported_status(world, tmp_path):
    statuses = ["Active", "FollowUp", "Closed", "ClosedReferred"]
    rows = [factories.record(i, "ngo-one") for i in range(40)]
    for i, row in enumerate(rows):
        row["cas_Status"] = statuses[i % 4]
        row["cas_Outcome"] = {
            "Closed": "reunited_with_family",
            "ClosedReferred": "transferred",
        }.get(row["cas_Status"], "")
    factories.import_records(rows, tmp_path)
    done = demo_histories.seed_workflows(seed=3, fraction=1.0)
    assert done["cases"] == 40
    for case in Case.objects.all():
        if case.status in ("Closed", "ClosedReferred"):
            assert case.state == "closed"
        elif case.status == "FollowUp":
            assert case.state == "follow_up"
        else:
            assert case.state not in ("closed", "follow_up")
        # every step is legal and its preconditions hold in the records made for it
        steps = list(CaseTransition.objects.filter(case=case).order_by("at", "id"))
        assert [s.from_state for s in steps[1:]] == [s.to_state for s in steps[:-1]]
        for s in steps:
            assert (s.from_state, s.to_state) in workflow.TRANSITIONS
            for pre in workflow.TRANSITIONS[(s.from_state, s.to_state)]:
                if pre is not workflow.PLACED:  # placements end when the case closes
                    assert pre.holds(case), (case.status, s.to_state, pre.unmet)
            assert case.registration_date <= s.at.date() <= timezone.localdate()
        if case.state == "follow_up":
            assert followup.wellbeing_change(case)["baseline"] is not None
    assert demo_histories.seed_workflows(seed=3, fraction=1.0)["cases"] == 0  # once only


def test_a_notes_follow_up_is_a_task_until_a_later_note_answers_it(client, world):
    from lantern.protection.notes import service as notes
    from lantern.protection.notes.models import CaseNote

    cw = world.users["cw"]
    today = timezone.localdate()
    case = _case(world)
    note = notes.add_note(
        cw, case, kind="call", body="Call the aunt back", follow_up_on=today + dt.timedelta(days=2)
    )
    mine = client.get(f"{P}/worklist", **world.h("cw")).json()
    due = [t for t in mine if t["kind"] == "note_follow_up_due"]
    assert [(t["reference"], t["due"]) for t in due] == [
        (case.reference, note.follow_up_on.isoformat())
    ]
    assert "aunt" not in str(mine)  # the note's text never shows in a task

    CaseNote.objects.filter(pk=note.pk).update(follow_up_on=today - dt.timedelta(days=1))
    CaseNote.objects.filter(pk=note.pk).update(written_at=timezone.now() - dt.timedelta(days=3))
    kinds = {t["kind"] for t in client.get(f"{P}/worklist", **world.h("cw")).json()}
    assert "note_follow_up_overdue" in kinds
    notes.add_note(cw, case, kind="call", body="Spoke to the aunt")  # answers the follow-up
    kinds = {t["kind"] for t in client.get(f"{P}/worklist", **world.h("cw")).json()}
    assert not kinds & {"note_follow_up_due", "note_follow_up_overdue"}
