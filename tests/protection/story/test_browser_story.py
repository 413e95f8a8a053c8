"""A caseworker on a phone records a journey step from the case page and sees its history."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.cases.models import Case, TraffickingEvent
from tests import factories
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_journey_step_on_a_phone(page, live_server, tmp_path):
    factories.agency("ngo-one")
    cw = factories.user("cw", Role.CASEWORKER)
    factories.import_records([factories.record(1)], tmp_path)
    case = Case.objects.get()
    page.set_default_timeout(60000)  # a shared machine may be slow
    sign_in(page, live_server.url, cw)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#story-link")
    page.wait_for_url(re.compile(r"/story/$"))
    page.click("#add-event summary")
    page.select_option("#id_event_add-type", label="Transit")
    page.fill("#id_event_add-date", "2024-01-05")
    page.select_option("#id_event_add-country", label="India")
    page.fill("#id_event_add-city", "Gorakhpur")
    page.select_option("#id_event_add-transport", label="Train")
    page.click("#event_add-form button[type=submit]")
    page.wait_for_url(re.compile(r"/story/#journey$"))
    expect(page.locator("#journey .saved")).to_have_text("Journey step added.")
    expect(page.locator("#journey .saved")).to_be_in_viewport()  # the page is at the section
    assert page.locator("#journey").is_visible() and "Gorakhpur" in page.inner_text("#events")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    if os.environ.get("STORY_SCREENSHOT"):
        page.screenshot(path=os.environ["STORY_SCREENSHOT"], full_page=True)
    assert TraffickingEvent.objects.filter(city="Gorakhpur", transport="train").exists()
    page.click("#history-link")
    page.wait_for_url(re.compile(r"/history/$"))
    assert "Journey step: added" in page.inner_text("#changes")
