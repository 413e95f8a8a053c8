"""The plan, programmes, targets and agreements over the API: the answers, and the refusals."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.monitoring import mart
from tests import factories
from tests.response.conftest import bagmati_records

pytestmark = pytest.mark.django_db


def _call(token: str, method: str, path: str, body: dict | None = None):
    return Client().generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_target_computed_from_the_statistics_over_the_api(
    coordinator, ministry, partner, tmp_path, settings
):
    settings.VAR_DIR = tmp_path / "var"
    bagmati_records(1, 5, 2025, tmp_path)
    mart.build()
    token = factories.api_token(coordinator.username)
    plan = _call(
        token,
        "POST",
        "/api/plans",
        {
            "title": "NPA 2024-2028",
            "starts_on": "2024-01-01",
            "ends_on": "2028-12-31",
            "responsible": ministry.pk,
        },
    )
    assert plan.status_code == 201, plan.content
    programme = _call(
        token,
        "POST",
        "/api/programmes",
        {
            "plan": plan.json()["id"],
            "title": "Safe villages",
            "areas": ["NPL/Bagmati"],
            "starts_on": "2024-01-01",
            "deadline": "2027-12-31",
            "responsible": ministry.pk,
            "partners": [partner.pk],
            "review_dates": ["2026-06-30"],
        },
    )
    assert programme.status_code == 201 and programme.json()["partners"] == ["Shakti Samuha"]
    pid = programme.json()["id"]
    target = _call(
        token,
        "POST",
        f"/api/programmes/{pid}/targets",
        {
            "statement": "Halve the children trafficked from Bagmati by 2027",
            "direction": "decrease",
            "baseline_value": 8,
            "baseline_year": 2023,
            "target_value": 4,
            "target_date": "2027-12-31",
            "indicator_kind": "computed",
            "filters": {"origin_province": "Bagmati"},
        },
    )
    assert target.status_code == 201, target.content
    got = _call(token, "GET", f"/api/targets/{target.json()['id']}/progress").json()
    assert got["status"] == "on_track" and got["judged_year"] == 2025  # 5 against the line's 6
    (point,) = [p for p in got["points"] if p["year"] == 2025]
    assert point["value"] == 5 and point["low"] < 5 < point["high"]
    assert "straight line" in got["rule"] and point["source"] and point["computed_at"]
    bad = _call(
        token,
        "POST",
        f"/api/programmes/{pid}/targets",
        {
            "statement": "x",
            "direction": "decrease",
            "baseline_value": 8,
            "baseline_year": 2023,
            "target_value": 4,
            "target_date": "2027-12-31",
            "indicator_kind": "computed",
            "filters": {"colour": "blue"},
        },
    )
    assert bad.status_code == 422 and "no dimension" in bad.json()["detail"]


def test_agreements_over_the_api_and_who_may_record_them(coordinator):
    token = factories.api_token(coordinator.username)
    made = _call(
        token,
        "POST",
        "/api/cooperation-agreements",
        {
            "reference": "NPL-IND-RA-2023",
            "title": "Readmission agreement",
            "type": "readmission",
            "countries": ["NPL", "IND"],
            "forms": ["sexual_exploitation"],
            "max_age": 17,
            "valid_from": "2023-01-01",
            "valid_until": "2030-12-31",
        },
    )
    assert made.status_code == 201 and made.json()["validity"] == "in_force"
    factories.user("lia", Role.LIAISON)
    liaison = factories.api_token("lia")
    seen = _call(liaison, "GET", f"/api/cooperation-agreements/{made.json()['id']}")
    assert seen.status_code == 200 and seen.json()["reference"] == "NPL-IND-RA-2023"
    refused = _call(
        liaison,
        "POST",
        "/api/cooperation-agreements",
        {
            "reference": "X",
            "title": "x",
            "type": "readmission",
            "countries": ["NPL", "IND"],
            "valid_from": "2023-01-01",
        },
    )
    assert refused.status_code == 403
