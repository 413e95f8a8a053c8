"""In the browser: a supervisor opens a case, follows its trafficker to the network, and sees
the other children's cases that they may see, and no others."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.perpetrators import service
from tests.perpetrators.conftest import World
from tests.web.helpers import fits, phone, sign_in
from tests.web.test_browser_defects import WATCH_CSP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_supervisor_follows_a_trafficker_to_the_network(
    browser: Any, live_server: Any, world: World
) -> None:
    sup = world.users["supervisor"]
    uncle = world.record_of("ngo-one", "UNCLE")
    service.add_identifiers(sup, uncle, [("name", "Ram Bahadur Thapa")])
    service.merge(sup, uncle, world.record_of("police-two", "BROKER-9"))
    first, second = world.shelter_cases
    page = phone(browser)
    page.add_init_script(WATCH_CSP)
    sign_in(page, live_server.url, sup)
    page.goto(f"{live_server.url}/cases/{first.pk}/")
    page.click("#traffickers a.trafficker-link")
    page.wait_for_url(re.compile(rf"/perpetrators/{uncle.pk}/$"))
    expect(page.locator("#identifiers")).to_contain_text("Ram Bahadur Thapa")
    expect(page.locator("#other-cases")).to_be_visible()  # the police's case: counted
    page.click("#network-link")
    page.wait_for_url(re.compile(r"/network/$"))
    cases = page.locator("#network-cases a.network-case")
    expect(cases).to_have_count(2)
    expect(page.locator("#network-cases")).to_contain_text(second.reference)
    body = page.content()
    assert world.police_case.reference not in body
    expect(page.locator("#hidden-cases")).to_contain_text("1 case")
    # the one rule's reasons, in words and role labels (never codes)
    expect(page.locator("#flag-reasons")).to_contain_text("Children's cases: 3")
    expect(page.locator("#flag-reasons")).not_to_contain_text("corrupt_official")
    expect(page.locator("#routes-table tr.route").first).to_contain_text("Sindhupalchok")
    expect(page.locator("#drawing svg")).to_be_visible()
    fits(page)
    assert page.evaluate("window.cspViolations") == []  # the drawing needs no inline style
    page.click(f"#network-cases a:has-text('{second.reference}')")
    page.wait_for_url(re.compile(rf"/cases/{second.pk}/$"))
    page.context.close()
