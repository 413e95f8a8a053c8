"""The one error contract (lantern.api): a domain error raised by any router's service answers
the same status, with ``{"detail": reason, "field": name}``; a missing record and one outside
the caller's scope answer alike; the pages answer Django's 404 page for the same NotFound.

Every request goes to the production API (lantern.urls), through a real service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from lantern.cases.models import Case
from tests import factories
from tests.protection.conftest import P, post, transit_body, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client: Any, world: Any) -> Case:  # noqa: F811
    res = post(client, "/intake/transit-reception", transit_body(), world.h("cw"))
    assert res.status_code == 201, res.content
    return Case.objects.get(pk=res.json()["id"])


def _error(res: Any, status: int, field: str = "") -> str:
    assert res.status_code == status, res.content
    body = res.json()
    assert body["field"] == field, body
    return str(body["detail"])


def test_not_found_and_out_of_scope_answer_alike_on_every_router(client, world, case):  # noqa: F811
    """404 from the cases, screening, protection, linkage and exchange routers' services."""
    out = world.h("outsider")
    other_case = [
        ("get", f"/cases/{case.pk}"),
        ("get", f"/cases/{case.pk}/screenings"),
        ("get", f"/cases/{case.pk}/protection"),
        ("get", f"/cases/{case.pk}/placements"),
        ("get", f"/cases/{case.pk}/wellbeing"),
        ("get", f"/safe-places/{world.shelter.pk}"),
    ]
    for method, url in other_case:
        outside = getattr(client, method)(P + url, **out)
        missing = getattr(client, method)(P + url.replace(str(case.pk), "999999"), **world.h("cw"))
        assert _error(outside, 404).startswith("No such"), url
        if str(case.pk) in url:
            assert missing.json() == outside.json(), url  # the same answer: nothing leaks
    refused = post(
        client, f"/cases/{case.pk}/export-packet", {"agreement": "x", "reason": "r"}, out
    )
    assert _error(refused, 404) == "No such case"
    assert _error(client.get(P + "/linkage/review/999999", **world.h("sup")), 404)


def test_invalid_answers_422_naming_the_field(client, world, case):  # noqa: F811
    cw = world.h("cw")
    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    visit = post(client, f"/cases/{case.pk}/visits", {"scheduled_for": past}, cw)
    assert "cannot be in the past" in _error(visit, 422, "scheduled_for")
    move = post(client, f"/cases/{case.pk}/transitions", {"to": "nowhere", "reason": "r"}, cw)
    assert "is not a state" in _error(move, 422, "to")
    checklist = client.get(P + "/screening/checklist?profile=nonsense", **cw)
    assert _error(checklist, 422, "profile").startswith("profile: must be one of")
    packet = post(client, "/exchange/import", {"packet": "not base64!"}, world.h("liaison"))
    assert _error(packet, 422, "packet") == "packet: not base64"


def test_not_allowed_answers_403(client, world, case):  # noqa: F811
    reporter = world.h("reporter")
    assert _error(client.get(P + "/cases/", **reporter), 403) == "your role may not list cases"
    assert _error(client.get(P + "/linkage/review", **world.h("cw")), 403)
    assert _error(client.get(P + "/caseload", **world.h("cw")), 403)
    referral = {
        "organisation": world.clinic.pk,
        "services": ["medical"],
        "consent_basis": "child_assent",
        "due_date": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
    }
    res = post(client, f"/cases/{case.pk}/referrals", referral, world.h("cw"))
    assert "no child assent" in _error(res, 403, "consent_basis")


def test_refused_answers_409_with_the_workflows_reason(client, world, case):  # noqa: F811
    jump = {"to": "follow_up", "reason": "skip ahead"}
    res = post(client, f"/cases/{case.pk}/transitions", jump, world.h("cw"))
    assert "cannot move from identified to follow_up" in _error(res, 409)
    again = post(client, "/intake/transit-reception", transit_body(), world.h("cw"))
    assert again.status_code == 409
    assert again.json()["matches"] and "confirm_new" in again.json()["detail"]


def test_unreadable_answers_400(client, world, case):  # noqa: F811
    cw = world.h("cw")
    res = client.get(P + "/cases/?registered_from=yesterday", **cw)
    assert "is not a date" in _error(res, 400, "registered_from")
    body = client.post(
        f"{P}/cases/{case.pk}/screenings", "{not json", content_type="application/json", **cw
    )
    assert _error(body, 400, "(body)").startswith("(body): not valid JSON")
    search = post(client, "/linkage/search", {"birthdate": "2011-02-03"}, cw)
    assert "given_name or family_name" in _error(search, 400)


def test_a_page_answers_not_found_with_the_404_page(client, world, case):  # noqa: F811
    """The same service's NotFound, on a page: Django's 404 page (lantern.edges.errors)."""
    outsider = factories.verified_login(Client(), world.users["outsider"])
    res = outsider.get(f"/cases/{case.pk}/protection/")
    assert res.status_code == 404 and res["Content-Type"].startswith("text/html")
