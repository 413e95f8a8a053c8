"""The triage pages: the queue in words (labels, never codes), due and overdue shown plainly,
and the item's actions (take, name the duty officer, close as handled) through forms that say
what is wrong in the user's words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from lantern.protection.triage.models import TriageItem
from tests import factories
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db


def _report(world: World, **facts: object) -> TriageItem:
    case = intake.open_case(
        world.users["reporter"],
        "community_report",
        intake.Child(given_name="Asha", age=13, gender="Feminine"),
        {
            "place": "Bus park, gate 2",
            "concerns": ["distressed_with_indifferent_adult"],
            "severity": "intervene",
            **facts,
        },
        confirm_new=True,
    )
    return TriageItem.objects.get(case=case)


def _as(world: World, name: str) -> Client:
    return factories.verified_login(Client(), world.users[name])


def test_the_queue_speaks_in_labels_and_shows_what_is_overdue(world):
    item = _report(world)
    TriageItem.objects.filter(pk=item.pk).update(
        due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    )
    page = _as(world, "cw").get("/triage/")
    assert page.status_code == 200
    body = page.content.decode()
    for shown in (
        "Immediate danger",
        "The reporter asked for intervention",
        "The child is under 15",
        "Estimated by the person reporting (not verified)",
        "Report by a community member",
        "Distressed, with an indifferent adult",
        "Overdue",
        item.case.reference,
    ):
        assert shown in body, shown
    for code in ("reporter_estimate", "community_report", "young_child", "distressed_with"):
        assert code not in body, code
    assert "Asha" not in body  # no names in the queue
    assert 'href="/triage/"' in body  # the menu's entry


def test_the_menu_offers_the_queue_to_those_who_work_it_only(world):
    assert 'href="/triage/"' in _as(world, "sup").get("/cases/").content.decode()
    admin = _as(world, "admin").get("/cases/").content.decode()
    assert 'href="/triage/"' not in admin
    assert _as(world, "admin").get("/triage/").status_code == 404


def test_taking_from_the_page_opens_the_case_now_owned(world):
    item = _report(world)
    res = _as(world, "cw").post(f"/triage/{item.pk}/", {"action": "take"})
    assert res.status_code == 302 and res["Location"] == f"/cases/{item.case_id}/"
    assert Case.objects.get(pk=item.case_id).owner == world.users["cw"]
    again = _as(world, "cw_b").post(f"/triage/{item.pk}/", {"action": "take"})
    assert again.status_code == 409
    assert "cw has already taken this report" in again.content.decode()


def test_closing_without_a_note_says_what_is_missing(world):
    item = _report(world)
    cw = _as(world, "cw")
    cw.post(f"/triage/{item.pk}/", {"action": "take"})
    res = cw.post(f"/triage/{item.pk}/", {"action": "handle", "note": ""})
    assert res.status_code == 400
    assert "Say what was done before closing the report." in res.content.decode()
    res = cw.post(f"/triage/{item.pk}/", {"action": "handle", "note": "Placed in shelter"})
    assert res.status_code == 302 and res["Location"] == "/triage/"
    assert TriageItem.objects.get(pk=item.pk).status == "handled"


def test_the_supervisor_names_the_duty_officer_from_the_page(world):
    item = _report(world)
    sup = _as(world, "sup")
    page = sup.get(f"/triage/{item.pk}/").content.decode()
    assert "Name the duty officer" in page and "Duty officer" in page
    res = sup.post(
        f"/triage/{item.pk}/", {"action": "assign", "officer": world.users["outsider"].pk}
    )
    assert res.status_code == 400  # not one of the agency's officers offered
    assert 'name="action" value="assign"' in res.content.decode()
    res = sup.post(f"/triage/{item.pk}/", {"action": "assign", "officer": world.users["cw"].pk})
    assert res.status_code == 302
    assert TriageItem.objects.get(pk=item.pk).duty_officer == world.users["cw"]
    # a caseworker is offered no such form, and a forged post changes nothing
    cw = _as(world, "cw_b")
    assert "Name the duty officer" not in cw.get(f"/triage/{item.pk}/").content.decode()
    forged = cw.post(f"/triage/{item.pk}/", {"action": "assign", "officer": world.users["cw_b"].pk})
    assert forged.status_code == 404
    assert TriageItem.objects.get(pk=item.pk).duty_officer == world.users["cw"]


def test_my_work_lists_the_urgent_report_for_its_duty_officer(world):
    item = _report(world)
    _as(world, "sup").post(
        f"/triage/{item.pk}/", {"action": "assign", "officer": world.users["cw"].pk}
    )
    body = _as(world, "cw").get("/work/").content.decode()
    assert "Urgent report to triage" in body and item.case.reference in body
    assert "triage_urgent" in body  # the row's class; the label is what is read
    assert "Urgent report to triage" not in _as(world, "cw_b").get("/work/").content.decode()


def test_another_agencys_item_page_is_not_found(world):
    item = _report(world)
    out = _as(world, "outsider_sup")
    assert out.get(f"/triage/{item.pk}/").status_code == 404
    assert out.post(f"/triage/{item.pk}/", {"action": "take"}).status_code == 404
    assert item.case.reference not in out.get("/triage/").content.decode()
