"""The story over the API: typed answers, 4xx with a reason (never 500) for bad input, 404 for
another team's case, and the history list."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.cases.models import Case, TraffickingEvent
from lantern.protection.story.models import CaseChange
from tests import factories
from tests.protection.story.conftest import Cast

pytestmark = pytest.mark.django_db


def _call(method: str, url: str, user: Any, body: Any = None) -> Any:
    token = factories.api_token(user.username)
    data = "" if body is None else json.dumps(body) if not isinstance(body, str) else body
    return Client().generic(
        method,
        "/api" + url,
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_story_is_read_added_to_changed_and_removed(cast: Cast) -> None:
    case, cw = cast.case, cast.cw
    base = f"/cases/{case.pk}/story"
    story = _call("GET", base, cw).json()
    assert [e["type"] for e in story["events"]] == ["recruitment", "transit", "exploitation"]
    assert story["circumstances"]["forms_of_exploitation"] == [
        "sexual_exploitation",
        "forced_labour",
    ]
    r = _call(
        "POST",
        base + "/events",
        cw,
        {"type": "transit", "date": "2024-01-02", "country": "ind", "transport": "train"},
    )
    assert r.status_code == 201, r.content
    event, change_id = r.json()["event"], r.json()["change_id"]
    assert event["country"] == "IND" and CaseChange.objects.filter(pk=change_id).exists()
    r = _call("PATCH", f"{base}/events/{event['id']}", cw, {"date": None})  # clears it
    assert r.status_code == 422 and r.json()["field"] == "reason"  # a recorded date: why?
    r = _call(
        "PATCH", f"{base}/events/{event['id']}", cw, {"city": "Raxaul", "reason": "Told later"}
    )
    assert r.status_code == 200 and r.json()["event"]["city"] == "Raxaul"
    assert r.json()["event"]["transport"] == "train"  # fields not sent keep their values
    r = _call("DELETE", f"{base}/events/{event['id']}", cw, {"reason": "Entered twice"})
    assert r.status_code == 200 and r.json()["removed"] == event["id"]
    assert not TraffickingEvent.objects.filter(pk=event["id"]).exists()

    r = _call("POST", base + "/episodes", cw, {"form": "forced_begging", "country": "NPL"})
    assert r.status_code == 201 and r.json()["episode"]["form"] == "forced_begging"
    r = _call("POST", base + "/actors", cw, {"role": "recruiter", "relationship": "Familial"})
    assert r.status_code == 201 and r.json()["actor"]["ref"].startswith("P-")
    r = _call(
        "PATCH",
        base,
        cw,
        {
            "vulnerabilities": ["orphan"],
            "methods_of_control": ["DebtBondage"],
            "reason": "The child explained",
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["circumstances"]["methods_of_control"] == ["DebtBondage"]
    assert "forced_begging" in r.json()["circumstances"]["forms_of_exploitation"]

    history = _call("GET", f"/cases/{case.pk}/history", cw).json()
    assert history["count"] == CaseChange.objects.filter(case=case).count() >= 6
    newest = history["results"][0]
    assert newest["what"] == "case.edit" and newest["reason"] == "The child explained"
    assert newest["before"]["methods_of_control"] == ["DebtBondage", "FalsePromises"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/events", {"type": "teleport"}, "type"),
        ("POST", "/events", {"type": "transit", "country": "XXX"}, "country"),
        ("POST", "/events", {"type": "transit", "crossing": "swam"}, "crossing"),
        ("POST", "/events", {"type": "transit", "date": "2999-01-01"}, "date"),
        ("POST", "/events", {"type": "transit", "city": "x" * 150}, "city"),
        ("POST", "/episodes", {"form": "hobby"}, "form"),
        ("POST", "/episodes", {"form": "forced_labour", "isic_section": "ZZ"}, "isic_section"),
        ("POST", "/actors", {"role": "recruiter", "relationship": "cousin"}, "relationship"),
        ("PATCH", "", {"acts": ["kidnap"]}, "acts"),
        ("PATCH", "", {"method_of_recruitment": "magic"}, "method_of_recruitment"),
    ],
)
def test_bad_codes_answer_422_naming_the_field(
    cast: Cast, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    before = CaseChange.objects.count(), cast.case.events.count()
    r = _call(method, f"/cases/{cast.case.pk}/story{path}", cast.cw, body)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field and r.json()["detail"]
    assert not r.json()["detail"].startswith(field + ":")  # named by its label, in words
    assert (CaseChange.objects.count(), cast.case.events.count()) == before


@pytest.mark.parametrize(
    "body",
    ['{"type": ', '{"type": "transit", "date": "yesterday"}', '{"type": "transit", "x": 1}', "[]"],
)
def test_unreadable_bodies_are_4xx_never_500(cast: Cast, body: str) -> None:
    r = _call("POST", f"/cases/{cast.case.pk}/story/events", cast.cw, body)
    assert 400 <= r.status_code < 500, r.content


def test_scope_another_team_gets_404_admins_403_auditors_and_analysts_404(cast: Cast) -> None:
    case = cast.case
    body = {"type": "transit"}
    for outsider in (cast.other_team, cast.other_agency, cast.auditor, cast.analyst):
        assert _call("POST", f"/cases/{case.pk}/story/events", outsider, body).status_code == 404
        assert _call("GET", f"/cases/{case.pk}/history", outsider).status_code == 404
    r = _call("POST", f"/cases/{case.pk}/story/events", cast.admin, body)
    assert r.status_code == 403 and r.json()["detail"]
    assert _call("GET", f"/cases/{case.pk}/story", cast.admin).status_code == 200
    assert case.events.count() == 3


def test_a_record_of_another_case_cannot_be_changed_through_this_one(cast: Cast, tmp_path) -> None:
    factories.import_records([factories.record(5, "ngo-one")], tmp_path)
    other = Case.objects.exclude(pk=cast.case.pk).get()
    theirs = other.events.first()
    url = f"/cases/{cast.case.pk}/story/events/{theirs.pk}"
    assert _call("DELETE", url, cast.cw, {"reason": "probe"}).status_code == 422
    assert TraffickingEvent.objects.filter(pk=theirs.pk).exists()


def test_the_history_withholds_reasons_from_an_administrator(cast: Cast) -> None:
    _call(
        "POST",
        f"/cases/{cast.case.pk}/story/events",
        cast.cw,
        {"type": "transit", "reason": "She said so"},
    )
    rows = _call("GET", f"/cases/{cast.case.pk}/history", cast.admin).json()["results"]
    assert rows[0]["reason"] is None and rows[0]["withheld"] == ["reason"]
    assert rows[0]["after"]["type"] == "transit"
