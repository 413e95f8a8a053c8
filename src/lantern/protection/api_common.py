"""What the protection routers share: the case a route names, and dates as the API shows them.

Each domain router (``lantern.protection.<domain>.api``) parses, calls one service, renders;
errors are the services' own, mapped once for every router by ``lantern.api``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest

from lantern.cases import queries
from lantern.cases.models import Case
from lantern.edges.schemas import Out


def case_of(request: HttpRequest, case_id: int) -> Case:
    """The case ``case_id`` if the caller may view it; NotFound otherwise."""
    return queries.get_case(request.user, case_id, "view")


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def iso_dates(view: dict[str, Any]) -> dict[str, Any]:
    """A service's view as JSON carries it: dates and times as ISO 8601 text."""
    return {k: iso(v) if isinstance(v, dt.date) else v for k, v in view.items()}


class OpenedOut(Out):
    """A case as a workflow answer names it."""

    id: int
    reference: str
    state: str
    status: str


def opened(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "reference": case.reference, "state": case.state, "status": case.status}


class Withheld(Out):
    """An item of the protection record: free text the reader's tier may not see is ``None``
    and named under ``withheld`` (``lantern.cases.services.withheld``)."""

    withheld: list[str] | None = None


def user_of(request: HttpRequest) -> Any:
    """The signed-in user (the API's auth has already refused anyone else)."""
    return request.user
