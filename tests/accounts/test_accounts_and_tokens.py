"""Who is who: areas, agencies and users from the command line, and personal API tokens
(shown once, stored hashed, expiring, revocable)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lantern.accounts.models import Agency, ApiToken, Area, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_areas_nest_and_agencies_and_users_are_placed_in_them(
    cli: Any, fast_passwords: None
) -> None:
    assert cli("area", "add", "NPL", "Nepal").exit_code == 0
    assert cli("area", "add", "NPL-3", "Bagmati", "--parent", "NPL").exit_code == 0
    assert Area.objects.get(code="NPL-3").level == 1
    assert (
        cli(
            "agency",
            "add",
            "shelter-ktm",
            "Kathmandu shelter",
            "--type",
            "ngo_shelter",
            "--area",
            "NPL-3",
            "--country",
            "npl",
        ).exit_code
        == 0
    )
    a: Any = Agency.objects.get(code="shelter-ktm")
    assert a.area.code == "NPL-3" and a.country == "NPL"
    res = cli(
        "user",
        "add",
        "sup",
        "--role",
        "case_supervisor",
        "--agency",
        "shelter-ktm",
        "--team",
        "night",
        "--area",
        "NPL-3",
    )
    assert res.exit_code == 0 and "password (shown once)" in res.output
    u: Any = User.objects.get(username="sup")
    assert (u.role, u.agency.code, u.team.name, u.area.code) == (
        "case_supervisor",
        "shelter-ktm",
        "night",
        "NPL-3",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("area", "add", "X1", "Somewhere", "--parent", "NOPE"), "no parent area 'NOPE'"),
        (("agency", "add", "Bad Code", "X", "--type", "ngo"), "lower-case"),
        (("agency", "add", "ngo-two", "X", "--type", "church"), "unknown agency type 'church'"),
        (("agency", "add", "ngo-two", "X", "--type", "shelter"), "types: police, ngo, ngo_shelter"),
        (("agency", "add", "ngo-two", "X", "--type", "ngo", "--country", "XXX"), "alpha-3"),
        (("agency", "add", "ngo-two", "X", "--type", "ngo", "--area", "NOPE"), "no area 'NOPE'"),
        (("user", "add", "x", "--role", "boss"), "unknown role 'boss'"),
        (("user", "add", "x", "--role", "caseworker"), "must belong to an agency"),
        (("user", "add", "x", "--role", "caseworker", "--agency", "nope"), "no agency 'nope'"),
        (("user", "grant-case-content", "nobody", "--reason", "r"), "no user 'nobody'"),
        (("token", "create", "nobody"), "no active user 'nobody'"),
        (("token", "revoke", "short"), "first 10 characters"),
    ],
)
def test_bad_input_gets_exit_2_and_a_message_naming_it(
    cli: Any, args: tuple[str, ...], message: str
) -> None:
    res = cli(*args)
    assert res.exit_code == 2 and message in res.output and "Traceback" not in res.output


def test_only_a_system_admin_takes_the_case_content_grant_and_it_needs_a_reason(
    cli: Any, fast_passwords: None
) -> None:
    factories.user("cw", "caseworker")
    factories.user("sys", "system_admin", agency_code=None, team=None)
    assert "only a system_admin" in cli("user", "grant-case-content", "cw", "--reason", "x").output
    assert "--reason" in cli("user", "grant-case-content", "sys", "--reason", " ").output
    assert cli("user", "grant-case-content", "sys", "--reason", "debug import").exit_code == 0
    assert User.objects.get(username="sys").can_see_case_content
    assert cli("user", "grant-case-content", "sys", "--reason", "done", "--revoke").exit_code == 0
    assert not User.objects.get(username="sys").can_see_case_content


def test_token_lifecycle(cli: Any, tmp_path: Any, fast_passwords: None) -> None:
    factories.user("stats", "monitoring_analyst", agency_code=None, team=None)
    assert cli("token", "create", "stats", "--days", "30").exit_code == 0  # no identities: days
    sup = factories.user("sup", "case_supervisor")
    factories.import_records([factories.record(1)], tmp_path)
    code = factories.authenticator_code(sup)
    res = cli("token", "create", "sup", "--label", "laptop", "--hours", "8", "--code", code)
    assert res.exit_code == 0 and "shown once" in res.output
    raw = res.output.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/cases/", headers=auth).json()["count"] == 1
    # Stored hashed: the raw token is nowhere in the database.
    with connection.cursor() as cur:
        cur.execute("SELECT prefix, digest FROM accounts_apitoken")
        stored = cur.fetchall()
    assert stored and all(raw not in v for row in stored for v in row)
    token = ApiToken.objects.get(user=sup)
    assert dt.timedelta(hours=7) < token.expires_at - timezone.now() <= dt.timedelta(hours=8)
    assert token.last_used_at is not None
    listed = cli("token", "list", "sup").output
    assert raw[:10] in listed and "laptop" in listed and "active" in listed and raw not in listed
    assert cli("token", "revoke", raw[:10]).exit_code == 0
    assert Client().get("/api/cases/", headers=auth).status_code == 401
    assert "revoked" in cli("token", "list", "sup").output
    assert cli("token", "revoke", raw[:10]).exit_code == 2  # nothing left to revoke


def test_expired_and_malformed_tokens_are_refused(cli: Any, fast_passwords: None) -> None:
    factories.user("sup", "case_supervisor")
    raw = factories.api_token("sup", hours=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for header in (f"Bearer {raw}", raw, f"Bearer {raw}x", "Bearer "):
        assert Client().get("/api/cases/", HTTP_AUTHORIZATION=header).status_code == 401
    factories.user("stats", "monitoring_analyst", agency_code=None, team=None)
    assert cli("token", "create", "stats", "--days", "0").exit_code == 2
    assert cli("token", "create", "stats", "--days", "400").exit_code == 2


def test_a_token_that_reads_identities_needs_the_second_factor_and_a_short_life(
    cli: Any, fast_passwords: None
) -> None:
    """A token skips the second factor at every use, so an identity-reading role gets one only
    against its holder's current code, for 12 hours at most (it was 90 days, with no code)."""
    cw = factories.user("cw", "caseworker")
    res = cli("token", "create", "cw")
    assert res.exit_code == 2 and "no second factor yet" in res.output
    code = factories.authenticator_code(cw)
    for args, why in (
        ((), "--code"),
        (("--days", "30", "--code", code), "at most 12 hours"),
        (("--hours", "13", "--code", code), "from 1 to 12"),
    ):
        res = cli("token", "create", "cw", *args)
        assert res.exit_code == 2 and why in res.output, (args, res.output)
    assert not ApiToken.objects.filter(user=cw).exists()
    res = cli("token", "create", "cw", "--code", code)
    assert res.exit_code == 0, res.output
    life = ApiToken.objects.get(user=cw).expires_at - timezone.now()
    assert dt.timedelta(hours=11) < life <= dt.timedelta(hours=12)
    res = cli("token", "create", "cw", "--code", code)  # the same code again: refused
    assert res.exit_code == 2 and "not right" in res.output
    wrong = "000000" if code != "000000" else "111111"
    res = cli("token", "create", "cw", "--code", wrong)
    assert res.exit_code == 2 and "not right" in res.output
    assert ApiToken.objects.filter(user=cw).count() == 1
