"""No request to the API may answer a server error, whatever it carries.

Two passes over the whole OpenAPI document (/api/openapi.json), in-process, as a caseworker with
a confirmed second factor: the hostile probes (a lone surrogate, an integer past 64 bits, 1e30,
in every parameter and body field of every operation), then schemathesis' generated requests,
valid and invalid, on a short budget. benchmarks/bench_fuzz.py runs the same, longer.
Issue 19 found 19 operations answering 500; this keeps the count at 0.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.security.api_fuzz import caseworker_headers, fuzz
from tests.security.hostile_probes import send_all

EXAMPLES = 4  # per operation and mode: about 400 requests, under two minutes here


@pytest.fixture
def headers(transactional_db: Any, tmp_path: Any, settings: Any) -> Iterator[dict[str, str]]:
    """Two agencies' cases in the store; each request commits alone, as in production."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    factories.agency("police-two")
    rows = [factories.record(1, "ngo-one"), factories.record(2, "police-two")]
    factories.import_records(rows, tmp_path)
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL + 1  # counted, not printed
    yield caseworker_headers()
    request_log.level = level


def test_hostile_values_never_answer_a_server_error(headers: dict[str, str]) -> None:
    from lantern.api import api

    doc = api.get_openapi_schema(path_prefix="/api")
    sent, failed = send_all(Client(raise_request_exception=False), doc, headers)
    print(f"hostile probes: {sent} sent, {len(failed)} server errors")
    assert sent >= 300, "the OpenAPI document lost parameters or bodies"
    assert not failed, "\n".join(f"{s} {p.operation}: {p.what}" for p, s in failed)


def test_schemathesis_finds_no_server_error_nor_undeclared_answer(headers: dict[str, str]) -> None:
    from lantern.wsgi import application

    run = fuzz(application, headers, examples=EXAMPLES)
    print(f"fuzz: {run.operations} operations, {run.requests} requests, ", end="")
    print(f"{len(run.server_errors)} server errors, {len(run.nonconforming)} off the document")
    assert run.operations >= 40, "the OpenAPI document lost operations"
    assert run.requests >= run.operations
    assert not run.server_errors, "\n".join(
        [f"{len(run.server_errors)} server errors on {len(run.failing_operations())} operations:"]
        + [f"  {label}: {repro}" for label, repro in run.server_errors[:60]]
    )
    assert not run.nonconforming, "\n".join(
        [f"{len(run.nonconforming)} answers the OpenAPI document does not declare:"]
        + [f"  {label}: {what}" for label, what in run.nonconforming[:30]]
    )
