"""Small page defects a browser shows (issue #15, item 9): no page breaks its own Content
Security Policy (htmx's inline indicator style did, on every page), and the exchange-keys page
fits a phone without a horizontal scroll (its long key file and fingerprints wrap)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from tests import factories
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Recorded before any page script runs: every violation the page reports, by directive.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _page(browser: Any, width: int) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.set_default_timeout(15000)
    return page


def _case(worker: Any) -> Case:
    return intake.open_case(
        worker,
        "transit_reception",
        intake.Child("Maya", "Tamang", birthdate=dt.date(2011, 3, 4), gender="Feminine"),
        {"place": "Birgunj bus terminal", "met_by_expected_contact": True},
    )


def test_no_page_reports_a_content_security_policy_violation(
    browser: Any, live_server: Any
) -> None:
    worker = factories.user("cw", Role.CASEWORKER)
    case = _case(worker)
    page = _page(browser, 1280)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, worker)
    for path in ("/", "/cases/", f"/cases/{case.pk}/protection/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.htmx && document.readyState === 'complete'")
        page.wait_for_timeout(200)  # htmx adds its style once the document is ready
        assert page.evaluate("window.cspViolations") == [], path
        assert not [m for m in console if "Content Security Policy" in m], path
    page.context.close()


def test_the_exchange_keys_page_fits_a_phone(browser: Any, live_server: Any) -> None:
    page = _page(browser, 375)
    sign_in(page, live_server.url, factories.user("liaison", Role.LIAISON))
    page.goto(live_server.url + "/exchange/keys/")
    page.wait_for_selector("#key-fingerprint")
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide
    page.context.close()
