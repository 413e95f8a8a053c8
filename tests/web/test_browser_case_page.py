"""The case page on a phone (issue #15, item 6): the index jumps to a section shown alone, a
save comes back to that section and confirms it where the reader is looking, and a refused
referral comes back filled in as it was typed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.directory.models import Organisation
from lantern.protection.intake import service as intake
from lantern.protection.safety.models import SafePlace
from tests import factories
from tests.web.helpers import phone, sign_in
from tests.web.test_browser_defects import WATCH_CSP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _case(worker: Any) -> Case:
    return intake.open_case(
        worker,
        "transit_reception",
        intake.Child("Maya", "Tamang", birthdate=dt.date(2011, 3, 4), gender="Feminine"),
        {"place": "Birgunj bus terminal", "met_by_expected_contact": True},
    )


def _jump(page: Any, anchor: str) -> None:
    """Press the index's link to a section; the address names it and it alone shows."""
    page.click(f"#section-index a[href='#{anchor}']")
    page.wait_for_url(re.compile(f"#{anchor}$"))
    expect(page.locator(f"#{anchor}")).to_be_visible()


def _save(page: Any, button: str) -> None:
    with page.expect_navigation():
        page.click(button)
    page.wait_for_load_state()


def test_the_index_jumps_to_a_section_and_a_save_confirms_in_place(
    browser: Any, live_server: Any
) -> None:
    worker = factories.user("cw", Role.CASEWORKER)
    SafePlace.objects.create(
        name="House 7", kind="shelter", agency=worker.agency, address="12 Hidden Lane"
    )
    case = _case(worker)
    page = phone(browser)  # 390 x 844
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    index = page.locator("#section-index")
    expect(index).to_be_visible()

    _jump(page, "risk")
    expect(page.locator("#lifecycle")).to_be_hidden()  # a tab: the other sections step aside
    page.check("input[name=risk-immediate_needs][value=accommodation]")
    page.select_option("select[name=risk-risk_to_child]", "high")
    _save(page, "#risk-submit")
    assert page.url.endswith(f"/cases/{case.pk}/#risk")
    expect(page.locator("[role=status]")).to_contain_text("Saved: risk assessment recorded.")

    _jump(page, "placement")
    page.select_option("select[name=place-place]", label="House 7")
    _save(page, "#place-submit")
    assert page.url.endswith(f"/cases/{case.pk}/#placement")
    confirmation = page.locator("[role=status] .messages")
    expect(confirmation).to_contain_text("Saved: placement recorded.")
    expect(confirmation).to_be_in_viewport()  # under the sticky index, where the reader looks
    expect(page.locator("#placements")).to_contain_text("House 7")
    expect(page.locator("#placements")).to_be_in_viewport()
    expect(page.locator("#risk")).to_be_hidden()
    expect(index).to_be_in_viewport()

    _jump(page, "case-top")  # "All": every section again
    expect(page.locator("#lifecycle")).to_be_visible()
    expect(page.locator("#risk")).to_be_visible()
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide  # the index scrolls sideways by itself, not the page
    assert page.evaluate("window.cspViolations") == []
    page.context.close()


def test_a_refused_referral_comes_back_as_typed_at_its_section(
    browser: Any, live_server: Any
) -> None:
    worker = factories.user("cw", Role.CASEWORKER)
    Organisation.objects.create(name="District Health Clinic", type="NGO", services=["medical"])
    case = _case(worker)
    page = phone(browser)
    sign_in(page, live_server.url, worker)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    _jump(page, "referrals")
    page.click("#referrals details.group > summary")
    page.select_option("select[name=refer-organisation]", label="District Health Clinic")
    page.check("input[name=refer-services][value=medical]")
    page.check("input[name=refer-fields_shared][value=given_name]")
    page.select_option("select[name=refer-consent_basis]", "child_assent")
    due = str(dt.date.today() + dt.timedelta(days=7))
    page.fill("input[name=refer-due_date]", due)
    _save(page, "#refer-submit")  # no assent recorded: refused

    assert page.url.endswith(f"/cases/{case.pk}/protection/#referrals")
    form = page.locator("#refer-form")
    expect(form).to_be_in_viewport()
    expect(form).to_contain_text("no child assent to referral sharing is recorded")
    expect(page.locator("select[name=refer-organisation] option:checked")).to_have_text(
        "District Health Clinic"
    )
    expect(page.locator("input[name=refer-services][value=medical]")).to_be_checked()
    expect(page.locator("input[name=refer-fields_shared][value=given_name]")).to_be_checked()
    expect(page.locator("input[name=refer-due_date]")).to_have_value(due)
    page.context.close()
