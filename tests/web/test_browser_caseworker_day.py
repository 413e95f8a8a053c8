"""A caseworker's day in the browser, on a phone and on a desktop (#15, "done when").

She finds a child by name and opens the case; takes the community report the supervisor made
her duty officer for (and so owns its case); writes that child's story: a journey step, an
exploitation episode, a suspected trafficker, a note with a photo attached; reads the history
of what she changed; starts an intake for a child who already has a record, is warned, and
opens the existing record instead; asks to close the reported child's case, with a reason for
the investigation that stays open, and the supervisor approves it. Only the world is made by
the services (agencies, people, an earlier case, the report, the police's investigation);
every step of the day is taken in the pages and checked by what they show, each page checked
for sideways scrolling.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from lantern.protection.intake.models import DuplicateChoice
from lantern.protection.legal import service as legal
from lantern.protection.triage import service as triage
from lantern.protection.triage.models import TriageItem
from tests import factories
from tests.web.helpers import DESKTOP, PHONE, fits, phone, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# A real 1 x 1 PNG (signature, IHDR, IDAT, IEND), as a phone's camera roll would give a file.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
NOTE = "Met Asha at the bus park with her aunt; she fears the man who brought her."
KEEPS_OPEN = "The police investigation goes on after the child's case closes."


@pytest.fixture(autouse=True)
def _attachments(tmp_path: Path, settings: Any) -> None:
    settings.LANTERN_ATTACHMENTS_DIR = tmp_path / "attachments"


def _go(page: Any, selector: str) -> None:
    """Follow a link or press a button, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()
    fits(page)


def _section(page: Any, anchor: str) -> None:
    """Show one section of the case page through its index (the others step aside)."""
    page.click(f"#section-index a[href='#{anchor}']")
    page.wait_for_url(re.compile(f"#{anchor}$"))
    expect(page.locator(f"#{anchor}")).to_be_visible()
    fits(page)


def _unfold(page: Any, details: str) -> None:
    """Open a folded form (a <details>) unless it is open already."""
    if page.locator(details).get_attribute("open") is None:
        page.click(f"{details} > summary")


def _save_story(page: Any, form: str, section: str, done: str) -> None:
    """Submit a form of the Story page; the page comes back at the section and confirms."""
    _go(page, f"#{form}-form button[type=submit]")
    assert page.url.endswith(f"/story/#{section}")
    expect(page.locator(f"#{section} .saved")).to_have_text(done)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_caseworker_s_day(browser: Any, live_server: Any, viewport: dict[str, int]) -> None:
    # The world: an agency, its caseworker, supervisor and a community reporter; a child who
    # already has a record, another child, and a reporter's report of a 13-year-old at a bus
    # park, which the supervisor gives the caseworker as duty officer; the police have opened
    # an investigation on it.
    cw = factories.user("cw", Role.CASEWORKER)
    sup = factories.user("sup", Role.SUPERVISOR)
    reporter = factories.user("conductor", Role.REPORTER)
    maya = intake.open_case(
        cw,
        "self_referral",
        intake.Child("Maya", "Tamang", age=14, gender="Feminine", citizenship=("NPL",)),
        {},
        confirm_new=True,
    )
    intake.open_case(
        cw,
        "self_referral",
        intake.Child("Dawa", "Sherpa", age=12, gender="Masculine", citizenship=("NPL",)),
        {},
        confirm_new=True,
    )
    asha = intake.open_case(
        reporter,
        "community_report",
        intake.Child(given_name="Asha", age=13),
        {"place": "Bus park, gate 2", "concerns": ["at_risk"], "severity": "intervene"},
        confirm_new=True,
    )
    item = TriageItem.objects.get(case=asha)
    triage.assign(sup, item.pk, cw.pk)
    legal.open_proceeding(sup, asha, kind="investigation")
    base = live_server.url
    page = phone(browser, viewport)
    sign_in(page, base, cw)
    page.wait_for_selector("header nav")
    fits(page)

    # 1. Find a child by name, and open the case.
    _go(page, "header nav a:has-text('Find a child')")
    page.fill("#search-form input[name=name]", "Maya Tamang")
    _go(page, "#search-submit")
    results = page.inner_text("#search-table")
    assert maya.reference in results and "Maya Tamang" in results
    assert "Dawa" not in results
    _go(page, f"#search-table a:has-text('{maya.reference}')")
    assert page.url.endswith(f"/cases/{maya.pk}/")
    assert page.inner_text("#child-name").startswith("Maya Tamang")

    # 2. Take the report she was made duty officer for: she owns the case now.
    _go(page, "header nav a:has-text('Triage')")
    row = page.locator(f"#item-{item.pk}")
    assert asha.reference in row.inner_text()
    assert "Immediate danger" in row.inner_text() and "Duty officer: cw" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("button", name="Take").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cases/{asha.pk}/")
    assert "You took the report" in page.inner_text("[role=status]")
    expect(page.locator("#case-owner")).to_have_text("cw")
    fits(page)

    # 3. Her story: a journey step, an exploitation episode, a suspected trafficker ...
    _section(page, "story")
    _go(page, "#story-link")
    _unfold(page, "#add-event")
    page.select_option("#id_event_add-type", label="Transit")
    page.fill("#id_event_add-date", "2026-10-02")
    page.select_option("#id_event_add-country", label="India")
    page.fill("#id_event_add-city", "Gorakhpur")
    page.select_option("#id_event_add-transport", label="Bus")
    _save_story(page, "event_add", "journey", "Journey step added.")
    assert "Gorakhpur" in page.inner_text("#events") and "Bus" in page.inner_text("#events")

    _unfold(page, "#add-episode")
    page.select_option("#id_episode_add-form", label="Forced begging")
    page.fill("#id_episode_add-start", "2026-10-03")
    page.select_option("#id_episode_add-country", label="India")
    _save_story(page, "episode_add", "episodes", "Exploitation episode added.")
    assert "Forced begging" in page.inner_text("#episode-list")

    _unfold(page, "#add-actor")
    page.select_option("#id_actor_add-role", label="Recruiter or intermediary")
    page.select_option("#id_actor_add-relationship", label="Acquaintance")
    page.fill("#id_actor_add-network_ref", "BUS-PARK-1")
    _save_story(page, "actor_add", "actors", "Suspected trafficker added.")
    actors = page.inner_text("#actor-list")
    assert "Recruiter or intermediary" in actors and "BUS-PARK-1" in actors

    # ... and a note with a photo attached, on the Notes page.
    _go(page, ".crumbs a")  # back to the case
    _section(page, "notes")
    _go(page, "#notes-link")
    page.select_option("#note-form select[name=kind]", "visit")
    page.fill("#note-form textarea[name=body]", NOTE)
    _go(page, "#note-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Note saved.")
    assert NOTE in page.inner_text("#note-list")
    page.set_input_files(
        "#upload-form input[type=file]",
        {"name": "bus-park.png", "mimeType": "image/png", "buffer": PHOTO},
    )
    page.fill("#upload-form input[name=description]", "Where she was found")
    _go(page, "#upload-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("File attached.")
    attached = page.inner_text("#attachment-list")
    assert "bus-park.png" in attached and "Where she was found" in attached

    # 4. The history lists what she has just done, by her.
    _go(page, ".crumbs a")
    _section(page, "story")
    _go(page, "#case-history-link")
    changes = page.inner_text("#changes")
    for done in (
        "Journey step: added",
        "Exploitation episode: added",
        "Suspected trafficker: added",
        "Case note: added",
        "Attachment: added",
    ):
        assert done in changes, done
    assert " · cw · " in page.locator("#changes li", has_text="Journey step: added").inner_text()

    # 5. An intake for a child who has a record: warned, side by side; she opens the record.
    _go(page, "header nav a:has-text('New case')")
    _go(page, "#channel-self_referral")
    page.fill("input[name=given_name]", "Maya")
    page.fill("input[name=family_name]", "Tamang")
    page.fill("input[name=age]", "14")
    page.select_option("select[name=gender]", "Feminine")
    page.select_option("select[name=citizenship]", label="Nepal")
    _go(page, "#intake-submit")
    warning = page.locator(f"#duplicates #match-{maya.pk}")
    expect(warning).to_be_visible()
    assert maya.reference in warning.inner_text()
    assert warning.locator("table.compare tr.agree").count() >= 3  # names and sex agree
    assert page.input_value("input[name=given_name]") == "Maya"  # what she typed is kept
    _go(page, f"#open-{maya.pk}")
    assert page.url.endswith(f"/cases/{maya.pk}/")
    assert page.inner_text("#child-name").startswith("Maya Tamang")

    # 6. Close the reported child's case: the checklist asks a reason for the open
    # investigation; the supervisor approves; the case is closed.
    page.goto(f"{base}/cases/{asha.pk}/")
    _section(page, "close")
    _go(page, "#closure-link")
    assert "✗ Legal proceedings noted" in page.inner_text("#checklist")
    assert "✓ Placements ended" in page.inner_text("#checklist")
    page.select_option("#request-form select[name=outcome]", label="Reunited with family")
    page.fill("#request-form textarea[name=reason]", "Back with her aunt, in school again")
    page.locator("#request-form .justify textarea").first.fill(KEEPS_OPEN)
    _go(page, "#request-submit")
    expect(page.locator("#pending")).to_contain_text("Awaiting approval")
    assert KEEPS_OPEN in page.inner_text("#pending")
    assert page.locator("#approve-submit").count() == 0  # she may not approve her own request
    sign_out(page)

    sign_in(page, base, sup)
    page.wait_for_selector("header nav")
    _go(page, "header nav a:has-text('My work')")
    assert "Closure awaiting approval" in page.inner_text("#tasks")
    _go(page, f"#tasks a:has-text('{asha.reference}')")
    assert KEEPS_OPEN in page.inner_text("#pending")
    _go(page, "#approve-submit")
    expect(page.locator("#closure-closed")).to_have_text("This case is closed.")
    _go(page, ".crumbs a")
    _section(page, "lifecycle")
    expect(page.locator("#state")).to_have_text("Closed")
    expect(page.locator("#outcome")).to_have_text("Reunited with family")
    page.context.close()

    assert Case.objects.get(pk=asha.pk).owner_id == cw.pk
    assert Case.objects.count() == 3  # the warned intake opened no second case for Maya
    assert DuplicateChoice.objects.get().choice == "existing"
