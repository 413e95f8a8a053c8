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
from lantern.cases.screening_api import router as screening_router
from lantern.linkage.api import router as linkage_router
from lantern.linkage.services import SearchInputError
from lantern.protection.api import router as protection_router
from lantern.web.bounds import INT64_MAX, INT64_MIN, clean_text


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
    The schemas then bound each field tighter (lantern.web.bounds).
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


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja answers any body it cannot parse "Cannot parse request body"; say why instead."""
    reason = exc.__cause__ if isinstance(exc.__cause__, InputRejected) else exc
    return api.create_response(request, {"detail": str(reason)}, status=reason.status_code)


@api.exception_handler(SearchInputError)
def _search_input(request: HttpRequest, exc: SearchInputError) -> HttpResponse:
    """A search's fields the linkage engine refuses, from whichever operation searched."""
    return api.create_response(request, {"detail": str(exc)}, status=400)


api.add_router("/cases", cases_router)
api.add_router("/", screening_router)
api.add_router("/linkage", linkage_router)
api.add_router("/", protection_router)
api.add_router("/", "lantern.exchange.api.router")
