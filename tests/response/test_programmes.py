"""The national plan, its programmes and targets, and progress computed from the statistics."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.errors import Invalid, NotAllowed, NotFound
from lantern.monitoring import mart
from lantern.response.programmes import service
from lantern.response.programmes.progress import Status
from tests import factories
from tests.response.conftest import bagmati_records

pytestmark = pytest.mark.django_db


def _programme(user, lead, partners=()):
    plan = service.save_plan(
        user,
        title="National Plan of Action against Child Trafficking 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
        next_review=dt.date(2026, 6, 30),
    )
    return service.save_programme(
        user,
        plan=plan.pk,
        title="Safe villages in Bagmati",
        goal="Fewer children trafficked from Bagmati",
        areas=["NPL/Bagmati"],
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
        review_dates=[dt.date(2025, 6, 30), dt.date(2026, 6, 30)],
    )


def _computed_target(user, programme, baseline=10.0, target=5.0):
    return service.add_target(
        user,
        programme,
        statement="Halve the children trafficked from Bagmati by 2027",
        direction="decrease",
        baseline_value=baseline,
        baseline_year=2023,
        target_value=target,
        target_date=dt.date(2027, 12, 31),
        indicator_kind="computed",
        unit="children",
        filters=[("origin_province", "Bagmati"), ("form", "Sexual exploitation")],
    )


def test_a_programme_records_its_governance_and_is_audited(coordinator, ministry, partner):
    programme = _programme(coordinator, ministry, [partner])
    assert programme.responsible == ministry
    assert list(programme.partners.all()) == [partner]
    assert programme.review_dates == ["2025-06-30", "2026-06-30"]
    assert programme.plan.next_review == dt.date(2026, 6, 30)
    assert AuditEntry.objects.filter(resource="programme", record_id=str(programme.pk)).exists()


def test_only_the_coordinator_manages_programmes(coordinator, ministry):
    analyst = factories.user("ana", Role.ANALYST, agency_code=None, team=None)
    caseworker = factories.user("cw", Role.CASEWORKER)
    with pytest.raises(NotAllowed):
        _programme(analyst, ministry)
    programme = _programme(coordinator, ministry)
    assert service.get_programme(analyst, programme.pk) == programme  # reads progress
    with pytest.raises(NotFound):
        service.get_programme(caseworker, programme.pk)
    with pytest.raises(NotAllowed):
        _computed_target(analyst, programme)


def test_bad_input_names_the_field(coordinator, ministry):
    programme = _programme(coordinator, ministry)
    with pytest.raises(Invalid) as exc:
        _computed_target(coordinator, programme, baseline=10, target=12)
    assert exc.value.field == "target_value"
    with pytest.raises(Invalid) as exc:
        service.add_target(
            coordinator,
            programme,
            statement="x",
            direction="decrease",
            baseline_value=3,
            baseline_year=2023,
            target_value=1,
            target_date=dt.date(2027, 1, 1),
            indicator_kind="computed",
            filters=[("year", "2024")],
        )
    assert exc.value.field == "filters"
    with pytest.raises(Invalid, match="no category"):
        service.add_target(
            coordinator,
            programme,
            statement="x",
            direction="decrease",
            baseline_value=3,
            baseline_year=2023,
            target_value=1,
            target_date=dt.date(2027, 1, 1),
            indicator_kind="computed",
            filters=[("form", "juggling")],
        )
    with pytest.raises(Invalid) as exc:
        service.save_programme(
            coordinator,
            plan=programme.plan_id,
            title="t",
            starts_on=dt.date(2025, 1, 1),
            deadline=dt.date(2024, 1, 1),
            responsible=ministry.pk,
        )
    assert exc.value.field == "deadline"
    with pytest.raises(Invalid) as exc:
        service.save_programme(
            coordinator,
            plan=programme.plan_id,
            title="t",
            starts_on=dt.date(2025, 1, 1),
            deadline=dt.date(2026, 1, 1),
            responsible=999_999,
        )
    assert exc.value.field == "responsible"


def test_progress_counts_from_the_statistics_with_a_poisson_interval(
    coordinator, ministry, tmp_path, settings
):
    settings.VAR_DIR = tmp_path / "var"
    bagmati_records(1, 4, 2024, tmp_path)
    bagmati_records(10, 9, 2025, tmp_path)
    mart.build()
    target = _computed_target(coordinator, _programme(coordinator, ministry))
    got = service.progress(coordinator, target)
    assert not got.error
    by_year = {p.year: p for p in got.points}
    assert by_year[2024].value == 4 and by_year[2025].value == 9
    # the exact 95% interval of a count of 4 is 1.09 to 10.24
    assert by_year[2024].low == pytest.approx(1.0899, abs=1e-3)
    assert by_year[2024].high == pytest.approx(10.2416, abs=1e-3)
    assert "Province of origin: Bagmati" in by_year[2025].scope
    assert "built at" in by_year[2025].source and by_year[2025].computed_at
    # 2025 (9) is judged against the line from 10 in 2023 to 5 in 2027 (7.5 in 2025): worse,
    # but its interval (4.1 to 17.1) reaches the line: uncertain, not behind
    assert got.assessment.year == 2025
    assert got.assessment.expected == pytest.approx(7.5)
    assert got.assessment.status is Status.UNCERTAIN


def test_progress_moves_when_cases_are_added(coordinator, ministry, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    bagmati_records(1, 2, 2025, tmp_path)
    mart.build()
    target = _computed_target(
        coordinator, _programme(coordinator, ministry), baseline=30, target=10
    )
    before = service.progress(coordinator, target)
    assert before.assessment.status is Status.MET
    bagmati_records(20, 40, 2025, tmp_path)
    mart.build()
    after = service.progress(coordinator, target)
    assert {p.year: p.value for p in after.points}[2025] == 42
    assert after.assessment.status is Status.BEHIND


def test_without_a_mart_progress_says_why(coordinator, ministry, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "empty"
    target = _computed_target(coordinator, _programme(coordinator, ministry))
    got = service.progress(coordinator, target)
    assert got.points == [] and "mart" in got.error
    assert got.assessment.status is Status.NO_DATA


def test_an_entered_indicator_keeps_its_source_and_its_uncertainty(coordinator, ministry):
    programme = _programme(coordinator, ministry)
    target = service.add_target(
        coordinator,
        programme,
        statement="Girls back in school",
        direction="increase",
        baseline_value=40,
        baseline_year=2023,
        target_value=80,
        target_date=dt.date(2027, 6, 30),
        indicator_kind="entered",
        indicator_name="Share of returned girls enrolled (%)",
    )
    service.enter_value(coordinator, target, year=2024, value=55, source_text="School census 2024")
    service.enter_value(
        coordinator,
        target,
        year=2025,
        value=62,
        low=58,
        high=66,
        source_text="Household survey 2025, table 4",
    )
    got = service.progress(coordinator, target)
    assert [(p.year, p.value, p.low, p.high) for p in got.points] == [
        (2024, 55, None, None),
        (2025, 62, 58, 66),
    ]
    assert got.points[1].source == "Household survey 2025, table 4"
    assert got.assessment.status is Status.ON_TRACK  # 62 >= 40 + 40 * 2/4 = 60
    with pytest.raises(Invalid) as exc:
        service.enter_value(
            coordinator, target, year=2025, value=70, low=71, high=80, source_text="s"
        )
    assert exc.value.field == "low"
