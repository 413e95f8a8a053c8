"""The case's protection record and its lifecycle (transitions, closing, consents), and the
work lists. Each protection domain has its own router (``lantern.protection.<domain>.api``);
``lantern.api`` mounts them all and maps every service error, once."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field

from lantern.audit.services import request_source
from lantern.cases import workflow
from lantern.cases.api import ConsentOut
from lantern.cases.services import consent
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS, In, Out
from lantern.protection import record, worklists
from lantern.protection.api_common import (
    OpenedOut,
    Withheld,
    case_of,
    iso,
    iso_dates,
    opened,
    user_of,
)
from lantern.protection.careplan.schemas import PlanOut
from lantern.protection.followup.schemas import VisitOut, WellbeingOut
from lantern.protection.intake.schemas import IntakeOut
from lantern.protection.legal.schemas import ProceedingOut
from lantern.protection.referrals.schemas import ReferralOut
from lantern.protection.safety.schemas import PlacementOut, RiskOut
from lantern.protection.tracing.schemas import FamilyOut

router = Router(tags=["protection"])


class NextOut(Out):
    """A state the case may move to, and what is still unmet."""

    state: str
    ready: bool
    unmet: list[str]


class TransitionOut(Withheld):
    from_: str = Field(alias="from")
    to: str
    reason: str | None
    at: str | None


class ProtectionOut(OpenedOut):
    """The case's workflow, every free text as the reader's tiers allow."""

    outcome: str
    next: list[NextOut]
    transitions: list[TransitionOut]
    intake: IntakeOut
    risk: RiskOut | None
    placements: list[PlacementOut]
    care_plans: list[PlanOut]
    referrals: list[ReferralOut]
    family_assessments: list[FamilyOut]
    legal: list[ProceedingOut]
    visits: list[VisitOut]
    wellbeing: WellbeingOut


@router.get(
    "/cases/{case_id}/protection",
    response={200: ProtectionOut, **ERRORS},
    by_alias=True,
    summary="The case's workflow, as your tiers allow",
)
def protection_summary(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    case = case_of(request, case_id)
    rec = record.case_record(user_of(request), case, request_source(request))
    return {
        **opened(case),
        "outcome": rec["outcome"],
        "next": workflow.next_states(case),
        "transitions": [
            {k: iso(v) if k == "at" else v for k, v in t.items() if k != "by"}
            for t in rec["transitions"]
        ],
        "intake": rec["intake"],
        "risk": iso_dates(rec["risks"][0]) if rec["risks"] else None,
        "placements": rec["placements"],
        "care_plans": rec["care_plans"],
        "referrals": rec["referrals"],
        "family_assessments": [iso_dates(f) for f in rec["family_assessments"]],
        "legal": rec["legal"],
        "visits": [iso_dates(v) for v in rec["visits"]],
        "wellbeing": rec["wellbeing"],
    }


class TransitionIn(In):
    to: str
    reason: str


@router.post("/cases/{case_id}/transitions", response={201: OpenedOut, **ERRORS})
def move(request: HttpRequest, case_id: Id, body: TransitionIn) -> Status[Any]:
    """Move the case to another state; 409 with the reason when the move is not allowed. A
    case closes only through an approved closure request (``/cases/{case_id}/closure``)."""
    case = case_of(request, case_id)
    workflow.transition(request.user, case, body.to, body.reason, request_source(request))
    return Status(201, opened(case))


class ConsentIn(In):
    item: str
    value: bool | None
    given_by: str


@router.post("/cases/{case_id}/consents", response={201: ConsentOut, **ERRORS})
def record_consent(request: HttpRequest, case_id: Id, body: ConsentIn) -> Status[Any]:
    """Record the child's assent or a guardian's consent to one item (e.g. referral_sharing)."""
    case = case_of(request, case_id)
    row = consent.record(request.user, case, source=request_source(request), **body.model_dump())
    return Status(201, {"item": row.item, "value": row.value, "given_by": row.given_by})


# --- work lists ----------------------------------------------------------------------------


class TaskOut(Out):
    kind: str
    case_id: int
    reference: str
    due: str | None
    detail: str


class CaseworkerLoadOut(Out):
    caseworker: str
    open_cases: int
    by_state: dict[str, int]
    overdue_referrals: int
    overdue_visits: int


class CaseloadOut(Out):
    as_of: str
    open_cases: int
    plans_awaiting_approval: int
    caseworkers: list[CaseworkerLoadOut]


@router.get(
    "/worklist",
    response={200: list[TaskOut], **ERRORS},
    summary="Your tasks, derived from your cases",
)
def worklist(request: HttpRequest) -> list[dict[str, Any]]:
    return [t.to_dict() for t in worklists.my_tasks(request.user)]


@router.get(
    "/caseload",
    response={200: CaseloadOut, **ERRORS},
    summary="The team's open caseload (supervisors)",
)
def caseload(request: HttpRequest) -> dict[str, Any]:
    return worklists.team_caseload(request.user)
