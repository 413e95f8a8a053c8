"""Follow-up endpoints: the 'before' wellbeing measure, visits scheduled and recorded, and
the before/after change."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, iso_dates, user_of
from lantern.protection.followup import service as followup
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.followup.schemas import (
    BaselineIn,
    ScheduleIn,
    VisitIn,
    VisitOut,
    WellbeingOut,
)

router = Router(tags=["follow-up"])


def visit_out(v: FollowUpVisit, sensitive: bool) -> dict[str, Any]:
    return iso_dates(followup.visit_view(v, sensitive))


@router.post("/cases/{case_id}/baseline", response={201: VisitOut, **ERRORS})
def baseline(request: HttpRequest, case_id: Id, body: BaselineIn) -> Status[Any]:
    """The 'before' wellbeing measure (five items, 0-4)."""
    case = case_of(request, case_id)
    row = followup.record_baseline(
        request.user,
        case,
        wellbeing=body.wellbeing,
        notes=body.notes,
        source=request_source(request),
    )
    return Status(201, visit_out(row, True))


@router.post("/cases/{case_id}/visits", response={201: VisitOut, **ERRORS})
def schedule_visit(request: HttpRequest, case_id: Id, body: ScheduleIn) -> Status[Any]:
    case = case_of(request, case_id)
    row = followup.schedule(
        request.user, case, on=body.scheduled_for, source=request_source(request)
    )
    return Status(201, visit_out(row, True))


@router.post("/visits/{visit_id}/record", response={200: VisitOut, **ERRORS})
def record_visit(request: HttpRequest, visit_id: Id, body: VisitIn) -> dict[str, Any]:
    """Record a visit as done, with wellbeing scores and the re-trafficking risk."""
    visit: FollowUpVisit = policy.get_or_404(user_of(request), "followup_visit", "view", visit_id)
    row = followup.record_visit(
        request.user, visit, source=request_source(request), **body.model_dump()
    )
    return visit_out(row, True)


@router.get(
    "/cases/{case_id}/wellbeing",
    response={200: WellbeingOut, **ERRORS},
    summary="Before/after: baseline against the latest visit",
)
def wellbeing(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return followup.wellbeing_change(case_of(request, case_id))
