"""Refreshing the mart from the page: a background job with its progress, one at a time, for
those the policy allows; audited."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.errors import NotAllowed, Refused
from lantern.monitoring import mart
from lantern.monitoring.dashboard import refresh
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_page_queues_a_refresh_that_the_job_builds_with_its_progress(
    analyst: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = mart.info()
    assert before is not None
    Case.objects.filter(source_record_id="S1").delete()  # a change the mart has not seen
    client = factories.verified_login(Client(), analyst)
    with django_capture_on_commit_callbacks() as started:
        r = client.post("/statistics/refresh/")
    assert r.status_code == 302 and len(started) == 1  # the worker starts once committed
    page = client.get("/statistics/refresh/").content.decode()
    assert "Waiting to start" in page and 'id="refresh-form"' not in page
    built = page[page.index('id="mart-built"') :].split("</p>")[0]
    assert "Last prepared " in built and not re.search(r"\d{4}-\d{2}", built), built  # not ISO
    seen: list[tuple[int, int]] = []
    real = mart.build
    mart.build = lambda out=None, progress=None: real(  # type: ignore[assignment]
        out, lambda d, t: (seen.append((d, t)), progress and progress(d, t))
    )
    try:
        job = refresh.run()  # what the worker thread runs
    finally:
        mart.build = real  # type: ignore[assignment]
    assert job is not None and job.state == refresh.DONE and job.cases == 59
    assert seen[-1] == (59, 59) and refresh.status().done == 59
    assert mart.info().cases == 59  # type: ignore[union-attr]
    page = client.get("/statistics/refresh/").content.decode()
    assert "The statistics now hold 59 cases." in page and 'id="refresh-form"' in page
    assert AuditEntry.objects.filter(action="refresh", resource="mart", username="analyst").exists()
    assert AuditEntry.objects.filter(action="build", resource="mart", reason="done").exists()
    assert refresh.run() is None  # nothing queued any more


def test_one_refresh_at_a_time_and_only_for_coordinators_and_analysts(
    coordinator: Any, analyst: Any
) -> None:
    refresh.request(coordinator)
    with pytest.raises(Refused):
        refresh.request(analyst)
    client = factories.verified_login(Client(), analyst)
    r = client.post("/statistics/refresh/", follow=True)
    assert "already being refreshed" in r.content.decode()
    worker = factories.user("worker", Role.CASEWORKER)
    with pytest.raises(NotAllowed):
        refresh.request(worker)
    assert (
        factories.verified_login(Client(), worker).post("/statistics/refresh/").status_code == 404
    )


def test_a_refresh_left_running_by_a_process_that_is_gone_has_failed(coordinator: Any) -> None:
    job = refresh.Refresh(state=refresh.RUNNING, runner=f"{refresh.socket.gethostname()}:999999")
    refresh._path().write_text(json.dumps(refresh.asdict(job)))
    assert refresh.status().state == refresh.FAILED
    assert refresh.request(coordinator).state == refresh.QUEUED  # may be asked for again


def test_the_running_page_polls_and_shows_progress(coordinator: Any) -> None:
    job = refresh.Refresh(state=refresh.RUNNING, runner=refresh._runner(), done=2000, total=5000)
    refresh._path().write_text(json.dumps(refresh.asdict(job)))
    client = factories.verified_login(Client(), coordinator)
    page = client.get("/statistics/refresh/").content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="2000"' in page
    assert "2000 of 5000 cases read" in page
    part = client.get("/statistics/refresh/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in part and 'id="refresh-status"' in part.content.decode()
