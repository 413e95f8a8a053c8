"""One child's whole journey through the pages, on a phone (the issue's "done when").

Intercepted at a port, screened, placed in a shelter, care plan approved (by a supervisor),
referral accepted and completed (by the receiving agency's caseworker), family traced and
assessed, reunified, three follow-up visits with wellbeing measures, closed with an outcome.
Three people, three browser contexts, each signed in with a second factor; every step is
taken through the pages and checked by what the user sees.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case, CaseTransition
from lantern.directory.models import Organisation
from lantern.protection.safety.models import SafePlace
from tests import factories
from tests.web.helpers import phone, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

BEFORE = {
    "safety": "1",
    "health": "2",
    "schooling_or_work": "0",
    "family_relations": "1",
    "emotional_wellbeing": "1",
}


def _submit(page: Any, selector: str) -> None:
    """Press a submit button and wait for the next page and its protection sections."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state()


def _case_page(page: Any) -> None:
    """The case page, every section shown: a save lands on its own section (its tab), and
    this journey reads the page as a whole, through the index's "All"."""
    page.wait_for_selector("#protection-sections #lifecycle", state="attached")
    page.click("#section-index a[href='#case-top']")
    page.wait_for_selector("#protection-sections #lifecycle")


def _state(page: Any) -> str:
    _case_page(page)
    return str(page.inner_text("#state"))


def _move(page: Any, to: str, reason: str) -> None:
    page.fill("input[name=move-reason]", reason)
    _submit(page, f"#to-{to}")
    _case_page(page)


def _open(page: Any, section: str) -> None:
    """Open a section's folded form (a <details>), if it is folded."""
    details = page.locator(f"#{section} details.group").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def _scores(page: Any, prefix: str, scores: dict[str, str]) -> None:
    for item, value in scores.items():
        page.select_option(f"select[name={prefix}-wb_{item}]", value)


def test_one_child_from_port_interception_to_closure(browser: Any, live_server: Any) -> None:
    cw = factories.user("cw", Role.CASEWORKER)
    sup = factories.user("sup", Role.SUPERVISOR)
    partner_worker = factories.user("partner", Role.CASEWORKER, agency_code="ngo-partner")
    SafePlace.objects.create(
        name="House 7", kind="shelter", agency=factories.agency(), address="12 Hidden Lane, Ward 4"
    )
    Organisation.objects.create(
        name="Partner Training Centre",
        type="NGO",
        services=["vocational_training"],
        agency=partner_worker.agency,
    )
    today = dt.date.today()
    base = live_server.url
    page = phone(browser)

    # 1. intercepted at a port: not met by the expected uncle, return passage offered
    sign_in(page, base, cw)
    page.click("header nav a:has-text('New case')")
    page.click("#channel-transit_reception")
    for name, value in {
        "given_name": "Maya",
        "family_name": "Tamang",
        "birthdate": "2011-03-04",
        "place": "Birgunj bus terminal",
        "expected_contact": "uncle",
        "return_passage_provider": "partner bus line",
    }.items():
        page.fill(f"input[name={name}]", value)
    page.select_option("select[name=citizenship]", label="Nepal")
    page.check("input[name=met_by_expected_contact][value=no]")
    page.check("input[name=return_passage_offered][value=yes]")
    _submit(page, "#intake-submit")
    assert page.inner_text("#child-name").startswith("Maya Tamang")
    assert _state(page) == "Identified"
    assert page.inner_text("#htcds-status") == "Active"
    assert "No, not met" in page.inner_text("#met-expected")
    case = Case.objects.get()

    # 2. screened, on the existing screening page
    page.click("#screen-link")
    page.check("input[name=acts][value=recruitment]")
    page.click("#dim-D4 > summary")
    page.check('input[name="i_D4.excessive_hours"][value=yes]')
    page.check('input[name="i_D4.hazardous_work"][value=yes]')
    _submit(page, "#screen-submit")
    assert page.inner_text("#result-trafficking") == "Trafficking"
    page.click(".crumbs a")

    # 3. safety first: a risk assessment, then placed in a shelter whose address this team sees
    _case_page(page)
    page.check("input[name=risk-immediate_needs][value=accommodation]")
    page.select_option("select[name=risk-risk_to_child]", "high")
    page.select_option("select[name=risk-risk_to_family]", "medium")
    page.select_option("select[name=risk-risk_to_helpers]", "low")
    page.check("input[name=risk-family_involved][value=no]")
    _submit(page, "#risk-submit")
    _case_page(page)
    assert page.inner_text("#risk-level") == "High"
    _move(page, "assessed", "immediate needs and risks assessed")
    page.select_option("select[name=place-place]", label="House 7")
    _submit(page, "#place-submit")
    _case_page(page)
    assert "12 Hidden Lane" in page.inner_text("#placements")
    _move(page, "in_care", "placed in House 7")
    assert _state(page) == "In care"
    _open(page, "follow-up")
    _scores(page, "baseline", BEFORE)
    _submit(page, "#baseline-submit")

    # 4. a care plan made with the child, submitted, approved by the supervisor
    _case_page(page)
    page.check("input[name=plan-needs][value=vocational_training]")
    page.check("input[name=plan-needs][value=family_tracing]")
    page.fill("input[name=plan-due_vocational_training]", str(today + dt.timedelta(days=30)))
    page.fill("textarea[name=plan-goals]", "Trace family; start a tailoring course")
    page.fill("textarea[name=plan-child_views]", "Wants to go home and learn tailoring")
    _submit(page, "#plan-draft")
    _case_page(page)
    assert page.inner_text("#plan-1 .plan-status") == "Draft"
    _submit(page, "#plan-submit-1")
    _case_page(page)
    assert page.inner_text("#plan-1 .plan-status") == "Submitted for approval"
    assert page.locator("#plan-approve-1").count() == 0  # a caseworker is not offered it

    boss = phone(browser)
    sign_in(boss, base, sup)
    boss.click("header nav a:has-text('My work')")
    assert "Care plan awaiting approval" in boss.inner_text("#tasks")
    boss.click(f"#tasks a:has-text('{case.reference}')")
    boss.wait_for_selector("#plan-approve-1")
    _submit(boss, "#plan-approve-1")
    _case_page(boss)
    assert boss.inner_text("#plan-1 .plan-status") == "Approved"

    page.reload()
    _move(page, "services", "plan approved; services start")
    assert _state(page) == "Receiving services"

    # 5. the child's assent recorded; referral accepted and completed by the receiving agency
    for item in ("referral_sharing", "family_tracing"):
        _open(page, "consent")
        page.select_option("select[name=consent-item]", item)
        page.select_option("select[name=consent-given_by]", "child")
        page.check("input[name=consent-value][value=yes]")
        _submit(page, "#consent-submit")
        _case_page(page)
    assert page.inner_text("#consents").count("Yes") == 2
    _open(page, "referrals")
    page.select_option("select[name=refer-organisation]", label="Partner Training Centre")
    page.fill("input[name=refer-due_date]", str(today + dt.timedelta(days=10)))
    page.check("input[name=refer-services][value=vocational_training]")
    page.check("input[name=refer-fields_shared][value=given_name]")
    page.check("input[name=refer-fields_shared][value=age]")
    page.select_option("select[name=refer-consent_basis]", "child_assent")
    _submit(page, "#refer-submit")
    _case_page(page)
    assert "Requested" in page.inner_text("#referrals .ref-status")

    other = phone(browser)
    sign_in(other, base, partner_worker)
    other.click("header nav a:has-text('My work')")
    other.click("#incoming a.incoming-referral")
    shared = other.inner_text("#shared")
    assert "Maya" in shared and "Tamang" not in shared  # only what was shared
    other.fill("input[name=reason]", "a place on the May course")
    _submit(other, "#accept")
    assert other.inner_text("#referral-status") == "Accepted"
    other.fill("input[name=reason]", "course completed")
    _submit(other, "#complete")
    assert other.inner_text("#referral-status") == "Completed"

    # 6. the mother's tracing request, the child side by side, confirmed; the family assessed
    page.click("header nav a:has-text('Family tracing')")
    page.select_option("select[name=requester_relation]", "mother")
    page.fill("input[name=requester_name]", "Sunita Tamang")
    page.fill("input[name=sought_given_name]", "maya")
    page.fill("input[name=sought_family_name]", "TAMANG")
    page.fill("input[name=sought_birth_year]", "2011")
    _submit(page, "#tracing-submit")
    candidate = f"#candidate-{case.pk}"
    assert page.locator(f"{candidate} tr.agree").count() == 3  # given, family name, year
    page.fill(f"{candidate} input[name=reason]", "mother identified her photo and birthmark")
    _submit(page, f"{candidate} button[value=confirm]")
    assert page.inner_text("#tracing-status") == "Matched (confirmed)"
    page.click("#matched-case")
    _case_page(page)
    assert "Completed" in page.inner_text("#referrals .ref-status")
    _open(page, "family")
    page.check("input[name=family-safe][value=yes]")
    page.check("input[name=family-family_rejects_child][value=no]")
    page.check("input[name=family-family_involved][value=no]")
    page.select_option("select[name=family-retrafficking_risk]", "low")
    page.select_option("select[name=family-decision]", "reunify")
    _submit(page, "#family-submit")
    _case_page(page)
    assert "Reunify with the family" in page.inner_text("#family-assessments")

    # 7. reunified; three follow-up visits with the wellbeing instrument
    _move(page, "removal_verified", "reunified with her mother")
    _move(page, "follow_up", "home; follow-up starts")
    assert page.inner_text("#htcds-status") == "Follow-up"
    for i in range(3):
        page.fill("input[name=schedule-scheduled_for]", str(today))
        _submit(page, "#schedule-submit")
        _case_page(page)
        visit = page.locator("details.visit").first
        visit.locator("summary").click()
        prefix = str(visit.get_attribute("id")).replace("-", "")
        _scores(page, prefix, {k: str(min(4, int(v) + i + 1)) for k, v in BEFORE.items()})
        page.select_option(f"select[name={prefix}-retrafficking_risk]", "low")
        _submit(page, f"#{visit.get_attribute('id')} button.primary")
        _case_page(page)

    # 8. closed with an outcome from the taxonomy, after the checklist and the supervisor's
    # approval; before/after stays visible
    _submit(page, "#end-placement")
    _case_page(page)
    page.click("#closure-link")
    page.wait_for_selector("#checklist")
    assert "✓ Placements ended" in page.inner_text("#area-safety")
    assert "The care plan's action" in page.inner_text("#area-care_plan")  # due in 30 days
    page.select_option("select[name=outcome]", "reunited_with_family")
    page.fill("textarea[name=reason]", "safe at home and back at school")
    page.locator("#request-form .justify textarea").first.fill("the course goes on at home")
    _submit(page, "#request-submit")
    assert "Awaiting approval" in page.inner_text("#pending")
    assert page.locator("#approve-submit").count() == 0  # a caseworker is not offered it

    boss.click("header nav a:has-text('My work')")
    assert "Closure awaiting approval" in boss.inner_text("#tasks")
    boss.click(f"#tasks a:has-text('{case.reference}')")
    assert "the course goes on at home" in boss.inner_text("#pending")
    _submit(boss, "#approve-submit")
    assert "This case is closed." in boss.inner_text("#closure-closed")

    page.goto(f"{base}/cases/{case.pk}/")
    assert _state(page) == "Closed"
    assert page.inner_text("#outcome") == "Reunited with family"
    assert page.inner_text("#htcds-status") == "Closed"
    table = page.inner_text("#wellbeing")
    assert table.count("Visit") == 3
    row = next(r for r in table.splitlines() if r.startswith("Schooling or work"))
    assert re.split(r"\s+", row.replace("Schooling or work", "").strip()) == [
        "0",
        "1",
        "2",
        "3",
        "+3",
    ]
    assert page.inner_text("#total-change") == "+14"
    path = list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True))
    assert path == ["assessed", "in_care", "services", "removal_verified", "follow_up", "closed"]
