"""A national coordinator on a phone creates a programme with a target computed from the
statistics, then, after cases are added, sees progress on the target change (#18, Done-when)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.directory.models import Organisation
from lantern.monitoring import mart
from lantern.response.programmes import service
from lantern.response.programmes.models import Programme
from tests import factories
from tests.response.conftest import bagmati_records
from tests.web.helpers import fits

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_coordinator_sees_progress_on_a_target_move_as_cases_are_added(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    coordinator = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    ministry = Organisation.objects.create(
        name="Ministry of Children (test)", type="NGO", status="approved"
    )
    Organisation.objects.create(name="Village Watch Network (test)", type="NGO", status="approved")
    service.save_plan(
        coordinator,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=ministry.pk,
    )
    bagmati_records(1, 4, 2025, tmp_path)  # four children recruited in Bagmati, in 2025
    mart.build()

    # The coordinator reads no identities: a password, no second factor.
    page.goto(live_server.url + "/signin/")
    page.fill("input[name=username]", coordinator.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)
    page.click("nav a[href='/programmes/']")
    page.click("#programme-new")

    # the programme: a deadline before its start is refused, and what was typed stays
    page.select_option("select[name=plan]", label="National Plan of Action 2024-2028")
    page.fill("input[name=title]", "Safe villages: Bagmati")
    page.fill("textarea[name=goal]", "Fewer children recruited from Bagmati")
    page.select_option("select[name=areas]", ["NPL/Bagmati"])
    page.fill("input[name=starts_on]", "2024-01-01")
    page.fill("input[name=deadline]", "2023-12-31")
    page.select_option("select[name=responsible]", label="Ministry of Children (test)")
    page.get_by_role("checkbox", name="Village Watch Network (test)").check()
    page.fill("input[name=review_dates]", "2025-06-30, 2026-06-30")
    page.click("#response-submit")
    assert "before the start" in page.inner_text("#response-form")
    assert page.input_value("textarea[name=goal]") == "Fewer children recruited from Bagmati"
    page.fill("input[name=deadline]", "2027-12-31")
    page.click("#response-submit")
    page.wait_for_url(re.compile(r"/programmes/\d+/$"))
    programme = Programme.objects.get()
    assert [o.name for o in programme.partners.all()] == ["Village Watch Network (test)"]
    assert "Ministry of Children (test)" in page.inner_text("#governance")

    # the target, computed from the statistics: children from Bagmati, halved by 2027
    page.click("#target-new")
    page.fill("input[name=statement]", "Halve the children trafficked from Bagmati by 2027")
    page.select_option("select[name=direction]", "decrease")
    page.fill("input[name=baseline_value]", "10")
    page.fill("input[name=baseline_year]", "2023")
    page.fill("input[name=target_value]", "5")
    page.fill("input[name=target_date]", "2027-12-31")
    page.check("input[name=indicator_kind][value=computed]")
    page.select_option("select[name=unit]", "children")
    page.fill("input[name=origin_province]", "Bagmati")
    page.click("#response-submit")
    page.wait_for_url(re.compile(rf"/programmes/{programme.pk}/$"))
    target = page.locator("article.target")
    assert target.locator("svg.progress-chart").count() == 1
    assert target.locator("tr.year-2025 td.value").inner_text() == "4"
    assert "Target met" in target.locator("p.status").inner_text()  # 4 is already below 5
    assert "straight line" in page.inner_text("#rule")
    fits(page)

    # cases are added (the import service), the statistics rebuilt: progress moves
    bagmati_records(100, 16, 2025, tmp_path)
    mart.build()
    page.reload()
    target = page.locator("article.target")
    assert target.locator("tr.year-2025 td.value").inner_text() == "20"
    status = target.locator("p.status").inner_text()
    assert "Behind" in status and "2025" in status  # 20 against the line's 7.5
    assert "Province of origin: Bagmati" in target.locator("tr.year-2025").inner_text()
    fits(page)
