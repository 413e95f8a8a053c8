"""The Notes page in Chromium on a phone: from the case page to a note, the narrative and an
attachment, each save confirmed in its section, no sideways scroll, the file downloaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.protection.intake import service as intake
from tests import factories
from tests.web.helpers import phone, sign_in
from tests.web.test_browser_defects import WATCH_CSP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NOTE = "Visited the shelter; the girl asked about her brother."


def _fits(page: Any) -> None:
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide


def test_a_caseworker_writes_notes_and_attaches_a_file_on_a_phone(
    browser: Any,
    live_server: Any,
) -> None:
    worker = factories.user("cw", Role.CASEWORKER)
    case = intake.open_case(
        worker,
        "transit_reception",
        intake.Child("Maya", "Tamang", birthdate=dt.date(2011, 3, 4), gender="Feminine"),
        {"place": "Birgunj bus terminal", "met_by_expected_contact": True},
    )
    page = phone(browser)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    # the case page loads its protection section by htmx: let it land first (the test
    # server shares one in-memory SQLite connection between its threads)
    page.wait_for_load_state("networkidle")
    page.click("#notes-link")
    page.wait_for_selector("#note-form")
    _fits(page)

    page.select_option("#note-form select[name=kind]", "visit")
    page.fill("#note-form textarea[name=body]", NOTE)
    page.click("#note-form button[type=submit]")
    page.wait_for_selector(".messages >> text=Note saved.")
    assert page.url.endswith("#notes")
    assert NOTE in page.inner_text("#note-list")

    page.fill("#narrative-form textarea[name=text]", "Recruited in March with a job offer.")
    page.click("#narrative-form button[type=submit]")
    page.wait_for_selector(".messages >> text=Narrative saved as version 1.")

    page.set_input_files(
        "#upload-form input[type=file]",
        {"name": "visit.txt", "mimeType": "text/plain", "buffer": b"Visit report, page 1\n"},
    )
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector(".messages >> text=File attached.")
    _fits(page)
    assert page.evaluate("window.cspViolations") == []
    with page.expect_download() as got:
        page.click("#attachment-list a")
    download = got.value
    assert download.suggested_filename == "visit.txt"
    assert Path(download.path()).read_bytes() == b"Visit report, page 1\n"
    page.context.close()
