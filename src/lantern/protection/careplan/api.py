"""Care-plan endpoints: draft, revise, submit and approve (by a supervisor, not the author)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, user_of
from lantern.protection.careplan import service as careplan
from lantern.protection.careplan.models import CarePlan
from lantern.protection.careplan.schemas import CarePlanIn, PlanOut

router = Router(tags=["care plans"])

PLAN = {200: PlanOut, **ERRORS}


def _plan(request: HttpRequest, plan_id: int) -> CarePlan:
    plan: CarePlan = policy.get_or_404(user_of(request), "care_plan", "view", plan_id)
    return plan


@router.post("/cases/{case_id}/care-plans", response={201: PlanOut, **ERRORS})
def draft_plan(request: HttpRequest, case_id: Id, body: CarePlanIn) -> Status[Any]:
    """Draft the next version of the child's care plan."""
    case = case_of(request, case_id)
    row = careplan.draft(request.user, case, source=request_source(request), **body.model_dump())
    return Status(201, careplan.plan_view(request.user, row))


@router.get("/care-plans/{plan_id}", response=PLAN)
def get_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    return careplan.plan_view(request.user, _plan(request, plan_id))


@router.post("/care-plans/{plan_id}/revise", response={201: PlanOut, **ERRORS})
def revise_plan(request: HttpRequest, plan_id: Id) -> Status[Any]:
    row = careplan.revise(request.user, _plan(request, plan_id), request_source(request))
    return Status(201, careplan.plan_view(request.user, row))


@router.post("/care-plans/{plan_id}/submit", response=PLAN)
def submit_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    row = careplan.submit(request.user, _plan(request, plan_id), request_source(request))
    return careplan.plan_view(request.user, row)


@router.post("/care-plans/{plan_id}/approve", response=PLAN)
def approve_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    """Supervisor approval (not by the plan's author)."""
    row = careplan.approve(request.user, _plan(request, plan_id), request_source(request))
    return careplan.plan_view(request.user, row)
