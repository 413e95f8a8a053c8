"""No identifying data in logs, URLs or error pages; a strict CSP and the security headers on
every page."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import URLPattern, get_resolver, reverse

from lantern.web.logging import RedactIdentifiers
from lantern.web.middleware import PrivatePagesMiddleware
from tests import factories
from tests.conftest import Store

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _pages(store: Store) -> list[tuple[str, str]]:
    """(column, path) for every kind of page, seen by a role that may open it."""
    return [
        ("caseworker", reverse("web:home")),
        ("caseworker", reverse("web:case_list")),
        ("caseworker", reverse("web:case_detail", args=[store.case_in.pk])),
        ("caseworker", reverse("web:case_screening", args=[store.case_in.pk])),
        ("case_supervisor", reverse("web:case_access_log", args=[store.case_in.pk])),
        ("auditor", reverse("web:audit_list")),
        ("community_reporter", reverse("web:home")),
        ("caseworker", reverse("web:case_detail", args=[store.case_out.pk])),  # the 404 page
    ]


def test_every_page_carries_a_strict_csp_and_the_security_headers(store: Store) -> None:
    responses = [Client().get(reverse("web:login"))]
    for column, path in _pages(store):
        responses.append(factories.verified_login(Client(), store.users[column]).get(path))
    for r in responses:
        csp = r.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "default-src 'self'" in csp, r
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r["X-Frame-Options"] == "DENY"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"
        assert r["Cross-Origin-Opener-Policy"] == "same-origin"
        body = r.content.decode()
        assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body)
        assert not INLINE_HANDLER.search(body), INLINE_HANDLER.search(body)


def test_signed_in_responses_are_never_cached_and_unused_features_are_off(store: Store) -> None:
    rf = RequestFactory()
    middleware = PrivatePagesMiddleware(lambda request: __import__("django").http.HttpResponse())
    request = rf.get("/cases/")
    request.user = store.users["caseworker"]
    response = middleware(request)
    assert response["Cache-Control"] == "no-store, private"
    assert "camera=()" in response["Permissions-Policy"]
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert "Cache-Control" not in middleware(request)


def test_no_route_can_carry_a_name(store: Store) -> None:
    """Only integer ids in paths, or the random UUID4 that names an attachment (it carries
    nothing but randomness); the API's query parameters are codes, never identities."""
    from lantern.api import api

    def patterns(ps: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
        out: list[tuple[str, URLPattern]] = []
        for p in ps:
            route = prefix + str(p.pattern)
            out += patterns(p.url_patterns, route) if hasattr(p, "url_patterns") else [(route, p)]
        return out

    for route, p in patterns(get_resolver().url_patterns):
        for name, converter in p.pattern.converters.items():
            # The API's path parameters are checked below: typed integer in the OpenAPI schema.
            kind = type(converter).__name__
            assert kind in ("IntConverter", "UUIDConverter") or route.startswith("api/"), (
                route,
                name,
            )
    identity = re.compile(r"name|birth|identity|contact|address|phone", re.I)
    for path, ops in api.get_openapi_schema()["paths"].items():
        for op in ops.values():
            for param in op.get("parameters", []):
                assert not identity.search(param["name"]), (path, param["name"])
                if param["in"] == "path":
                    schema = param["schema"]
                    random_key = schema["type"] == "string" and schema.get("format") == "uuid"
                    assert schema["type"] == "integer" or random_key, (path, param["name"])
    from lantern.cases.forms import CaseFilterForm

    assert not [f for f in CaseFilterForm().fields if identity.search(f)]


def test_no_identity_reaches_a_log(store: Store, tmp_path: Any, caplog: Any) -> None:
    """Import, read a case on a page and on the API, with every logger at DEBUG and SQL logged."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement and its parameters
    try:
        rows = [factories.record(40 + i) for i in range(5)]
        rows[0]["prs_FirstName"], rows[0]["prs_SecondName"] = "Ratnamaya", "Thapaliya"
        factories.import_records(rows, tmp_path)
        client = factories.verified_login(Client(), store.users["caseworker"])
        for case in store.case_in.agency.cases.all():
            assert client.get(reverse("web:case_detail", args=[case.pk])).status_code == 200
            client.get(f"/api/cases/{case.pk}")
        client.get(reverse("web:case_detail", args=[store.case_out.pk]))  # a 404, logged
    finally:
        connection.force_debug_cursor = False
    assert any("SELECT" in r.getMessage() for r in caplog.records)  # SQL really was logged
    text = caplog.text
    for secret in (
        "Ratnamaya",
        "Thapaliya",
        store.case_in.person.family_name,
        str(store.case_in.person.birthdate),
    ):
        assert secret not in text


def test_the_log_filter_drops_query_strings_requests_and_exception_messages() -> None:
    handler_filter = RedactIdentifiers()
    name = "Ratna" + "maya"
    try:
        raise ValueError(f"bad birth date for {name}")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/cases/?q=Ratnamaya",),
        exc_info,
    )
    record.request = object()  # type: ignore[attr-defined]
    assert handler_filter.filter(record)
    text = logging.Formatter().format(record)
    assert "Ratnamaya" not in text and "ValueError: [message redacted]" in text
    assert "?[redacted]" in text and getattr(record, "request", "") is None
    named = logging.LogRecord("x", logging.INFO, __file__, 1, "%(path)s", None, None)
    named.args = {"path": "/x/?name=Ratnamaya"}
    handler_filter.filter(named)
    assert named.getMessage() == "/x/?[redacted]"


def test_error_pages_echo_nothing(store: Store) -> None:
    client = factories.verified_login(Client(), store.users["caseworker"])
    r = client.get("/cases/999999/?name=Ratnamaya")
    body = r.content.decode()
    assert r.status_code == 404 and 'id="not-found"' in body
    assert "Ratnamaya" not in body and "No such case" not in body  # nor the exception text
    from django.views.defaults import server_error

    page = server_error(RequestFactory().get("/cases/1/?name=Ratnamaya")).content.decode()
    assert 'id="server-error"' in page and "Ratnamaya" not in page
