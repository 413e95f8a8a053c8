"""Sign-in: argon2 and password rules, lock-out, second factor, idle expiry, sign-out by POST."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.accounts.services import AccountError, add_user
from tests import factories

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_and_weak_ones_refused() -> None:
    factories.agency("ngo-one")
    user, password = add_user("cw", Role.CASEWORKER, "ngo-one", source="test")
    assert user.password.startswith("argon2") and password not in user.password
    with pytest.raises(AccountError, match=r"too common|too short"):
        add_user("cw2", Role.CASEWORKER, "ngo-one", password="password", source="test")


def _post_signin(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    fast_passwords: None,
) -> None:
    factories.user("cw", Role.CASEWORKER)
    client = Client()
    for _ in range(4):
        wrong = _post_signin(client, "cw", "nope-nope-nope").content.decode()
        assert "Wrong username or password" in wrong
    assert _post_signin(client, "cw", "nope-nope-nope").status_code == 429  # the fifth locks
    locked = _post_signin(client, "cw", factories.PASSWORD)
    assert 'id="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_role_that_sees_identities_must_enrol_then_pass_the_second_factor(
    fast_passwords: None,
) -> None:
    factories.user("cw", Role.CASEWORKER)
    client = Client()
    r = _post_signin(client, "cw", factories.PASSWORD)
    assert r.status_code == 302 and r["Location"] == reverse("web:enrol")
    assert client.get(reverse("web:case_list"))["Location"] == reverse("web:second_factor")
    analyst = factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    r = _post_signin(Client(), analyst.username, factories.PASSWORD)
    assert r.status_code == 302 and "second-factor" not in r["Location"]


def test_an_idle_session_expires(store: Any, settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 60
    client = factories.verified_login(Client(), store.users["caseworker"])
    assert client.get(reverse("web:case_list")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 61
    session.save()
    r = client.get(reverse("web:case_list"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("web:login"))
    assert client.get(reverse("web:case_list")).status_code == 302  # still signed out


def test_sign_out_is_a_post_with_csrf(store: Any) -> None:
    client = factories.verified_login(Client(enforce_csrf_checks=True), store.users["caseworker"])
    assert client.get(reverse("web:logout")).status_code == 405  # a link cannot sign you out
    assert client.post(reverse("web:logout")).status_code == 403  # nor a forged form
    assert client.get(reverse("web:case_list")).status_code == 200


def test_sign_in_needs_the_csrf_token_and_sets_safe_cookies(fast_passwords: None) -> None:
    factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    client = Client(enforce_csrf_checks=True)
    assert _post_signin(client, "ma", factories.PASSWORD).status_code == 403
    client.get(reverse("web:login"))
    token = client.cookies["csrftoken"].value
    r = client.post(
        reverse("web:login"),
        {"username": "ma", "password": factories.PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "https:///evil.example/phish",
    "javascript:alert(document.cookie)",
    " //evil.example/phish",
]


def _code(user: Any) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    d = TOTPDevice.objects.get(user=user)
    return f"{totp(d.bin_key, step=d.step, t0=d.t0, digits=d.digits):06d}"


def _signin_with_next(client: Client, username: str, where: str, via: str) -> Any:
    """GET the form behind a phishing link, then sign in with ``next`` in the query or body."""
    assert client.get(reverse("web:login"), {"next": where}).status_code == 200
    body = {"username": username, "password": factories.PASSWORD}
    if via == "body":
        return client.post(reverse("web:login"), {**body, "next": where})
    return client.post(f"{reverse('web:login')}?{urlencode({'next': where})}", body)


@pytest.mark.parametrize("via", ["query", "body"])
@pytest.mark.parametrize("where", OFF_SITE)
def test_sign_in_never_sends_a_role_without_second_factor_off_site(
    fast_passwords: None, where: str, via: str
) -> None:
    factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    r = _signin_with_next(Client(), "ma", where, via)
    assert r.status_code == 302 and r["Location"] == reverse("web:home")


@pytest.mark.parametrize("via", ["query", "body"])
@pytest.mark.parametrize("where", OFF_SITE)
def test_the_second_factor_never_sends_off_site_either(
    fast_passwords: None, where: str, via: str
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cw = factories.user("cw", Role.CASEWORKER)
    TOTPDevice.objects.create(user=cw, name="phone", confirmed=True)
    client = Client()
    r = _signin_with_next(client, "cw", where, via)
    assert r["Location"] == reverse("web:second_factor")
    r = client.post(reverse("web:second_factor"), {"token": _code(cw)})
    assert r.status_code == 302 and r["Location"] == reverse("web:home")


@pytest.mark.parametrize("where", OFF_SITE)
def test_an_off_site_next_is_not_carried_into_the_form(where: str) -> None:
    page = Client().get(reverse("web:login"), {"next": where}).content.decode()
    assert 'name="next" value=""' in page
    assert "evil.example" not in page and "javascript:" not in page


def test_a_page_on_this_site_is_still_where_sign_in_leads(fast_passwords: None) -> None:
    factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    r = _signin_with_next(Client(), "ma", "/cases/?page=2", "body")
    assert r.status_code == 302 and r["Location"] == "/cases/?page=2"


def test_over_https_a_plain_http_next_on_the_same_host_is_refused(fast_passwords: None) -> None:
    factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    r = Client().post(
        reverse("web:login"),
        {"username": "ma", "password": factories.PASSWORD, "next": "http://testserver/cases/"},
        secure=True,
    )
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
