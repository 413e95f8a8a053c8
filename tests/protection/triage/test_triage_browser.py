"""On a phone: the duty officer opens the queue, sees the urgent report with its due time in
words, takes it and lands on the case they now own; the queue fits the screen."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from lantern.protection.triage.models import TriageItem
from tests import factories
from tests.web.helpers import phone, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_duty_officer_takes_an_urgent_report_on_a_phone(browser: Any, live_server: Any) -> None:
    factories.agency("ngo-one")
    reporter = factories.user("conductor", Role.REPORTER)
    officer = factories.user("duty", Role.CASEWORKER)
    case = intake.open_case(
        reporter,
        "community_report",
        intake.Child(given_name="Asha", age=13),
        {"place": "Bus park, gate 2", "concerns": ["at_risk"], "severity": "intervene"},
        confirm_new=True,
    )
    item = TriageItem.objects.get(case=case)
    page = phone(browser)
    sign_in(page, live_server.url, officer)
    page.goto(live_server.url + "/triage/")
    row = page.locator(f"#item-{item.pk}")
    assert "Immediate danger" in row.inner_text()
    assert "Due" in row.inner_text()
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], wide
    row.get_by_role("button", name="Take").click()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    assert "You took the report" in page.content()
    assert Case.objects.get(pk=case.pk).owner_id == officer.pk
    page.context.close()
