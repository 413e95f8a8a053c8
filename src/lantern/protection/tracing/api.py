"""Tracing endpoints: a relative's request to find a child, its candidates and the decision;
the family assessment that reunification waits on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, iso_dates
from lantern.protection.tracing import service as tracing
from lantern.protection.tracing.models import FamilyAssessment
from lantern.protection.tracing.schemas import (
    CandidateOut,
    DecidedOut,
    DecideIn,
    FamilyIn,
    FamilyOut,
    TracingIn,
    TracingOut,
)

router = Router(tags=["tracing"])


@router.post("/tracing-requests", response={201: TracingOut, **ERRORS})
def create_tracing(request: HttpRequest, body: TracingIn) -> Status[Any]:
    """A relative's request to find a child."""
    row = tracing.create_request(request.user, source=request_source(request), **body.model_dump())
    return Status(201, {"id": row.pk, "status": row.status})


@router.get(
    "/tracing-requests/{request_id}/candidates", response={200: list[CandidateOut], **ERRORS}
)
def tracing_candidates(request: HttpRequest, request_id: Id) -> list[dict[str, Any]]:
    """Consenting children who may be the one sought, side by side with the request."""
    req = tracing.get_request(request.user, request_id)
    return tracing.candidates(request.user, req, request_source(request))


def _decide(request: HttpRequest, request_id: int, body: DecideIn, confirm: bool) -> dict[str, Any]:
    req = tracing.get_request(request.user, request_id)
    row = tracing.decide(
        request.user,
        req,
        body.case_id,
        confirm=confirm,
        reason=body.reason,
        source=request_source(request),
    )
    return {"id": row.pk, "status": row.status, "matched_case": row.matched_case_id}


@router.post("/tracing-requests/{request_id}/confirm", response={200: DecidedOut, **ERRORS})
def confirm_tracing(request: HttpRequest, request_id: Id, body: DecideIn) -> dict[str, Any]:
    return _decide(request, request_id, body, True)


@router.post("/tracing-requests/{request_id}/reject", response={200: DecidedOut, **ERRORS})
def reject_tracing(request: HttpRequest, request_id: Id, body: DecideIn) -> dict[str, Any]:
    return _decide(request, request_id, body, False)


def family_out(f: FamilyAssessment, sensitive: bool) -> dict[str, Any]:
    return iso_dates(tracing.family_view(f, sensitive))


@router.post("/cases/{case_id}/family-assessments", response={201: FamilyOut, **ERRORS})
def assess_family(request: HttpRequest, case_id: Id, body: FamilyIn) -> Status[Any]:
    """The family assessment; reunification is refused (409) when the family is not safe."""
    case = case_of(request, case_id)
    row = tracing.assess_family(
        request.user, case, source=request_source(request), **body.model_dump()
    )
    return Status(201, family_out(row, True))
