"""A caseworker on a phone screens a child from the case page and reads the explained result."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Role
from lantern.cases.models import Case, ScreeningResult, TraffickingStatus
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(page, base: str, user) -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(base + "/signin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/second-factor/"))
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=token]", f"{code:06d}")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/cases/"))


def test_screen_a_child_from_the_case_page_and_see_result_and_reasons(page, live_server, tmp_path):
    worker = factories.user("cw", Role.CASEWORKER)
    factories.import_records([factories.record(7)], tmp_path)
    case = Case.objects.get()
    case.age_at_recruitment = 14
    case.save()
    _sign_in(page, live_server.url, worker)

    page.click("table.cases a >> nth=0")
    page.click("#screen-link")
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/screening/"))
    assert page.input_value("input[name=age_years]") == "14"  # pre-filled from the case
    assert page.locator(".indicator").count() > 30  # the whole checklist, all "unknown"
    assert page.is_checked('input[name="i_D4.excessive_hours"][value=unknown]')

    page.check("input[name=acts][value=recruitment]")
    page.click("#dim-D4 > summary")
    assert "long days" in page.inner_text("#ind-D4\\.excessive_hours .help")  # plain help
    page.check('input[name="i_D4.excessive_hours"][value=yes]')
    page.check('input[name="i_D4.hazardous_work"][value=yes]')
    page.click("#screen-submit")

    page.wait_for_selector(".screening-result")
    assert page.inner_text("#result-trafficking") == "Trafficking"
    reasons = page.inner_text("#reasons")
    assert "this is child trafficking under Palermo art. 3(c)" in reasons
    assert "D4 (Exploitative conditions) is positive" in reasons
    assert "refer to child protection services now" in page.inner_text("#recommendation")
    assert page.locator("#provisional").count() == 1
    assert "cw" in page.inner_text("#history")
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE  # a screening, not a decision
    assert ScreeningResult.objects.filter(case=case, screened_by=worker).count() == 1

    # The same result, read in French.
    page.select_option("#lang-select", "fr")
    page.click("header form.lang button")
    page.wait_for_selector("text=Motifs")
    assert "traite d'enfant" in page.inner_text("#reasons")
    assert page.inner_text("#result-trafficking") == "Traite"
