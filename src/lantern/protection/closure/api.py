"""Closure endpoints: the checklist, the caseworker's request, the supervisor's answer.

A refused request answers 409 naming the work still open; another agency's request is 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, user_of
from lantern.protection.closure import record, service
from lantern.protection.closure.schemas import (
    ApproveIn,
    ClosureIn,
    ClosureOut,
    ClosureRequestOut,
    ReturnIn,
)

router = Router(tags=["closure"])


@router.get(
    "/cases/{case_id}/closure",
    response={200: ClosureOut, **ERRORS},
    summary="A case's closure checklist and requests",
)
def closure(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    case = case_of(request, case_id)
    return record.closure_view(user_of(request), case, request_source(request))


@router.post(
    "/cases/{case_id}/closure",
    response={201: ClosureRequestOut, **ERRORS},
    summary="Ask a supervisor to close the case",
)
def request_closure(request: HttpRequest, case_id: Id, body: ClosureIn) -> Status[Any]:
    """409 naming every open item that has no reason in ``justifications``."""
    case = case_of(request, case_id)
    req = service.request_closure(
        user_of(request),
        case,
        outcome=body.outcome,
        reason=body.reason,
        justifications=body.justifications,
        source=request_source(request),
    )
    return Status(201, record.request_view(req))


@router.post(
    "/closures/{closure_id}/approve",
    response={200: ClosureRequestOut, **ERRORS},
    summary="Approve a closure request: the case closes (supervisors)",
)
def approve(request: HttpRequest, closure_id: Id, body: ApproveIn) -> dict[str, Any]:
    req = service.approve(
        user_of(request), closure_id, note=body.note, source=request_source(request)
    )
    return record.request_view(req)


@router.post(
    "/closures/{closure_id}/return",
    response={200: ClosureRequestOut, **ERRORS},
    summary="Return a closure request with a reason (supervisors)",
)
def return_request(request: HttpRequest, closure_id: Id, body: ReturnIn) -> dict[str, Any]:
    req = service.return_request(
        user_of(request), closure_id, reason=body.reason, source=request_source(request)
    )
    return record.request_view(req)


@router.post(
    "/closures/{closure_id}/withdraw",
    response={200: ClosureRequestOut, **ERRORS},
    summary="Withdraw a closure request awaiting approval",
)
def withdraw(request: HttpRequest, closure_id: Id) -> dict[str, Any]:
    req = service.withdraw(user_of(request), closure_id, source=request_source(request))
    return record.request_view(req)
