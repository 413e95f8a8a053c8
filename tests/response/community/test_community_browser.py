"""On a phone: a committee facilitator records what the group saw; the duty officer finds it in
the triage queue, ranked by its gravity, and takes it; the facilitator sees the status change,
and nothing of the case beyond what the group reported."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.protection.triage.models import TriageItem
from lantern.response.community import committees
from lantern.response.community.models import CommitteeReport
from tests import factories
from tests.web.helpers import fits, phone, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_facilitator_reports_the_duty_officer_takes_it_and_the_group_sees_what_became_of_it(
    browser: Any, live_server: Any
) -> None:
    factories.agency("ngo-one")
    supervisor = factories.user("sup", Role.SUPERVISOR)
    facilitator = factories.user("facilitator", Role.FACILITATOR)
    officer = factories.user("duty", Role.CASEWORKER)
    committee = committees.create(
        supervisor,
        name="Ward 4 vigilance committee",
        kind="vigilance_committee",
        area_code="NPL/Bagmati",
        area="Sindhupalchok, wards 3-5",
        facilitators=[facilitator.pk],
    )

    fac = phone(browser)
    # a facilitator reads no identities: a password alone signs them in (no second factor)
    fac.goto(live_server.url + "/signin/")
    fac.fill("input[name=username]", facilitator.username)
    fac.fill("input[name=password]", factories.PASSWORD)
    fac.click("button.primary")
    fac.wait_for_url(lambda url: "/signin/" not in url)
    fac.goto(live_server.url + "/committees/")
    fac.get_by_role("link", name="Record a report").click()
    fac.wait_for_url(re.compile(rf"/committees/{committee.pk}/report/$"))
    fits(fac)
    # a report without a place is refused, and what was typed stays
    fac.fill("textarea[name=seen]", "A girl of about 13 left the bus park with a stranger.")
    fac.check("input[name=severity][value=intervene]")
    fac.check("input[name=concerns][value=suspected_trafficking]")
    fac.fill("input[name=child_age]", "13")
    fac.click("#report-submit")
    assert "Where" in fac.inner_text("#report-form")
    assert "bus park with a stranger" in fac.input_value("textarea[name=seen]")
    assert fac.is_checked("input[name=severity][value=intervene]")
    assert CommitteeReport.objects.count() == 0
    fac.fill("input[name=place]", "Bus park, gate 2")
    fac.fill("input[name=seen_on]", "2026-01-05")
    fac.click("#report-submit")
    fac.wait_for_url(re.compile(rf"/committees/{committee.pk}/$"))
    report = CommitteeReport.objects.get()
    row = fac.locator(f"#report-{report.pk}")
    assert "Received: waiting for a duty officer" in row.inner_text()
    assert "Immediate danger" in row.inner_text()  # intervene, a child under 15
    fits(fac)

    duty = phone(browser)
    sign_in(duty, live_server.url, officer)
    item = TriageItem.objects.get(case=report.case)
    duty.goto(live_server.url + "/triage/")
    queued = duty.locator(f"#item-{item.pk}")
    assert "Immediate danger" in queued.inner_text()
    assert "Bus park, gate 2" in queued.inner_text()
    queued.get_by_role("button", name="Take").click()
    duty.wait_for_url(re.compile(rf"/cases/{report.case_id}/$"))

    fac.reload()
    row = fac.locator(f"#report-{report.pk}")
    assert "Triaged: a duty officer has taken it" in row.inner_text()
    page = fac.content()
    assert report.case.reference not in page and f"/cases/{report.case_id}/" not in page
    fac.context.close()
    duty.context.close()
