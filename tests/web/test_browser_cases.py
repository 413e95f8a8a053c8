"""A caseworker on a phone: enrol a second factor, sign in, filter cases, open a journey."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Role
from lantern.cases.models import Case
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _code(user, drift: int = 0) -> str:  # type: ignore[no-untyped-def]
    """The authenticator's code; drift=1 is the next 30-second step's (a used code is refused)."""
    d = TOTPDevice.objects.get(user=user)
    return f"{totp(d.bin_key, step=d.step, t0=d.t0, digits=d.digits, drift=drift):06d}"


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/signin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")


def test_enrol_sign_in_filter_and_open_a_journey(page, live_server, tmp_path):
    worker = factories.user("cw", Role.CASEWORKER)  # its agency's team receives the import
    rows = [factories.record(i) for i in range(40)]
    rows[3]["prs_Citizenship"] = "THA"
    rows[3]["prs_FirstName"] = "Malee"
    factories.import_records(rows, tmp_path)

    _sign_in(page, live_server.url, "cw")
    page.wait_for_url(re.compile(r"/signin/enrol/"))
    assert page.locator(".qr svg").count() == 1
    enrolment_code = _code(worker)
    page.fill("input[name=token]", enrolment_code)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/cases/"))
    assert "(40)" in page.inner_text("h1")

    page.click("details.filterbox summary")
    page.select_option("select[name=citizenship]", label="Thailand")
    page.click("#case-filters button.primary")
    page.wait_for_url(re.compile(r"citizenship=THA"))
    expected = Case.objects.filter(citizenship="THA").count()
    assert f"({expected})" in page.inner_text("h1")
    page.click("table.cases a >> nth=0")
    page.wait_for_selector("#journey")
    journey = page.inner_text("#journey")
    assert "Recruitment" in journey and "Raxaul" in journey and "Mumbai" in journey
    assert "Sexual exploitation" in page.inner_text("#exploitation")

    # Signing out and in again asks for the code, not a new enrolment.
    page.click("header form button:has-text('Sign out')")
    page.wait_for_url(re.compile(r"/signin/$"))
    _sign_in(page, live_server.url, "cw")
    page.wait_for_url(re.compile(r"/signin/second-factor/"))
    # the very code used at enrolment: a replay, refused even when the 30-second step has
    # rolled over since (the current code would then be a fresh one, and accepted)
    page.fill("input[name=token]", enrolment_code)
    page.click("button.primary")
    assert "not right" in page.inner_text("main")
    time.sleep(1.1)  # django-otp throttles the device for 1 s after a failure
    page.fill("input[name=token]", _code(worker, drift=1))
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/cases/"))


def test_lock_out_after_repeated_failures(page, live_server):
    factories.user("cw", Role.CASEWORKER)
    for _ in range(5):
        page.goto(live_server.url + "/signin/")
        page.fill("input[name=username]", "cw")
        page.fill("input[name=password]", "wrong-password-123")
        page.click("button.primary")
    page.goto(live_server.url + "/signin/")
    page.fill("input[name=username]", "cw")
    page.fill("input[name=password]", factories.PASSWORD)  # right password, still locked
    page.click("button.primary")
    assert page.locator("#locked-out").count() == 1


def test_a_caseworker_cannot_open_another_agencys_case_by_url(page, live_server, tmp_path):
    factories.agency("police-two")
    factories.import_records([factories.record(1, "police-two")], tmp_path)
    other = Case.objects.get()
    worker = factories.user("cw", Role.CASEWORKER)
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    _sign_in(page, live_server.url, "cw")
    page.wait_for_url(re.compile(r"/second-factor/"))
    page.fill("input[name=token]", _code(worker))
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/cases/"))
    response = page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert response is not None and response.status == 404
    assert other.person.given_name not in page.content()
