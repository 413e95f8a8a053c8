"""The permission matrix: every role x every page, API operation and command x a record in scope
and one out of scope, against the one table in ``permission_table``; zero unexpected allows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.protection.safety.models import Placement, SafePlace
from lantern.protection.tracing.models import TracingRequest
from tests import factories
from tests.conftest import Store
from tests.security.permission_table import (
    ADDED,
    BASE_COLUMNS,
    CALLS,
    COLUMNS,
    FORMAT_VARIANTS,
    IDS,
    REFERENCES,
    TABLE,
    outcome,
)

pytestmark = pytest.mark.django_db


def _routes() -> Iterator[tuple[str, str]]:
    """(url name, route) of every page in the resolver; the API is enumerated by OpenAPI."""

    def walk(patterns: list[Any], ns: str, prefix: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(x for x in (ns, p.namespace or "") if x)
                yield from walk(p.url_patterns, inner, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield (f"{ns}:{p.name}" if ns else str(p.name)), prefix + str(p.pattern)

    yield from walk(get_resolver().url_patterns, "", "/")


def _operations() -> Iterator[str]:
    from lantern.api import api

    for path, ops in api.get_openapi_schema()["paths"].items():
        for method in ops:
            yield f"{method.upper()} {path}"


def _commands() -> Iterator[str]:
    import lantern.cli

    lantern.cli._register()
    root = typer.main.get_command(lantern.cli.app)

    def walk(cmd: Any, prefix: str) -> Iterator[str]:
        subs = getattr(cmd, "commands", None)
        if subs is not None:
            for name, sub in subs.items():
                yield from walk(sub, f"{prefix} {name}".strip())
        else:
            yield prefix

    yield from walk(root, "")


def test_every_route_operation_and_command_is_in_the_table() -> None:
    routes = {name for name, _ in _routes() if not name.startswith("api:")}
    api_names = {name for name, _ in _routes() if name.startswith("api:")}
    found = routes | set(_operations()) | set(_commands())
    found |= {n for n in api_names if n in TABLE}  # the schema and docs pages
    found |= {k for k, command in FORMAT_VARIANTS.items() if command in found}
    missing = sorted(found - set(TABLE))
    assert not missing, f"classify these in tests/security/permission_table.py: {missing}"
    stale = sorted(k for k in TABLE if k not in found and not k.startswith("api:"))
    assert not stale, f"the table lists routes or commands that no longer exist: {stale}"
    for key, row in TABLE.items():
        assert len(row) == len(BASE_COLUMNS), key  # added roles: permission_table.ADDED
    # An added role's key that names no route or command would never be called: a typo there
    # leaves the role at the default "no" for the real key, unnoticed.
    unknown = sorted(f"{role}: {k}" for role, keys in ADDED.items() for k in keys - TABLE.keys())
    assert not unknown, f"permission_table.ADDED names keys the table does not have: {unknown}"
    assert set(ADDED) <= {str(r) for r in Role}, "ADDED columns are roles"


# --- calling a route as a user ----------------------------------------------------------------

ALLOWED, DENIED = "allowed", "denied"


def _web(client: Client, path: str) -> tuple[str, str]:
    r = client.get(path)
    body = r.content.decode("utf-8", "replace")
    if r.status_code == 200:
        return ALLOWED, body
    if r.status_code == 302:
        login = reverse("web:login")
        return (DENIED if r["Location"].startswith(login) else ALLOWED), ""
    assert r.status_code in (403, 404), f"GET {path}: unexpected {r.status_code}"
    return DENIED, body


def _api(client: Client, key: str, path: str, token: str) -> tuple[str, str]:
    method = key.split(" ", 1)[0]
    call = CALLS.get(key, {})
    r = client.generic(
        method,
        path,
        json.dumps(call.get("body", {})) if method != "GET" else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    body = r.content.decode("utf-8", "replace")
    if r.status_code in (401, 403, 404):
        return DENIED, body
    assert r.status_code < 500, f"{key}: server error {r.status_code}"
    if r.status_code in (400, 422):
        # Refusals happen before input is read, so an input error means the policy allowed it.
        assert method != "GET", f"{key}: {r.status_code} {body[:200]}"
    return ALLOWED, body


def _fill(route: str, case: Case | None) -> str:
    for placeholder in ("<int:case_id>", "{case_id}"):
        if placeholder in route:
            assert case is not None
            route = route.replace(placeholder, str(case.pk))
    for name, record_of in IDS.items():  # other ids: a record of that case (permission_table)
        for placeholder in (f"<int:{name}>", f"<uuid:{name}>", "{" + name + "}"):
            if placeholder in route:
                assert case is not None
                route = route.replace(placeholder, str(record_of(case)))
    assert "<" not in route and "{" not in route, f"no way to call {route}: add it to CALLS"
    return route


def _has_record(route: str) -> bool:
    return "<int:" in route or "{" in route


def _prepare(key: str, case: Case) -> None:
    """Run a route's set-up (CALLS[key]["setup"]) on the case it is about to be called with."""
    setup = CALLS.get(key, {}).get("setup")
    if setup is not None:
        setup(case)


def _listed(body: str, case: Case) -> bool:
    return case.reference in body


def _check(key: str, column: str, result: dict[str, tuple[str, str]], store: Store) -> list[str]:
    """Compare what happened with the table; one message per surprise."""
    expected = outcome(key, column)
    base, _, suffix = expected.partition("+")
    problems = []
    want = {
        "scoped": {"in": ALLOWED, "out": DENIED},
        "all": {"in": ALLOWED, "out": ALLOWED},
        "no": {"in": DENIED, "out": DENIED},
        "yes": {"in": ALLOWED, "out": ALLOWED},
    }[base]
    for which, (got, body) in result.items():
        if got != want[which]:
            kind = "UNEXPECTED ALLOW" if got == ALLOWED else "unexpected refusal"
            problems.append(f"{kind}: {column} on {key} ({which} of scope), table says {expected}")
        if got != ALLOWED:
            continue
        case = store.case_in if which == "in" else store.case_out
        names = (case.person.given_name, case.person.family_name, str(case.person.birthdate))
        shown = [n for n in names if n in body]
        if suffix == "id" and len(shown) < len(names):
            problems.append(f"{column} on {key} ({which}): identity missing, table says {expected}")
        if suffix != "id" and shown:
            problems.append(f"UNEXPECTED ALLOW: {column} on {key} ({which}) shows identity {shown}")
    return problems


def _check_list(key: str, column: str, got: str, body: str, store: Store) -> list[str]:
    """A list is allowed when it answers; what it may contain depends on the scope."""
    expected = outcome(key, column)
    listed = {w: _listed(body, c) for w, c in (("in", store.case_in), ("out", store.case_out))}
    if expected == "no":
        if got == ALLOWED and any(listed.values()):  # an empty answer discloses nothing
            return [f"UNEXPECTED ALLOW: {column} on {key} lists cases, table says no"]
        return []
    if got != ALLOWED:
        return [f"unexpected refusal: {column} on {key}, table says {expected}"]
    want = {"scoped": {"in": True, "out": False}, "all": {"in": True, "out": True}, "yes": listed}[
        expected
    ]
    return [
        f"{'UNEXPECTED ALLOW' if listed[w] else 'missing'}: {column} on {key} "
        f"{'lists' if listed[w] else 'omits'} the {w}-of-scope case, table says {expected}"
        for w in ("in", "out")
        if listed[w] != want[w]
    ]


def test_every_role_on_every_page_and_endpoint(store: Store) -> None:
    problems: list[str] = []
    routes = [(n, r) for n, r in _routes() if n in TABLE and not n.startswith("api:")]
    for column in COLUMNS:
        user = store.users[column]
        web = factories.verified_login(Client(), user)
        token = factories.api_token(user.username)
        calls: list[tuple[str, str, Any]] = [(k, r, lambda p, c=web: _web(c, p)) for k, r in routes]
        calls += [
            (k, k.split(" ", 1)[1], lambda p, k=k, t=token: _api(Client(), k, p, t))
            for k in _operations()
        ]
        for key, route, call in calls:
            if outcome(key, column) == "public":
                continue
            if _has_record(route):
                result = {}
                for w, c in (("in", store.case_in), ("out", store.case_out)):
                    _prepare(key, c)
                    result[w] = call(_fill(route, c))
                problems += _check(key, column, result, store)
            else:
                got, body = call(route)
                problems += _check_list(key, column, got, body, store)
    assert not problems, "\n".join(problems)


def test_every_role_on_the_import_and_export_commands(
    store: Store, tmp_path: Any, cli: Any
) -> None:
    files = {
        "in": factories.write_csv(tmp_path / "in.csv", [factories.record(1, "ngo-one")]),
        "out": factories.write_csv(tmp_path / "out.csv", [factories.record(2, "police-two")]),
    }
    problems = []
    for column in COLUMNS:
        username = store.users[column].username
        got = {
            w: ALLOWED if cli("import", str(f), "--user", username, "-q").exit_code == 0 else DENIED
            for w, f in files.items()
        }
        problems += _check("import", column, {w: (g, "") for w, g in got.items()}, store)
        res = cli("audit", "export", "--user", username, "--out", str(tmp_path / "a.csv"))
        assert res.exit_code in (0, 2), res.output
        g = ALLOWED if res.exit_code == 0 else DENIED
        problems += _check_list("audit export", column, g, "", store)
        res = cli("export", "--user", username, "--out", str(tmp_path / "ctdc.csv"))
        assert res.exit_code in (0, 2), res.output
        g = ALLOWED if res.exit_code == 0 else DENIED
        problems += _check_list("export", column, g, "", store)
        problems += _check_htcds_export(column, username, tmp_path / f"{column}.json", cli, store)
    assert not problems, "\n".join(problems)


def _check_htcds_export(column: str, username: str, out: Any, cli: Any, store: Store) -> list[str]:
    """A case is reached when its record is in the file; identity when its names are."""
    res = cli("export", "--format", "htcds", "--user", username, "--out", str(out))
    assert res.exit_code in (0, 2), res.output
    result = {"in": (DENIED, ""), "out": (DENIED, "")}
    if res.exit_code == 0:
        records = json.loads(out.read_text())["records"]
        for which, case in (("in", store.case_in), ("out", store.case_out)):
            key = (case.agency.code, case.source_record_id)
            mine = [r for r in records if (r["agency"], r["source_record_id"]) == key]
            if mine:
                result[which] = (ALLOWED, json.dumps(mine))
    else:
        assert not out.exists()
    return _check("export --format htcds", column, result, store)


def test_public_routes_answer_before_sign_in_and_protected_ones_do_not(store: Store) -> None:
    anonymous = Client()
    for key, route in _routes():
        if key.startswith("api:") or key not in TABLE:
            continue
        path = _fill(route, store.case_in)
        r = anonymous.get(path)
        if set(TABLE[key]) == {"public"}:
            assert r.status_code in (200, 302, 405), (key, r.status_code)
        else:
            assert r.status_code == 302 and r["Location"].startswith(reverse("web:login")), key
    for key in _operations():
        r = Client().generic(key.split()[0], _fill(key.split(" ", 1)[1], store.case_in))
        assert r.status_code == 401, key


def test_an_unverified_session_sees_nothing_identifying(store: Store) -> None:
    """A caseworker past the password but not the second factor: pages and API refuse."""
    c = Client()
    c.force_login(store.users["caseworker"])
    r = c.get(reverse("web:case_detail", args=[store.case_in.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("web:second_factor")
    assert c.get(f"/api/cases/{store.case_in.pk}").status_code == 401


def test_a_deactivated_user_loses_everything_at_once(store: Store) -> None:
    user = store.users["case_supervisor"]
    token = factories.api_token(user.username)
    auth = {"Authorization": f"Bearer {token}"}
    assert Client().get(f"/api/cases/{store.case_in.pk}", headers=auth).status_code == 200
    user.is_active = False
    user.save()
    assert Client().get(f"/api/cases/{store.case_in.pk}", headers=auth).status_code == 401


def test_a_referenced_object_of_another_agency_is_answered_as_missing(store: Store) -> None:
    """The matrix's last column: a call on a record in scope that names another agency's object
    (a shelter to place the child in, a case to match a tracing request with) is refused with
    the very answer a missing id gets, for every role the route allows, and changes nothing."""
    problems: list[str] = []
    missing_id = 2**31 - 7
    for key, ref in REFERENCES.items():
        method, route = key.split(" ", 1)
        for column in COLUMNS:
            if outcome(key, column).partition("+")[0] not in ("scoped", "all", "yes"):
                continue
            token = factories.api_token(store.users[column].username)
            if ref.get("setup"):
                ref["setup"](store.case_in)
            path = _fill(route, store.case_in)
            foreign = ref["object"](store.case_out)
            before = Placement.objects.count(), TracingRequest.objects.filter(status="open").count()
            answers = {}
            for which, value in (("foreign", foreign), ("missing", missing_id)):
                r = Client().generic(
                    method,
                    path,
                    json.dumps({**ref["body"], ref["field"]: value}),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
                text = r.content.decode().replace(str(value), "ID")
                answers[which] = (r.status_code, text)
            after = Placement.objects.count(), TracingRequest.objects.filter(status="open").count()
            if answers["foreign"] != answers["missing"]:
                problems.append(f"{column} on {key}: another agency's object {answers}")
            if answers["foreign"][0] not in (404, 409, 422):
                problems.append(f"UNEXPECTED ALLOW: {column} on {key} took {answers['foreign']}")
            if after != before:
                problems.append(f"UNEXPECTED CHANGE: {column} on {key}")
    assert not problems, "\n".join(problems)


def test_a_child_is_placed_only_in_a_place_the_agency_runs(store: Store) -> None:
    """The positive side of the reference column: the caseworker places the child in its own
    agency's shelter; another agency's shelter is unknown to it, and so is its address."""
    user = store.users["caseworker"]
    token = factories.api_token(user.username)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    REFERENCES["POST /api/cases/{case_id}/placements"]["setup"](store.case_in)
    own = SafePlace.objects.create(
        agency=store.case_in.agency, name="Own House", kind="shelter", address="1 Own Lane"
    )
    other = SafePlace.objects.create(
        agency=store.case_out.agency, name="Other House", kind="shelter", address="9 Hidden Road"
    )
    url = f"/api/cases/{store.case_in.pk}/placements"
    r = Client().post(url, {"place": own.pk}, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    r = Client().post(url, {"place": other.pk}, content_type="application/json", **auth)
    assert r.status_code == 422, r.content
    assert not Placement.objects.filter(place=other).exists()
    r = Client().get(f"/api/safe-places/{other.pk}", **auth)
    assert r.status_code == 404 and b"Hidden Road" not in r.content
    r = Client().get(f"/api/safe-places/{own.pk}", **auth)
    assert r.status_code == 200 and r.json()["address"] == "1 Own Lane"
