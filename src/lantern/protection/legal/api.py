"""Legal-track endpoints: a proceeding in which the child is a victim and witness (never the
accused), its updates, and its log of hearings and interviews."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, user_of
from lantern.protection.legal import service as legal
from lantern.protection.legal.models import LegalProceeding
from lantern.protection.legal.schemas import (
    LegalIn,
    LegalUpdateIn,
    LoggedEventOut,
    ProceedingEventIn,
    ProceedingOut,
)

router = Router(tags=["legal"])


def _proceeding(request: HttpRequest, pk: int) -> LegalProceeding:
    row: LegalProceeding = policy.get_or_404(user_of(request), "legal_proceeding", "view", pk)
    return row


@router.post("/cases/{case_id}/legal-proceedings", response={201: ProceedingOut, **ERRORS})
def open_legal(request: HttpRequest, case_id: Id, body: LegalIn) -> Status[Any]:
    """A proceeding in which the child is a victim and witness (never the accused)."""
    case = case_of(request, case_id)
    row = legal.open_proceeding(
        request.user, case, source=request_source(request), **body.model_dump()
    )
    return Status(201, legal.proceeding_view(request.user, row))


@router.patch("/legal-proceedings/{proceeding_id}", response={200: ProceedingOut, **ERRORS})
def update_legal(request: HttpRequest, proceeding_id: Id, body: LegalUpdateIn) -> dict[str, Any]:
    row = _proceeding(request, proceeding_id)
    updated = legal.update_proceeding(
        request.user, row, source=request_source(request), **body.model_dump()
    )
    return legal.proceeding_view(request.user, updated)


@router.post("/legal-proceedings/{proceeding_id}/events", response={201: LoggedEventOut, **ERRORS})
def record_legal_event(
    request: HttpRequest, proceeding_id: Id, body: ProceedingEventIn
) -> Status[Any]:
    """Log a hearing, interview or other step, and who accompanied the child (CASE-11). The
    answer carries the proceeding too: its counts and the ETH-10 repeated-interview flag."""
    row = _proceeding(request, proceeding_id)
    event = legal.record_event(
        request.user, row, source=request_source(request), **body.model_dump()
    )
    out = legal.event_view(request.user, event)
    return Status(201, {**out, "proceeding": legal.proceeding_view(request.user, row)})
