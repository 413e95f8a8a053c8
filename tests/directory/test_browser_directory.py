"""A coordinator, reading Lantern in French on a phone, finds a service by a French keyword
typed without its accents, opens it, and approves the entry waiting in the review queue."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.demo.directory import seed_directory
from lantern.directory.models import EntryStatus, Organisation
from tests import factories
from tests.web.helpers import PHONE, fits
from tests.web.test_browser_defects import WATCH_CSP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(page: Any, base: str, user: Any) -> None:
    """A coordinator sees no identities, so signs in with a password alone."""
    page.goto(base + "/signin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)


def test_a_coordinator_finds_a_service_by_a_french_keyword(
    browser: Any, live_server: Any, fast_passwords: None
) -> None:
    factories.user("demo-agency-admin", Role.AGENCY_ADMIN, agency_code="ngo-one")
    coord = factories.user(
        "demo-coordinator", Role.NATIONAL_COORDINATOR, agency_code=None, team=None
    )
    seed_directory()  # the demo's directory, in English, French and Spanish
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.add_init_script(WATCH_CSP)
    _sign_in(page, live_server.url, coord)
    page.click("nav a[href='/directory/']")
    page.wait_for_url(re.compile(r"/directory/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # "securise" (no accent) finds the service "Hébergement sécurisé" of a French NGO
    page.fill("#directory-search input[name=q]", "hebergement securise")
    page.click("#directory-submit")
    hit = page.locator("#directory-hits li.hit-service a", has_text="Hébergement sécurisé")
    expect(hit).to_have_count(1)
    expect(page.locator("#directory-search input[name=q]")).to_have_value("hebergement securise")
    hit.click()
    page.wait_for_url(re.compile(r"/directory/\d+/#service-\d+$"))
    expect(page.locator("h1")).to_have_text("Maison Arc-en-ciel")
    expect(page.locator("[id^=service-]", has_text="Hébergement sécurisé")).to_be_visible()
    fits(page)
    # a French word of a lesson, across organisations and kinds: "enfants"
    page.goto(f"{live_server.url}/directory/?q=enfants")
    expect(page.locator("#directory-hits li.hit-lesson")).not_to_have_count(0)
    # the entry waiting for approval: approved from the queue's link
    page.goto(f"{live_server.url}/directory/review/")
    page.locator("#review-queue a", has_text="Community Watch Network").click()
    waiting = Organisation.objects.get(name="Community Watch Network")
    with page.expect_navigation():
        page.click(f"#approve-organisation-{waiting.pk}")
    waiting.refresh_from_db()
    assert waiting.status == EntryStatus.APPROVED and waiting.approved_by == coord
    expect(page.locator("#organisation .review")).to_contain_text("coord")  # approved by
    assert page.evaluate("window.cspViolations") == []
    context.close()
