"""What every API router shares: the request and answer bases, and the error answers.

``In`` refuses unknown fields and bounds every string; ``Out`` declares every field an answer
carries and refuses any other, so a service that grows a field fails its tests instead of
leaking it. ``ERRORS`` documents the error contract's answers (``lantern.api``) on every
operation, so that an OpenAPI client (and schemathesis) knows them.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PaginationBase
from pydantic import ConfigDict, Field, create_model

from lantern.edges.bounds import TEXT_MAX, Page, PageSize
from lantern.edges.paging import count_bounded


class In(Schema):
    """Request bodies refuse unknown fields: a misspelt or invented field is an error.

    Every string is bounded (TEXT_MAX), tighter where a field says so (lantern.edges.bounds).
    """

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX)


class Out(Schema):
    """An answer: exactly the fields declared."""

    model_config = ConfigDict(extra="forbid")


def out_of(record: type, name: str, doc: str | None = None) -> type[Out]:
    """An answer with exactly the fields of the dataclass ``record`` (their types, their
    defaults, in their order), called ``name`` in the OpenAPI document: the service's record is
    the one declaration of what the answer carries. An answer is given as
    ``dataclasses.asdict(record)`` (or the record itself)."""
    hints = typing.get_type_hints(record)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        if f.default_factory is not dataclasses.MISSING:
            default = Field(default_factory=f.default_factory)
        else:
            default = ... if f.default is dataclasses.MISSING else f.default
        fields[f.name] = (hints[f.name], default)
    return create_model(name, __base__=Out, __doc__=doc or record.__doc__, **fields)  # type: ignore[call-overload,no-any-return]


class ErrorOut(Schema):
    """Every error answer: the reason, and the field it names when there is one (a request
    that fails its schema gets ninja's list of errors, one per field, under ``detail``)."""

    detail: str | list[dict[str, Any]]
    field: str = ""


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class Pages(PaginationBase):
    """A list one page at a time: ``page`` from 1, ``page_size`` up to PAGE_SIZE_MAX
    (NINJA_PAGINATION_PER_PAGE by default). ``count`` is exact while ``count_exact``; past
    ``lantern.edges.paging.COUNT_BOUND`` rows (or the end of the page asked for) it is a lower
    bound: the list holds more than ``count`` rows."""

    class Input(Schema):
        page: Page = 1
        page_size: PageSize = ninja_settings.PAGINATION_PER_PAGE

    class Output(Schema):
        count: int
        count_exact: bool
        page: int
        page_size: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        start = (pagination.page - 1) * size
        # a queryset, or a view over one that turns its rows into answers (``.queryset``)
        total = count_bounded(getattr(queryset, "queryset", queryset), seen=start + size)
        return {
            "count": total.value,
            "count_exact": total.exact,
            "page": pagination.page,
            "page_size": size,
            "results": queryset[start : start + size],
        }
