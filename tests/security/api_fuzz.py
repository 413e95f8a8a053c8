"""Schemathesis over the whole OpenAPI document, in-process, counting server errors.

Shared by tests/security/test_api_fuzz.py (a few examples per operation, in CI) and
benchmarks/bench_fuzz.py (many more, in `make bench`). It counts every 5xx instead of stopping
at the first, so a run says how many operations still fail and with what.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.core import NotSet
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lantern.accounts.models import Role, User

OPENAPI = "/api/openapi.json"
CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class FuzzRun:
    """What a run saw: operations tried, requests sent, each 5xx as (operation, repro), and
    each answer the OpenAPI document does not declare (status, media type or schema)."""

    operations: int = 0
    requests: int = 0
    server_errors: list[tuple[str, str]] = field(default_factory=list)
    nonconforming: list[tuple[str, str]] = field(default_factory=list)

    def failing_operations(self) -> list[str]:
        return sorted({label for label, _ in self.server_errors})


def caseworker_headers(username: str = "fuzzer", agency_code: str = "ngo-one") -> dict[str, str]:
    """A caseworker signed in by a personal API token, issued against their second factor."""
    from tests import factories

    if not User.objects.filter(username=username).exists():
        factories.user(username, Role.CASEWORKER, agency_code=agency_code)
    raw = factories.api_token(username, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


def fuzz(
    app: Any,
    headers: dict[str, str],
    examples: int,
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
) -> FuzzRun:
    """Send ``examples`` generated requests per operation and mode; record every 5xx."""
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    run = FuzzRun()
    # Each 5xx is counted here; Django's traceback for it would only bury the summary.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL + 1
    try:
        _each_operation(schema, run, headers, examples, modes)
    finally:
        request_log.level = level
    return run


def _each_operation(
    schema: Any,
    run: FuzzRun,
    headers: dict[str, str],
    examples: int,
    modes: tuple[GenerationMode, ...],
) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1
        for mode in modes:
            with contextlib.suppress(Unsatisfiable):  # no request of this mode exists
                _send_examples(operation, mode, run, headers, examples)


def _send_examples(
    operation: Any, mode: GenerationMode, run: FuzzRun, headers: dict[str, str], examples: int
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def send(case: Any) -> None:
        response = case.call(headers=headers)
        run.requests += 1
        repro = f"{case.method} {case.formatted_path} query={case.query!r}"
        if not isinstance(case.body, NotSet):
            repro += f" body={case.body!r}"[:300]
        if response.status_code >= 500:
            run.server_errors.append((operation.label, repro))
            return
        try:  # the answer is one the document declares: its status, media type and schema
            case.validate_response(response, checks=CONFORMANCE)
        except Exception as failure:  # schemathesis' failure group, one per failed check
            run.nonconforming.append((operation.label, f"{repro}: {failure}"[:600]))

    send()
