"""The directory API: an agency writes and submits, a coordinator approves, others read only
what is approved; bad input is a 422 naming the field; search and coverage answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db
P = "/api/directory"


@pytest.fixture
def auth(fast_passwords: None) -> dict[str, dict[str, str]]:
    specs = {
        "admin": (Role.AGENCY_ADMIN, "ngo-one"),
        "other": (Role.CASEWORKER, "police-two"),
        "coord": (Role.NATIONAL_COORDINATOR, None),
        "analyst": (Role.ANALYST, None),
    }
    out = {}
    for name, (role, agency) in specs.items():
        factories.user(name, role, agency_code=agency, team="casework" if agency else None)
        out[name] = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(name)}"}
    return out


def _call(method: str, url: str, who: dict[str, str], body: Any = None) -> Any:
    return Client().generic(
        method,
        P + url,
        "" if body is None else json.dumps(body),
        content_type="application/json",
        **who,
    )


def test_the_review_over_the_api(auth: dict[str, dict[str, str]]) -> None:
    body = {
        "name": "Centre Espoir",
        "type": "NGO",
        "language": "fr",
        "description": "Protection des enfants",
        "areas": ["NPL/Bagmati"],
    }
    r = _call("POST", "/organisations", auth["admin"], body)
    assert r.status_code == 201, r.content
    org = r.json()
    assert org["status"] == "draft" and org["fields"]["areas"] == ["NPL/Bagmati"]
    oid = org["id"]
    assert _call("GET", f"/organisations/{oid}", auth["other"]).status_code == 404
    r = _call(
        "POST",
        f"/organisations/{oid}/services",
        auth["admin"],
        {"name": "Écoute", "support_type": "psychosocial", "language": "fr"},
    )
    assert r.status_code == 201
    sid = r.json()["id"]
    assert _call("POST", f"/organisations/{oid}/approve", auth["admin"], {}).status_code == 403
    assert _call("POST", f"/organisations/{oid}/approve", auth["coord"], {}).status_code == 409
    for entry in ({}, {"kind": "service", "id": sid}):
        assert (
            _call("POST", f"/organisations/{oid}/submit", auth["admin"], entry).status_code == 200
        )
        r = _call("POST", f"/organisations/{oid}/approve", auth["coord"], entry)
        assert r.status_code == 200 and r.json()["status"] == "approved"
    seen = _call("GET", f"/organisations/{oid}", auth["other"]).json()
    assert [e["title"] for e in seen["entries"]] == ["Écoute"]
    found = _call("GET", "/search?q=enfants", auth["other"]).json()
    assert [(h["kind"], h["id"]) for h in found] == [("organisation", oid)]
    fits = _call("GET", "/services?needs=psychosocial&area=NPL/Bagmati", auth["other"]).json()
    assert [s["id"] for s in fits] == [sid]
    r = _call("PATCH", f"/services/{sid}", auth["admin"], {"support_type": "nope"})
    assert r.status_code == 422 and r.json()["field"] == "support_type"
    assert _call("GET", "/coverage", auth["coord"]).status_code == 200
    assert _call("GET", "/coverage", auth["admin"]).status_code == 403
    assert _call("GET", "/organisations", auth["analyst"]).status_code == 403


def test_an_entry_of_another_organisation_is_not_reviewed_through_this_one(
    auth: dict[str, dict[str, str]],
) -> None:
    a = _call("POST", "/organisations", auth["admin"], {"name": "A", "type": "NGO"}).json()
    b = _call("POST", "/organisations", auth["admin"], {"name": "B", "type": "NGO"}).json()
    s = _call(
        "POST",
        f"/organisations/{b['id']}/services",
        auth["admin"],
        {"name": "S", "support_type": "legal"},
    ).json()
    r = _call(
        "POST",
        f"/organisations/{a['id']}/submit",
        auth["admin"],
        {"kind": "service", "id": s["id"]},
    )
    assert r.status_code == 422 and r.json()["field"] == "id"
