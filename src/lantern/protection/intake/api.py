"""Intake endpoints: open a case from each channel, after searching for the child.

Each answers 201 with the new case, or 409 listing the existing records that may be the child
(repeat with ``confirm_new``); errors follow the one contract (``lantern.api``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.audit.services import request_source
from lantern.cases.models import Case
from lantern.protection.api_common import OpenedOut, opened
from lantern.protection.intake import service as intake
from lantern.protection.intake.schemas import (
    ChildIn,
    CommunityReportIn,
    DuplicatesOut,
    HotlineIn,
    IntakeBase,
    MatchOut,
    ReferralIntakeIn,
    RescueIn,
    SelfReferralIn,
    TransitIn,
)
from lantern.schemas import ERRORS

router = Router(tags=["intake"])

OPENED = {**ERRORS, 201: OpenedOut, 409: DuplicatesOut}


def _intake(request: HttpRequest, fn: Callable[..., Case], body: IntakeBase) -> Status[Any]:
    fields = body.model_dump(exclude={"child", "confirm_new"})
    case = fn(
        request.user,
        body.child.child(),
        confirm_new=body.confirm_new,
        source=request_source(request),
        **fields,
    )
    return Status(201, opened(case))


@router.post("/intake/hotline", response=OPENED, summary="Open a case from a hotline call")
def intake_hotline(request: HttpRequest, body: HotlineIn) -> Status[Any]:
    return _intake(request, intake.hotline_call, body)


@router.post(
    "/intake/transit-reception",
    response=OPENED,
    summary="Receive an unaccompanied child at a port or station",
)
def intake_transit(request: HttpRequest, body: TransitIn) -> Status[Any]:
    return _intake(request, intake.transit_reception, body)


@router.post("/intake/rescue", response=OPENED, summary="A police rescue handed over to services")
def intake_rescue(request: HttpRequest, body: RescueIn) -> Status[Any]:
    return _intake(request, intake.police_rescue, body)


@router.post("/intake/referral", response=OPENED, summary="A child referred by another agency")
def intake_referral(request: HttpRequest, body: ReferralIntakeIn) -> Status[Any]:
    return _intake(request, intake.agency_referral, body)


@router.post("/intake/self-referral", response=OPENED, summary="A child who came on their own")
def intake_self(request: HttpRequest, body: SelfReferralIn) -> Status[Any]:
    return _intake(request, intake.self_referral, body)


@router.post(
    "/intake/community-report",
    response=OPENED,
    summary="A community or transport worker's report (reporter protected)",
)
def intake_community(request: HttpRequest, body: CommunityReportIn) -> Status[Any]:
    return _intake(request, intake.community_report, body)


@router.post(
    "/intake/search",
    response={200: list[MatchOut], **ERRORS},
    summary="Existing records that may be this child",
)
def intake_search(request: HttpRequest, body: ChildIn) -> list[dict[str, Any]]:
    matches = intake.find_existing(request.user, body.child(), request_source(request))
    return [m.__dict__ for m in matches]
