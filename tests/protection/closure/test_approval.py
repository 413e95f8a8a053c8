"""A case closes only when a supervisor approves a caseworker's request (#15, item 7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from lantern.audit.models import AuditEntry
from lantern.cases import workflow
from lantern.cases.models import Case, CaseTransition, ClosureRequest
from lantern.errors import NotAllowed, Refused
from lantern.protection import worklists
from lantern.protection.closure import service
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import RiskAssessment
from tests.protection.conftest import P, World, post

pytestmark = pytest.mark.django_db

CONTINUES = "The investigation goes on; the prosecutor has the child's statement on video."


@pytest.fixture
def case(world: World) -> Case:
    cw = world.users["cw"]
    return intake.open_case(cw, "self_referral", intake.Child("Maya"), {}, confirm_new=True)


def _closure(client, world, case, who="cw"):  # type: ignore[no-untyped-def]
    res = client.get(f"{P}/cases/{case.pk}/closure", **world.h(who))
    assert res.status_code == 200, res.content
    return res.json()


def _request(client, world, case, **body):  # type: ignore[no-untyped-def]
    body = {"outcome": "reunited_with_family", "reason": "home and at school", **body}
    return post(client, f"/cases/{case.pk}/closure", body, world.h("cw"))


def test_a_caseworker_cannot_close_a_case_directly(client, world, case):  # type: ignore[no-untyped-def]
    cw, sup = world.users["cw"], world.users["sup"]
    moved = post(
        client, f"/cases/{case.pk}/transitions", {"to": "closed", "reason": "x"}, world.h("cw")
    )
    assert moved.status_code == 409 and "closure request" in moved.json()["detail"]
    gone = post(
        client, f"/cases/{case.pk}/close", {"outcome": "ran_away", "reason": "x"}, world.h("cw")
    )
    assert gone.status_code in (404, 405)
    pending = service.request_closure(cw, case, outcome="ran_away", reason="left at night")
    with pytest.raises(NotAllowed):
        workflow.close(cw, case, pending)
    with pytest.raises(Refused, match="closure request"):
        workflow.close(sup, case, pending)  # a supervisor too: only an approved request closes
    with pytest.raises(Refused, match="closure request"):
        workflow.transition(sup, case, "closed", "no")
    assert Case.objects.get(pk=case.pk).state == "identified"
    assert not CaseTransition.objects.filter(case=case).exists()


def test_open_work_blocks_the_request_unless_each_item_has_a_reason(client, world, case):  # type: ignore[no-untyped-def]
    cw = world.users["cw"]
    RiskAssessment.objects.create(case=case, level="low", assessed_at=timezone.now())
    safety.place(cw, case, world.shelter.pk)
    proceeding = legal.open_proceeding(cw, case, kind="investigation")
    keys = [i["key"] for a in _closure(client, world, case)["checklist"] for i in a["items"]]
    assert keys == [f"placement:{case.placements.get().pk}", f"legal:{proceeding.pk}"]

    bare = _request(client, world, case)
    assert bare.status_code == 409
    assert "House 7" in bare.json()["detail"] and "Criminal investigation" in bare.json()["detail"]
    half = _request(client, world, case, justifications={keys[1]: CONTINUES})
    assert half.status_code == 409 and "House 7" in half.json()["detail"]
    assert "Criminal investigation" not in half.json()["detail"]
    bad = _request(client, world, case, outcome="happy", justifications={})
    assert bad.status_code == 422 and bad.json()["field"] == "outcome"
    assert not ClosureRequest.objects.exists()

    safety.end_placement(cw, case)  # fixed where the item pointed
    ok = _request(client, world, case, justifications={keys[1]: CONTINUES})
    assert ok.status_code == 201, ok.content
    got = ok.json()
    assert got["status"] == "pending" and got["outcome_label"] == "Reunited with family"
    assert got["open_items"] == [{"key": keys[1], "label": "Legal proceeding", "reason": CONTINUES}]
    again = _request(client, world, case, justifications={keys[1]: CONTINUES})
    assert again.status_code == 409 and "already awaits approval" in again.json()["detail"]
    with connection.cursor() as cur:  # the reasons are encrypted at rest
        cur.execute("SELECT reason, justifications FROM cases_closurerequest")
        stored = " ".join(cur.fetchone())
    assert "prosecutor" not in stored and "school" not in stored
    entry = AuditEntry.objects.filter(action="request_closure").get()
    assert entry.record_id == case.reference and "prosecutor" not in entry.reason
    assert keys[1] in entry.reason


def test_the_supervisor_sees_it_in_my_work_and_approval_closes_the_case(client, world, case):  # type: ignore[no-untyped-def]
    sup = world.users["sup"]
    legal.open_proceeding(world.users["cw"], case, kind="prosecution")
    key = _closure(client, world, case)["checklist"][3]["items"][0]["key"]
    made = _request(client, world, case, justifications={key: CONTINUES}).json()
    tasks = worklists.my_tasks(sup)
    [task] = [t for t in tasks if t.kind == "closure_awaiting_approval"]
    assert task.reference == case.reference and "Reunited with family" in task.detail
    assert not [t for t in worklists.my_tasks(world.users["cw"]) if "closure" in t.kind]

    # the caseworker may not approve; the supervisor does
    denied = post(client, f"/closures/{made['id']}/approve", {}, world.h("cw"))
    assert denied.status_code == 403
    done = post(client, f"/closures/{made['id']}/approve", {"note": "agreed"}, world.h("sup"))
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "approved" and done.json()["decided_by"] == "sup"
    case.refresh_from_db()
    assert (case.state, case.status, case.outcome) == ("closed", "Closed", "reunited_with_family")
    step = CaseTransition.objects.get(case=case)
    assert (step.to_state, step.by, step.reason) == ("closed", sup, "home and at school")
    assert ClosureRequest.objects.get().transition == step
    actions = list(
        AuditEntry.objects.filter(record_id=case.reference).values_list("action", flat=True)
    )
    assert actions[-3:] == ["request_closure", "approve_closure", "transition"]
    assert not [t for t in worklists.my_tasks(sup) if t.kind == "closure_awaiting_approval"]
    twice = post(client, f"/closures/{made['id']}/approve", {}, world.h("sup"))
    assert twice.status_code == 409


def test_a_supervisor_does_not_approve_their_own_request(world, case):  # type: ignore[no-untyped-def]
    sup = world.users["sup"]
    Case.objects.filter(pk=case.pk).update(owner=sup)
    mine = service.request_closure(sup, case, outcome="ran_away", reason="left at night")
    assert not service.pending(sup).exists()
    with pytest.raises(Refused, match="someone other"):
        service.approve(sup, mine.pk)
    assert Case.objects.get(pk=case.pk).state == "identified"


def test_a_request_returned_with_a_reason_leaves_the_case_open(client, world, case):  # type: ignore[no-untyped-def]
    made = _request(client, world, case).json()
    blank = post(client, f"/closures/{made['id']}/return", {"reason": " "}, world.h("sup"))
    assert blank.status_code == 422 and blank.json()["field"] == "reason"
    back = post(
        client, f"/closures/{made['id']}/return", {"reason": "visit her first"}, world.h("sup")
    )
    assert back.status_code == 200 and back.json()["status"] == "returned"
    assert back.json()["decision_reason"] == "visit her first"
    assert Case.objects.get(pk=case.pk).state == "identified"
    late = post(client, f"/closures/{made['id']}/approve", {}, world.h("sup"))
    assert late.status_code == 409
    view = _closure(client, world, case)
    assert [r["status"] for r in view["requests"]] == ["returned"]
    assert _request(client, world, case).status_code == 201  # asked again
    assert AuditEntry.objects.filter(action="return_closure", record_id=case.reference).exists()


def test_work_opened_after_the_request_stops_the_approval(world, case):  # type: ignore[no-untyped-def]
    cw, sup = world.users["cw"], world.users["sup"]
    req = service.request_closure(cw, case, outcome="ran_away", reason="left at night")
    legal.open_proceeding(cw, case, kind="investigation")
    with pytest.raises(Refused, match="Criminal investigation"):
        service.approve(sup, req.pk)
    assert Case.objects.get(pk=case.pk).state == "identified"
    assert ClosureRequest.objects.get().status == "pending"
    service.return_request(sup, req.pk, reason="an investigation was opened")


def test_another_agencys_supervisor_gets_404(client, world, case):  # type: ignore[no-untyped-def]
    made = _request(client, world, case).json()
    out = world.h("outsider_sup")
    assert client.get(f"{P}/cases/{case.pk}/closure", **out).status_code == 404
    assert post(client, f"/closures/{made['id']}/approve", {}, out).status_code == 404
    assert post(client, f"/closures/{made['id']}/return", {"reason": "no"}, out).status_code == 404
    assert (
        post(client, f"/closures/{made['id'] + 1000}/approve", {}, world.h("sup")).status_code
        == 404
    )
    assert client.get(f"/cases/{case.pk}/closure/", **out).status_code in (302, 404)
    assert ClosureRequest.objects.get().status == "pending"


def test_the_caseworker_withdraws_a_pending_request(client, world, case):  # type: ignore[no-untyped-def]
    made = _request(client, world, case).json()
    url = f"/closures/{made['id']}/withdraw"
    assert post(client, url, {}, world.h("outsider")).status_code == 404
    assert post(client, url, {}, world.h("admin")).status_code == 404
    done = post(client, url, {}, world.h("cw"))
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    assert post(client, url, {}, world.h("cw")).status_code == 409
    assert post(client, f"/closures/{made['id']}/approve", {}, world.h("sup")).status_code == 409
    assert Case.objects.get(pk=case.pk).state == "identified"
    assert AuditEntry.objects.filter(action="withdraw_closure", record_id=case.reference).exists()
    assert _request(client, world, case).status_code == 201
