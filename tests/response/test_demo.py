"""The demo's national response: a plan whose computed target starts from the statistics."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Role
from lantern.demo.response import seed_response
from lantern.monitoring import mart
from lantern.response.agreements import service as agreements
from lantern.response.agreements.models import CooperationAgreement
from lantern.response.programmes import service
from lantern.response.programmes.models import NationalPlan, Programme, Target
from lantern.response.programmes.progress import Status
from tests import factories
from tests.response.conftest import bagmati_records

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_plan_programmes_targets_and_agreements(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    coordinator = factories.user(
        "demo-coordinator", Role.NATIONAL_COORDINATOR, agency_code=None, team=None
    )
    bagmati_records(1, 6, 2024, tmp_path)
    bagmati_records(50, 4, 2025, tmp_path)
    mart.build()
    assert seed_response() == {"plans": 1, "programmes": 2, "agreements": 3}
    assert seed_response()["plans"] == 0  # a second run adds nothing
    assert NationalPlan.objects.count() == 1 and Programme.objects.count() == 2
    computed = Target.objects.get(indicator__kind="computed")
    # the baseline is the statistics' first year; the target halves it
    assert (computed.baseline_year, computed.baseline_value) == (2024, 6)
    assert computed.target_value == 3
    got = service.progress(coordinator, computed)
    assert {p.year: p.value for p in got.points}[2025] == 4
    assert got.assessment.status is Status.ON_TRACK  # 4 against the line's 5
    entered = service.progress(coordinator, Target.objects.get(indicator__kind="entered"))
    assert [p.source for p in entered.points][-1].startswith("Household follow-up survey")
    flags = {a.type: agreements.validity(a).value for a in CooperationAgreement.objects.all()}
    assert flags == {
        "readmission": "in_force",
        "police_cooperation": "expiring",
        "data_sharing": "expired",
    }
