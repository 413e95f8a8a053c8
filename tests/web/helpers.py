"""Shared browser-test helpers: a phone-sized context, a sign-in through the second factor and a
sign-out, and the check that a page does not scroll sideways."""

from __future__ import annotations

import re
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def code(user: Any, drift: int = 0) -> str:
    """The authenticator's code; drift=1 is the next 30-second step's (a used code is refused)."""
    d = TOTPDevice.objects.get(user=user)
    return f"{totp(d.bin_key, step=d.step, t0=d.t0, digits=d.digits, drift=drift):06d}"


def phone(browser: Any, viewport: dict[str, int] = PHONE) -> Any:
    """A new phone-sized page (or ``viewport``) in its own context (its own cookies: one person
    per context)."""
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(15000)
    return page


def fits(page: Any) -> None:
    """Nothing on the page scrolls sideways."""
    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"{page.url}: {wide[0]} px wide in a {wide[1]} px window"


def sign_in(page: Any, base: str, user: Any) -> None:
    """Sign ``user`` in with a password and a confirmed authenticator's current code."""
    TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    page.goto(base + "/signin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/second-factor/"))
    page.fill("input[name=token]", code(user))
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)


def sign_out(page: Any) -> None:
    """Sign out with the header's button; the sign-in page follows."""
    page.click("header .who button:has-text('Sign out')")
    page.wait_for_url(re.compile(r"/signin/"))
