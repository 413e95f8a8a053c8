"""An agency administrator on a phone imports a file from the web: uploads it, reads the dry
run's row errors, confirms, and sees the job done by the server's worker thread (#16, item 5)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from lantern.accounts.models import Role
from lantern.cases.importjobs import files
from lantern.cases.importjobs.models import ImportJob, ImportStatus
from lantern.cases.models import Case
from tests import factories
from tests.web.helpers import fits

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def _var(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.LANTERN_IMPORT_RUNNER = "thread"


def _finished() -> bool:
    try:
        return ImportJob.objects.filter(status=ImportStatus.DONE).exists()
    except OperationalError:  # the worker's last write holds the table for a moment
        return False


def _hold_until_the_job_ends(route: Any) -> None:
    """The test server's in-memory SQLite lets one connection write at a time and never waits
    (a file database waits, PostgreSQL runs both): the page after the confirmation, which
    saves the session, is held until the worker thread has committed."""
    deadline = time.monotonic() + 60
    while route.request.method == "GET" and not _finished() and time.monotonic() < deadline:
        time.sleep(0.2)
    route.continue_()


def test_upload_check_confirm_and_see_it_done_on_a_phone(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    factories.agency("ngo-one")
    admin = factories.user("aadm", Role.AGENCY_ADMIN, team=None)
    rows = [factories.record(i) for i in range(1500)]
    rows[2]["prs_Gender"] = "Feminin"  # row 3: an unknown code
    path = factories.write_csv(tmp_path / "ngo-one records.csv", rows)

    # An agency administrator reads no identities: a password, no second factor.
    page.goto(live_server.url + "/signin/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)
    page.click("nav a[href='/imports/']")
    page.wait_for_url(re.compile(r"/imports/$"))
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=source_format]", "htcds")
    page.click("#upload-submit")
    page.wait_for_selector("#confirm-form")
    errors = page.inner_text("#row-errors")
    assert "3" in errors and "prs_Gender" in errors and "Feminin" in errors
    assert "1499 would be created" in page.inner_text("#job-counts")
    assert Case.objects.count() == 0  # the check wrote nothing
    fits(page)

    if connection.vendor == "sqlite":
        page.route(re.compile(r"/imports/\d+/$"), _hold_until_the_job_ends)
    page.click("#confirm-submit")
    page.wait_for_selector("#job-state:has-text('Done')", timeout=60000)
    assert "1499 created" in page.inner_text("#job-counts")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.confirmed_by == admin
    assert Case.objects.count() == 1499 and not files.path_of(job.key).exists()
    assert "Feminin" in page.inner_text("#row-errors")  # the import's own row errors
    fits(page)
