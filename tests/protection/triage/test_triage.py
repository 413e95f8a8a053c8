"""The triage queue: a community report of a 13-year-old in danger waits, urgent and due within
the hour, for a duty officer; who takes it owns the case; what is overdue escalates once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role, Team
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, CaseAssignment
from lantern.protection import worklists
from lantern.protection.triage import service as triage
from lantern.protection.triage import urgency
from lantern.protection.triage.models import TriageItem
from tests import factories
from tests.protection.conftest import P, World, post

pytestmark = pytest.mark.django_db

REPORT = {
    "place": "Bus park, gate 2",
    "concerns": ["distressed_with_indifferent_adult"],
    "severity": "intervene",
    "child": {"given_name": "Asha", "age": 13, "gender": "Feminine"},
    "confirm_new": True,
}


def _report(client: Client, world: World, **extra: Any) -> Case:
    res = post(client, "/intake/community-report", {**REPORT, **extra}, world.h("reporter"))
    assert res.status_code == 201, res.content
    return Case.objects.get(pk=res.json()["id"])


def _item(case: Case) -> TriageItem:
    return TriageItem.objects.get(case=case)


def test_a_reported_13_year_old_in_danger_enters_the_queue_as_urgent_with_a_due_time(client, world):
    before = dt.datetime.now(dt.UTC)
    case = _report(client, world)
    item = _item(case)
    # Intervene for a child under 15: immediate, due within the hour, with the reasons kept
    assert item.urgency == "immediate"
    assert item.reasons == ["reporter_intervene", "young_child"]
    assert before <= item.received_at <= dt.datetime.now(dt.UTC)
    assert item.due_at - item.received_at == dt.timedelta(hours=1)
    assert item.duty_officer is None and item.status == "waiting"  # a reporter is no officer
    assert case.owner is None
    # the bystander's guess is recorded as what it is
    assert case.age_at_identification == 13 and case.age_evidence == "reporter_estimate"
    res = client.get(f"{P}/triage", **world.h("cw"))
    assert res.status_code == 200
    (row,) = res.json()["items"]
    assert row["reference"] == case.reference and row["urgency"] == "immediate"
    assert row["age_evidence"] == "reporter_estimate" and row["overdue"] is False
    assert "Asha" not in res.content.decode()  # the queue shows no names


def test_the_queue_is_ordered_by_urgency_then_due_time(client, world):
    normal = _report(client, world, severity="report", child={"age": 16})
    high = _report(client, world, child={"age": 16})  # intervene, 16: high
    immediate = _report(client, world, severity="emergency", child={"age": 16})
    rows = client.get(f"{P}/triage", **world.h("sup")).json()["items"]
    assert [r["reference"] for r in rows] == [
        immediate.reference,
        high.reference,
        normal.reference,
    ]
    assert [r["urgency"] for r in rows] == ["immediate", "high", "normal"]
    hours = [(_item(c).due_at - _item(c).received_at) for c in (immediate, high, normal)]
    assert hours == [dt.timedelta(hours=h) for h in (1, 24, 72)]


def test_the_urgency_rule_says_why():
    assert urgency.assess("emergency", [], None) == urgency.Assessment(
        "immediate", ("reporter_emergency",)
    )
    assert urgency.assess("report", ["suspected_trafficking"], 16).reasons == (
        "reporter_report",
        "concern_trafficking",
    )
    assert urgency.assess("report", ["unaccompanied"], 9).urgency == "high"
    assert urgency.assess("monitor", ["at_risk"], 9).urgency == "normal"
    assert urgency.assess("report", [], None).urgency == "normal"  # age unknown raises nothing


def test_due_hours_are_a_setting(client, world, settings):
    settings.LANTERN_TRIAGE_DUE_HOURS = {"immediate": 2}
    item = _item(_report(client, world))
    assert item.due_at - item.received_at == dt.timedelta(hours=2)


def test_a_hotline_call_is_triaged_and_its_caller_owns_it_as_duty_officer(client, world):
    body = {"concerns": ["at_risk"], "severity": "report", "child": {"age": 10}}
    res = post(client, "/intake/hotline", {**body, "confirm_new": True}, world.h("cw"))
    assert res.status_code == 201, res.content
    case = Case.objects.get(pk=res.json()["id"])
    item = _item(case)
    assert item.duty_officer == world.users["cw"] and item.urgency == "normal"
    assert case.age_evidence == "reporter_estimate"
    stated = {**body, "child": {"age": 10, "age_evidence": "stated"}, "confirm_new": True}
    res = post(client, "/intake/hotline", stated, world.h("cw"))  # the child called: stated
    assert Case.objects.get(pk=res.json()["id"]).age_evidence == "stated"
    # other channels are not triaged
    res = post(client, "/intake/self-referral", {"child": {"age": 12}}, world.h("cw"))
    assert not TriageItem.objects.filter(case_id=res.json()["id"]).exists()


def test_the_supervisor_names_the_duty_officer_who_takes_it_and_becomes_the_owner(client, world):
    case = _report(client, world)
    item = _item(case)
    cw, cw_b, sup = world.users["cw"], world.users["cw_b"], world.users["sup"]
    # a caseworker cannot name the duty officer
    res = post(client, f"/triage/{item.pk}/assign", {"officer": cw.pk}, world.h("cw"))
    assert res.status_code == 403
    # another agency's caseworker is no duty officer here
    outsider = world.users["outsider"].pk
    res = post(client, f"/triage/{item.pk}/assign", {"officer": outsider}, world.h("sup"))
    assert res.status_code == 422 and res.json()["field"] == "officer"
    res = post(client, f"/triage/{item.pk}/assign", {"officer": cw.pk}, world.h("sup"))
    assert res.status_code == 200 and res.json()["duty_officer"] == "cw"
    # urgent: in the duty officer's My work, not in a colleague's
    assert [t.kind for t in worklists.my_tasks(cw)].count("triage_urgent") == 1
    assert "triage_urgent" not in [t.kind for t in worklists.my_tasks(cw_b)]
    # the item is cw's: a colleague cannot take it
    res = post(client, f"/triage/{item.pk}/take", {}, world.h("cw_b"))
    assert res.status_code == 409 and "cw" in res.json()["detail"]
    res = post(client, f"/triage/{item.pk}/take", {}, world.h("cw"))
    assert res.status_code == 200 and res.json()["status"] == "taken"
    case.refresh_from_db()
    assert case.owner == cw
    step = CaseAssignment.objects.get(case=case)
    assert step.to_owner == cw and step.by == cw
    assert AuditEntry.objects.filter(action="take", resource="triage", username="cw").exists()
    # taken once only
    res = post(client, f"/triage/{item.pk}/take", {}, world.h("sup"))
    assert res.status_code == 409
    # closing needs a note, then it leaves the queue; the note is encrypted
    res = post(client, f"/triage/{item.pk}/handle", {"note": "  "}, world.h("cw"))
    assert res.status_code == 422 and res.json()["field"] == "note"
    note = "Visited the bus park with police; child placed in the shelter"
    res = post(client, f"/triage/{item.pk}/handle", {"note": note}, world.h("cw"))
    assert res.status_code == 200 and res.json()["status"] == "handled"
    assert client.get(f"{P}/triage", **world.h("sup")).json()["items"] == []
    assert triage.queue(sup) == []
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT handled_note FROM cases_triageitem")
        assert "bus park" not in cur.fetchone()[0]


def test_taking_a_report_from_another_team_brings_the_case_into_the_takers_team(client, world):
    case = _report(client, world)
    night = Team.objects.create(agency=world.users["cw"].agency, name="night duty")
    officer = factories.user("night", Role.CASEWORKER, agency_code="ngo-one", team="night duty")
    token = factories.api_token("night")
    res = post(
        client, f"/triage/{_item(case).pk}/take", {}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    )
    assert res.status_code == 200, res.content
    case.refresh_from_db()
    assert case.owner == officer and case.team == night
    res = client.get(f"{P}/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert res.status_code == 200  # the taker can now work the case


def test_an_overdue_item_escalates_to_the_supervisor_once(client, world, cli):
    case = _report(client, world)
    item = _item(case)
    TriageItem.objects.filter(pk=item.pk).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    )
    # overdue as soon as it is read, before any escalation ran
    (row,) = client.get(f"{P}/triage", **world.h("sup")).json()["items"]
    assert row["overdue"] is True and row["escalated"] is False
    result = cli("triage", "escalate")
    assert result.exit_code == 0 and "1 overdue" in result.output
    assert cli("triage", "escalate").output.startswith("0 overdue")  # once
    item.refresh_from_db()
    assert item.escalated_at is not None
    entries = AuditEntry.objects.filter(action="escalate", resource="triage")
    assert entries.count() == 1 and entries.get().record_id == case.reference
    (row,) = client.get(f"{P}/triage", **world.h("sup")).json()["items"]
    assert row["escalated"] is True
    # in the supervisor's My work, not in another agency's
    assert [
        t.reference for t in worklists.my_tasks(world.users["sup"]) if t.kind == "triage_escalated"
    ] == [case.reference]
    assert not [t for t in worklists.my_tasks(world.users["outsider_sup"]) if "triage" in t.kind]
    # a handled item never escalates
    other = _item(_report(client, world))
    TriageItem.objects.filter(pk=other.pk).update(
        status="handled", due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )
    assert triage.escalate_overdue() == []
    # nor does one whose case was closed meanwhile (e.g. as a duplicate): it leaves the queue
    closed = _item(_report(client, world))
    TriageItem.objects.filter(pk=closed.pk).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    )
    Case.objects.filter(pk=closed.case_id).update(state="closed")
    assert triage.escalate_overdue() == []
    assert closed.case.reference not in [r.reference for r in triage.queue(world.users["sup"])]


def test_an_unassigned_urgent_report_waits_in_the_supervisors_work(client, world):
    case = _report(client, world)
    tasks = worklists.my_tasks(world.users["sup"])
    assert [(t.kind, t.reference) for t in tasks if "triage" in t.kind] == [
        ("triage_to_assign", case.reference)
    ]


def test_another_agencys_item_is_not_found(client, world):
    item = _item(_report(client, world))
    for who in ("outsider", "outsider_sup"):
        assert client.get(f"{P}/triage/{item.pk}", **world.h(who)).status_code == 404
        assert post(client, f"/triage/{item.pk}/take", {}, world.h(who)).status_code == 404
        assert client.get(f"{P}/triage", **world.h(who)).json()["items"] == []
    res = post(client, f"/triage/{item.pk}/assign", {"officer": 1}, world.h("outsider_sup"))
    assert res.status_code == 404
    assert _item(item.case).status == "waiting"


def test_reporters_never_read_the_queue(client, world):
    item = _item(_report(client, world))
    assert client.get(f"{P}/triage", **world.h("reporter")).status_code == 403
    assert client.get(f"{P}/triage/{item.pk}", **world.h("reporter")).status_code == 404
    web = factories.verified_login(Client(), world.users["reporter"])
    assert web.get("/triage/").status_code == 404
    assert web.get(f"/triage/{item.pk}/").status_code == 404
