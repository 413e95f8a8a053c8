"""A caseworker on a phone finds a child by name in another script, then is warned of a
duplicate at intake and opens the existing case instead (#15, items 2 and 5)."""

from __future__ import annotations

import re

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from lantern.protection.intake.models import DuplicateChoice
from tests import factories
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_find_a_child_then_be_warned_of_a_duplicate(page, live_server):
    worker = factories.user("cw", Role.CASEWORKER)
    child = intake.Child("Maya", "Tamang", age=14, gender="Feminine", citizenship=("NPL",))
    first = intake.open_case(worker, "self_referral", child, {}, confirm_new=True)
    other = intake.Child("Dawa", "Sherpa", age=12, gender="Masculine", citizenship=("NPL",))
    intake.open_case(worker, "self_referral", other, {}, confirm_new=True)

    sign_in(page, live_server.url, worker)
    page.goto(live_server.url + "/cases/")
    assert "Maya Tamang" in page.inner_text("table.cases")  # names, for a caseworker
    page.fill("#search-box-name", "माया तामाङ")
    page.click("#search-box button")
    page.wait_for_selector("#search-results")
    results = page.inner_text("#search-table")
    assert first.reference in results and "Maya" in results and "Dawa" not in results
    assert re.search(r"(strong|possible|weak) match", results)  # a band, not a float
    assert page.evaluate("document.documentElement.scrollWidth") <= 400  # fits the phone

    page.goto(live_server.url + "/cases/new/?channel=self_referral")
    page.fill("input[name=given_name]", "Maya")
    page.fill("input[name=family_name]", "Tamang")
    page.fill("input[name=age]", "14")
    page.select_option("select[name=gender]", "Feminine")
    page.select_option("select[name=citizenship]", label="Nepal")
    page.click("#intake-submit")
    page.wait_for_selector("#duplicates")
    assert page.input_value("input[name=given_name]") == "Maya"  # what was typed is kept
    page.click(f"#open-{first.pk}")
    page.wait_for_url(re.compile(rf"/cases/{first.pk}/$"))
    assert Case.objects.count() == 2
    assert DuplicateChoice.objects.get().choice == "existing"
