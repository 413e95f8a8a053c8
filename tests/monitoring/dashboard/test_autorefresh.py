"""The mart follows the store by itself: an edit or an import, once committed, is followed by a
refresh; many changes make one; a failed refresh leaves the edit standing, is logged without a
record's data and shown; the statistics pages say how old their figures are."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.test import Client

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.monitoring import mart
from lantern.monitoring.dashboard import refresh
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def synchronous(settings: Any) -> None:
    settings.LANTERN_MART_REFRESH = "now"


def builds() -> int:
    return AuditEntry.objects.filter(action="build", resource="mart").count()


def test_an_edit_is_followed_by_a_refresh(
    stats_mart: mart.MartInfo, synchronous: None, django_capture_on_commit_callbacks: Any
) -> None:
    case = Case.objects.get(source_record_id="S1")
    with django_capture_on_commit_callbacks(execute=True):
        case.citizenship = "ALB"
        case.save()
    info = mart.info()
    assert info is not None and info.as_of > stats_mart.as_of
    changed = pq.read_table(info.path, filters=[("citizenship", "=", "ALB")])
    assert mart.pseudonymiser()("case", case.reference) in changed.column("case_key").to_pylist()
    job = refresh.status()
    assert job.state == refresh.DONE and job.automatic
    assert refresh.freshness(info)["stale"] is False


def test_an_import_is_followed_by_one_refresh(
    stats_mart: mart.MartInfo,
    synchronous: None,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = builds()
    rows = [factories.record(i, "ngo-one") for i in range(600, 620)]
    with django_capture_on_commit_callbacks(execute=True):
        factories.import_records(rows, tmp_path)
    assert mart.info().cases == 80  # type: ignore[union-attr]
    assert builds() == before + 1
    entry = AuditEntry.objects.filter(action="build", resource="mart").latest("pk")
    assert entry.source == "automatic refresh" and entry.reason == refresh.DONE


def test_a_web_import_job_is_followed_by_a_refresh(
    stats_mart: mart.MartInfo,
    synchronous: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from lantern.cases.importjobs import service

    settings.LANTERN_IMPORT_RUNNER = "command"  # the job waits; the runner is called here
    admin = factories.user("aadm", "agency_admin", agency_code="ngo-one", team=None)
    rows = [factories.record(i, "ngo-one") for i in range(700, 705)]
    body = factories.write_csv(Path(settings.VAR_DIR) / "web.csv", rows).read_bytes()
    job = service.check(admin, body, "web.csv", source="test")
    service.confirm(admin, job.pk)
    with django_capture_on_commit_callbacks(execute=True):
        service.run(job.pk)
    assert mart.info().cases == 65  # type: ignore[union-attr]
    assert refresh.status().automatic and refresh.status().state == refresh.DONE


def test_many_changes_while_one_refresh_waits_make_one_build(
    stats_mart: mart.MartInfo, synchronous: None, django_capture_on_commit_callbacks: Any
) -> None:
    refresh._write(refresh._automatic(refresh._moment()))  # queued, waiting for edits to settle
    before = builds()
    for source in ("S1", "S2", "S3"):
        with django_capture_on_commit_callbacks(execute=True):
            Case.objects.get(source_record_id=source).save()
    assert builds() == before  # the queued refresh will read them
    page = factories.verified_login(
        Client(), factories.user("coord2", "national_coordinator", agency_code=None, team=None)
    ).get("/statistics/tables/")
    assert "a refresh is under way" in page.content.decode()
    refresh._work()  # the worker's turn
    assert builds() == before + 1
    assert refresh.status().state == refresh.DONE and not refresh.status().again


def test_a_change_while_a_refresh_runs_asks_for_one_more(
    stats_mart: mart.MartInfo, synchronous: None
) -> None:
    running = refresh.Refresh(state=refresh.RUNNING, runner=refresh._runner(), automatic=True)
    refresh._write(running)
    refresh.note_change()
    refresh.note_change()
    job = refresh.status()
    assert job.state == refresh.RUNNING and job.again and job.changed_at


def test_a_failed_refresh_leaves_the_edit_and_says_so_without_data(
    stats_mart: mart.MartInfo,
    synchronous: None,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
    coordinator: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = Case.objects.get(source_record_id="S1")

    def disk_full(*args: Any, **kwargs: Any) -> mart.MartInfo:
        raise OSError(f"No space left on device writing {case.reference}")

    monkeypatch.setattr(mart, "build", disk_full)  # the fault: a full disk
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        case.citizenship = "ALB"
        case.save()
    assert Case.objects.get(pk=case.pk).citizenship == "ALB"  # the edit stands
    job = refresh.status()
    assert job.state == refresh.FAILED and job.error == "OSError"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "mart refresh failed: OSError" in logged and case.reference not in logged
    client = factories.verified_login(Client(), coordinator)
    assert (
        "The refresh stopped before the end" in client.get("/statistics/refresh/").content.decode()
    )
    page = client.get("/statistics/").content.decode()
    assert "the records have changed since" in page


def test_the_pages_say_when_the_figures_are_older_than_the_records(
    stats_mart: mart.MartInfo, settings: Any, coordinator: Any
) -> None:
    client = factories.verified_login(Client(), coordinator)
    assert 'id="mart-freshness"' not in client.get("/statistics/").content.decode()
    failed = refresh.Refresh(state=refresh.FAILED, changed_at=refresh._moment())
    refresh._write(failed)
    for url in (
        "/statistics/",
        "/statistics/tables/",
        "/statistics/trends/",
        "/statistics/routes/",
    ):
        page = client.get(url).content.decode()
        assert 'id="mart-freshness"' in page, url
        assert "the records have changed since" in page, url


def test_no_refresh_follows_changes_made_while_paused(
    stats_mart: mart.MartInfo, synchronous: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A bulk job (the demo's seeding) pauses the refresh and builds once itself; the next
    change after the pause is followed again."""
    before = builds()
    case = Case.objects.get(source_record_id="S1")
    with refresh.paused(), django_capture_on_commit_callbacks(execute=True):
        case.citizenship = "ALB"
        case.save()
    assert builds() == before
    with django_capture_on_commit_callbacks(execute=True):
        case.citizenship = "NPL"
        case.save()
    assert builds() == before + 1
