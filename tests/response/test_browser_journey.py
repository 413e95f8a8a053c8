"""Issue #18's Done-when, as one journey on phones: a coordinator creates a programme with a
target computed from the statistics and finds a service by a French keyword; a committee's
facilitator records what the group saw and the duty officer finds it in the triage queue; after
cases are added, the coordinator sees progress on the target move."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.demo.directory import seed_directory
from lantern.directory.models import Organisation
from lantern.monitoring import mart
from lantern.protection.triage.models import TriageItem
from lantern.response.community import committees
from lantern.response.community.models import CommitteeReport
from lantern.response.programmes import service
from lantern.response.programmes.models import Programme
from tests import factories
from tests.response.conftest import bagmati_records
from tests.web.helpers import fits, phone, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _password_only(page: Any, base: str, user: Any) -> None:
    """Coordinators and facilitators read no identities: a password alone signs them in."""
    page.goto(base + "/signin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)


def _language(page: Any, code: str) -> None:
    """Switch the interface's language with the header's selector."""
    page.select_option("#lang-select", code)
    with page.expect_navigation():
        page.click("form.lang button")


def test_the_national_response_from_plan_to_progress(
    browser: Any, live_server: Any, tmp_path: Path, settings: Any, fast_passwords: None
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.user("demo-agency-admin", Role.AGENCY_ADMIN, agency_code="ngo-one")
    coord = factories.user(
        "demo-coordinator", Role.NATIONAL_COORDINATOR, agency_code=None, team=None
    )
    supervisor = factories.user("sup", Role.SUPERVISOR)
    facilitator = factories.user("facilitator", Role.FACILITATOR)
    officer = factories.user("duty", Role.CASEWORKER)
    seed_directory()  # approved organisations and services, in English, French and Spanish
    ministry = Organisation.objects.get(name="Maison Arc-en-ciel")
    service.save_plan(
        coord,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=ministry.pk,
    )
    committee = committees.create(
        supervisor,
        name="Ward 4 vigilance committee",
        kind="vigilance_committee",
        area_code="NPL/Bagmati",
        area="Sindhupalchok, wards 3-5",
        facilitators=[facilitator.pk],
    )
    bagmati_records(1, 4, 2025, tmp_path)  # four children recruited in Bagmati, in 2025
    mart.build()

    # 1. the coordinator creates a programme, and a target computed from the statistics
    nc = phone(browser)
    _password_only(nc, live_server.url, coord)
    nc.click("nav a[href='/programmes/']")
    nc.click("#programme-new")
    nc.select_option("select[name=plan]", label="National Plan of Action 2024-2028")
    nc.fill("input[name=title]", "Safe villages: Bagmati")
    nc.fill("textarea[name=goal]", "Fewer children recruited from Bagmati")
    nc.select_option("select[name=areas]", ["NPL/Bagmati"])
    nc.fill("input[name=starts_on]", "2024-01-01")
    nc.fill("input[name=deadline]", "2027-12-31")
    nc.select_option("select[name=responsible]", label="Maison Arc-en-ciel")
    nc.click("#response-submit")
    nc.wait_for_url(re.compile(r"/programmes/\d+/$"))
    programme = Programme.objects.get()
    nc.click("#target-new")
    nc.fill("input[name=statement]", "Halve the children trafficked from Bagmati by 2027")
    nc.select_option("select[name=direction]", "decrease")
    nc.fill("input[name=baseline_value]", "10")
    nc.fill("input[name=baseline_year]", "2023")
    nc.fill("input[name=target_value]", "5")
    nc.fill("input[name=target_date]", "2027-12-31")
    nc.check("input[name=indicator_kind][value=computed]")
    nc.select_option("select[name=unit]", "children")
    nc.fill("input[name=origin_province]", "Bagmati")
    nc.click("#response-submit")
    nc.wait_for_url(re.compile(rf"/programmes/{programme.pk}/$"))
    target = nc.locator("article.target")
    assert target.locator("tr.year-2025 td.value").inner_text() == "4"
    assert "Target met" in target.locator("p.status").inner_text()
    fits(nc)

    # 2. in French, "securise" typed without its accent finds a service of the directory
    _language(nc, "fr")
    expect(nc.locator("html")).to_have_attribute("lang", "fr")
    nc.goto(live_server.url + "/directory/")
    nc.fill("#directory-search input[name=q]", "hebergement securise")
    nc.click("#directory-submit")
    hit = nc.locator("#directory-hits li.hit-service a", has_text="Hébergement sécurisé")
    expect(hit).to_have_count(1)
    hit.click()
    expect(nc.locator("h1")).to_have_text("Maison Arc-en-ciel")
    _language(nc, "en")

    # 3. the committee's report, recorded by its facilitator (our rules: only a committee's
    # facilitators record its reports, by design: members have no login, and the facilitator
    # answers for what reaches the duty officer), reaches the duty officer's triage queue
    fac = phone(browser)
    _password_only(fac, live_server.url, facilitator)
    fac.goto(live_server.url + "/committees/")
    fac.get_by_role("link", name="Record a report").click()
    fac.wait_for_url(re.compile(rf"/committees/{committee.pk}/report/$"))
    fac.fill("textarea[name=seen]", "A boy of about 12 alone at the bus park since morning.")
    fac.check("input[name=severity][value=report]")
    fac.check("input[name=concerns][value=unaccompanied]")
    fac.fill("input[name=child_age]", "12")
    fac.fill("input[name=place]", "Bus park, gate 2")
    fac.fill("input[name=seen_on]", "2026-01-05")
    fac.click("#report-submit")
    fac.wait_for_url(re.compile(rf"/committees/{committee.pk}/$"))
    report = CommitteeReport.objects.get()
    duty = phone(browser)
    sign_in(duty, live_server.url, officer)  # a caseworker reads identities: a second factor
    duty.goto(live_server.url + "/triage/")
    queued = duty.locator(f"#item-{TriageItem.objects.get(case=report.case).pk}")
    expect(queued).to_contain_text("Bus park, gate 2")
    fits(duty)

    # 4. cases are added (the import service), the statistics rebuilt: progress moves
    bagmati_records(100, 16, 2025, tmp_path)
    mart.build()
    nc.goto(f"{live_server.url}/programmes/{programme.pk}/")
    target = nc.locator("article.target")
    assert target.locator("tr.year-2025 td.value").inner_text() == "20"
    status = target.locator("p.status").inner_text()
    assert "Behind" in status and "2025" in status  # 20 against the straight line's 7.5
    fits(nc)
    for p in (nc, fac, duty):
        p.context.close()
