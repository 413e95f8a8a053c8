"""Triage endpoints: the queue, one item, and taking, assigning and closing an item."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ninja import Router

from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.edges.typing import AuthedRequest
from lantern.protection.triage import service as triage
from lantern.protection.triage.schemas import AssignOfficerIn, HandledIn, QueueOut, TriageItemOut

router = Router(tags=["triage"])


def _out(item: Any) -> dict[str, Any]:
    return asdict(triage.view(item))


@router.get("/triage", response={200: QueueOut, **ERRORS}, summary="The agency's triage queue")
def queue(request: AuthedRequest) -> dict[str, Any]:
    """Open items by urgency then due time; ``overdue`` is computed as the queue is read."""
    return {"items": [asdict(i) for i in triage.queue(request.user)]}


@router.get("/triage/{item_id}", response={200: TriageItemOut, **ERRORS})
def item(request: AuthedRequest, item_id: Id) -> dict[str, Any]:
    """One item; another agency's answers 404."""
    return _out(triage.item_for(request.user, item_id))


@router.post(
    "/triage/{item_id}/take",
    response={200: TriageItemOut, **ERRORS},
    summary="Take an item: the taker becomes the case's owner",
)
def take(request: AuthedRequest, item_id: Id) -> dict[str, Any]:
    """409 when it is handled, taken, or assigned to another officer."""
    return _out(triage.take(request.user, item_id, request_source(request)))


@router.post(
    "/triage/{item_id}/assign",
    response={200: TriageItemOut, **ERRORS},
    summary="Name an item's duty officer (supervisors)",
)
def assign(request: AuthedRequest, item_id: Id, body: AssignOfficerIn) -> dict[str, Any]:
    """422 naming ``officer`` when the person is not a duty officer of the agency."""
    return _out(triage.assign(request.user, item_id, body.officer, request_source(request)))


@router.post(
    "/triage/{item_id}/handle",
    response={200: TriageItemOut, **ERRORS},
    summary="Close a taken item as handled, saying what was done",
)
def handle(request: AuthedRequest, item_id: Id, body: HandledIn) -> dict[str, Any]:
    """409 when nobody has taken it yet; 422 naming ``note`` when it is blank."""
    return _out(triage.handle(request.user, item_id, body.note, request_source(request)))
