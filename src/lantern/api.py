"""The JSON API: one NinjaAPI, each domain app contributing its router."""

from __future__ import annotations

import json
import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

from lantern.accounts.auth import SessionOrToken
from lantern.cases.api import router as cases_router
from lantern.cases.assignment_api import router as assignment_router
from lantern.cases.screening_api import router as screening_router
from lantern.directory.api import router as directory_router
from lantern.edges.bounds import INT64_MAX, INT64_MIN, clean_text
from lantern.errors import DomainError, Invalid, NotAllowed, NotFound, Refused, Unreadable
from lantern.linkage.api import router as linkage_router
from lantern.linkage.finding_api import router as finding_router
from lantern.monitoring.estimate_api import router as estimate_router
from lantern.monitoring.statistics.api import router as statistics_router
from lantern.perpetrators.api import router as perpetrators_router
from lantern.protection.api import router as protection_router
from lantern.protection.careplan.api import router as careplan_router
from lantern.protection.closure.api import router as closure_router
from lantern.protection.followup.api import router as followup_router
from lantern.protection.intake.api import router as intake_router
from lantern.protection.intake.service import PossibleDuplicates
from lantern.protection.legal.api import router as legal_router
from lantern.protection.notes.api import router as notes_router
from lantern.protection.referrals.api import router as referrals_router
from lantern.protection.safety.api import router as safety_router
from lantern.protection.story.api import router as story_router
from lantern.protection.tracing.api import router as tracing_router
from lantern.protection.transfers.api import router as transfers_router
from lantern.protection.triage.api import router as triage_router
from lantern.response.agreements.api import router as cooperation_router
from lantern.response.community.api import router as community_router
from lantern.response.programmes.api import router as programmes_router
from lantern.screening import ScreeningInputError


class InputRejected(HttpError):
    """A request refused before validation: bytes no field type could hold safely."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, reason)


def _out_of_range(text: str) -> InputRejected:
    return InputRejected(f"(body): the number {text[:30]} is outside the 64-bit range")


def _int(text: str) -> int:
    value = int(text) if len(text) <= 20 else INT64_MAX + 1
    if not INT64_MIN <= value <= INT64_MAX:
        raise _out_of_range(text)
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or not INT64_MIN <= value <= INT64_MAX:
        raise _out_of_range(text)
    return value


def _constant(text: str) -> float:
    raise InputRejected(f"(body): {text} is not a number JSON allows")


def _check_text(value: str, where: str) -> None:
    try:
        clean_text(value)
    except ValueError as exc:
        raise InputRejected(f"{where}: {exc}") from None


def _walk(value: Any, where: str) -> None:
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where)
            _walk(item, f"{where}.{key}" if where != "(body)" else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{where}.{i}")


class BoundedJsonParser(Parser):
    """Refuse, once for every operation, what would break below the schemas with a 500.

    JSON allows lone surrogates (not encodable as UTF-8), NUL (refused by PostgreSQL), NaN and
    Infinity, and integers of any size; SQLite, PostgreSQL and the linkage engine do not.
    The schemas then bound each field tighter (lantern.edges.bounds).
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise InputRejected("(body): not UTF-8") from None
        try:
            data = json.loads(
                text,
                parse_int=_int,
                parse_float=_float,
                parse_constant=_constant,
            )
        except json.JSONDecodeError as exc:
            raise InputRejected(f"(body): not valid JSON: {exc}") from None
        except RecursionError:  # the decoder's own limit: nested thousands deep
            raise InputRejected("(body): nested too deeply") from None
        _walk(data, "(body)")
        return data  # type: ignore[no-any-return]

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            for value in values:
                if isinstance(value, str):
                    _check_text(value, key)
            _check_text(key, key)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Lantern API",
    version="1",
    description="Trafficking case data. Every request is checked by the policy layer; records "
    "outside your scope answer 404.",
    auth=SessionOrToken(),
    urls_namespace="api",
    parser=BoundedJsonParser(),
)


# The error contract, for every router: a domain error's class -> its status code.
STATUS: dict[type[DomainError], int] = {
    Unreadable: 400,
    NotAllowed: 403,
    NotFound: 404,
    Refused: 409,
    Invalid: 422,
}


def _error(request: HttpRequest, reason: str, status: int, field: str = "") -> HttpResponse:
    return api.create_response(request, {"detail": reason, "field": field}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every service's refusal, from every router, as ``{"detail": reason, "field": name}``:

    - 400 ``Unreadable``: the request cannot be read or run as asked (also a body that is not
      JSON, or bytes no field can hold, refused by the parser before any schema);
    - 401: no session and no valid token (ninja's own answer);
    - 403 ``NotAllowed``: the policy refused the action on a record in the caller's scope;
    - 404 ``NotFound``: no such record *or* one outside the caller's scope, alike;
    - 409 ``Refused``: the workflow refused (an illegal transition, an unmet precondition);
      a possible duplicate at intake adds the ``matches`` to review;
    - 422 ``Invalid``: a field's value, named in ``field`` (a body that fails its schema gets
      ninja's list of errors under ``detail`` instead).
    """
    status = next(code for kind, code in STATUS.items() if isinstance(exc, kind))
    return _error(request, exc.reason, status, exc.field)


@api.exception_handler(PossibleDuplicates)
def _duplicates(request: HttpRequest, exc: PossibleDuplicates) -> HttpResponse:
    """409 with the existing records that may be the child (repeat with ``confirm_new``)."""
    body = {"detail": exc.reason, "field": exc.field, "matches": [m.__dict__ for m in exc.matches]}
    return api.create_response(request, body, status=409)


@api.exception_handler(ScreeningInputError)
def _screening_input(request: HttpRequest, exc: ScreeningInputError) -> HttpResponse:
    """The screening core's ``Invalid`` (a pure library, so it has its own class): 422."""
    return _error(request, str(exc), 422, exc.field)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja answers any body it cannot parse "Cannot parse request body"; say why instead."""
    reason = exc.__cause__ if isinstance(exc.__cause__, InputRejected) else exc
    return _error(request, str(reason), reason.status_code)


api.add_router("/", assignment_router)  # before /cases/{case_id}: "assignments" is no id
api.add_router("/cases", cases_router)
api.add_router("/", screening_router)
api.add_router("/linkage", linkage_router)
api.add_router("/search", finding_router)
api.add_router("/directory", directory_router)  # who does what (lantern.directory)
api.add_router("/", statistics_router)
api.add_router("/statistics", estimate_router)
for protection in (
    intake_router,
    protection_router,
    safety_router,
    careplan_router,
    referrals_router,
    transfers_router,
    tracing_router,
    legal_router,
    followup_router,
    triage_router,
    story_router,
    closure_router,
    notes_router,
):
    api.add_router("/", protection)
api.add_router("/", perpetrators_router)  # the perpetrator register, justice chain, networks
# the national response (#18): the plan and its programmes; agreements and readmission
api.add_router("/", programmes_router)
api.add_router("/", cooperation_router)
api.add_router("/", community_router)  # community prevention (#18, items 3 and 4)
