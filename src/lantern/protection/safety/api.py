"""Safety endpoints: risk assessments, safe places (addresses need-to-know), placements."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, iso, iso_dates, user_of
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import RiskAssessment
from lantern.protection.safety.schemas import (
    PlacedOut,
    PlacementIn,
    PlacementOut,
    PlaceOut,
    RiskIn,
    RiskOut,
    SafePlaceIn,
)

router = Router(tags=["safety"])


def risk_out(r: RiskAssessment, sensitive: bool) -> dict[str, Any]:
    return iso_dates(safety.risk_view(r, sensitive))


@router.post("/cases/{case_id}/risk-assessments", response={201: RiskOut, **ERRORS})
def assess_risk(request: HttpRequest, case_id: Id, body: RiskIn) -> Status[Any]:
    """Immediate needs and reprisal risks to the child, the family and the helpers."""
    case = case_of(request, case_id)
    row = safety.assess_risk(
        request.user, case, source=request_source(request), **body.model_dump()
    )
    return Status(201, risk_out(row, True))


@router.post("/safe-places", response={201: PlaceOut, **ERRORS})
def create_safe_place(request: HttpRequest, body: SafePlaceIn) -> Status[Any]:
    """A shelter or safe room of your agency; its address is encrypted and need-to-know."""
    row = safety.create_safe_place(
        request.user, source=request_source(request), **body.model_dump()
    )
    return Status(201, safety.place_view(request.user, row, request_source(request)))


@router.get(
    "/safe-places/{place_id}",
    response={200: PlaceOut, **ERRORS},
    summary="A safe place; the address only on a need to know",
)
def get_safe_place(request: HttpRequest, place_id: Id) -> dict[str, Any]:
    place = policy.get_or_404(user_of(request), "safe_place", "view", place_id)
    return safety.place_view(request.user, place, request_source(request))


@router.post("/cases/{case_id}/placements", response={201: PlacedOut, **ERRORS})
def place(request: HttpRequest, case_id: Id, body: PlacementIn) -> Status[Any]:
    """Place the child (after a risk assessment); any current placement ends."""
    case = case_of(request, case_id)
    row = safety.place(
        request.user, case, body.place, start=body.start, source=request_source(request)
    )
    return Status(201, {"id": row.pk, "place": row.place_id, "start": iso(row.start)})


@router.get("/cases/{case_id}/placements", response={200: list[PlacementOut], **ERRORS})
def placements(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    return safety.placements_view(request.user, case_of(request, case_id), request_source(request))
