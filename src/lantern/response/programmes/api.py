"""The national plan over the API: plans, programmes, targets, entered figures and progress.

The policy check runs in the service before anything is written: 403 for a role that may not
manage programmes, 404 for a record outside the caller's view, then 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status
from pydantic import Field

from lantern.audit.services import request_source
from lantern.edges.bounds import Code, Codes, Id, Name, Text, Year
from lantern.edges.schemas import ERRORS, In, Out
from lantern.response.programmes import service
from lantern.response.programmes.models import NationalPlan, Programme, Target

router = Router(tags=["programmes"])


class PlanIn(In):
    title: Name
    starts_on: dt.date
    ends_on: dt.date
    responsible: Id
    partners: list[Id] = Field(default_factory=list, max_length=100)
    next_review: dt.date | None = None


class PlanOut(Out):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    responsible: str
    next_review: dt.date | None
    unapproved: list[str]  # bodies named here that are no longer approved in the directory


def _plan(row: NationalPlan) -> dict[str, Any]:
    return {
        "id": row.pk,
        "title": row.title,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "responsible": row.responsible.name,
        "next_review": row.next_review,
        "unapproved": [o.name for o in service.unapproved(row)],
    }


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    """The national plans of action the caller may read."""
    return [_plan(p) for p in service.plans(request.user)[:200]]


@router.post("/plans", response={201: PlanOut, **ERRORS})
def create_plan(request: HttpRequest, body: PlanIn) -> Status[Any]:
    """Record a national plan of action (the coordinator's)."""
    row = service.save_plan(request.user, **body.dict(), source=request_source(request))
    return Status(201, _plan(row))


class ProgrammeIn(In):
    plan: Id
    title: Name
    goal: Text = ""
    areas: Codes = Field(default_factory=list)
    starts_on: dt.date
    deadline: dt.date
    responsible: Id
    partners: list[Id] = Field(default_factory=list, max_length=100)
    review_dates: list[dt.date] = Field(default_factory=list, max_length=100)


class TargetOut(Out):
    id: int
    statement: str
    direction: str
    baseline_value: float
    baseline_year: int
    target_value: float
    target_date: dt.date
    indicator: str
    indicator_kind: str


class ProgrammeOut(Out):
    id: int
    plan: int
    title: str
    goal: str
    areas: list[str]  # lantern.taxonomy.areas codes: NPL or NPL/Bagmati
    unmatched_areas: list[str]  # text an earlier version kept that names no area: to choose
    starts_on: dt.date
    deadline: dt.date
    responsible: str
    partners: list[str]
    review_dates: list[str]
    targets: list[TargetOut]
    unapproved: list[str]  # bodies named here that are no longer approved in the directory


def _target(t: Target) -> dict[str, Any]:
    return {
        "id": t.pk,
        "statement": t.statement,
        "direction": t.direction,
        "baseline_value": t.baseline_value,
        "baseline_year": t.baseline_year,
        "target_value": t.target_value,
        "target_date": t.target_date,
        "indicator": t.indicator.name,
        "indicator_kind": t.indicator.kind,
    }


def _programme(row: Programme) -> dict[str, Any]:
    return {
        "id": row.pk,
        "plan": row.plan_id,
        "title": row.title,
        "goal": row.goal,
        "areas": list(row.areas),
        "unmatched_areas": list(row.unmatched_areas),
        "starts_on": row.starts_on,
        "deadline": row.deadline,
        "responsible": row.responsible.name,
        "partners": [o.name for o in row.partners.all()],
        "review_dates": list(row.review_dates),
        "targets": [_target(t) for t in row.targets.select_related("indicator")],
        "unapproved": [o.name for o in service.unapproved(row)],
    }


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS})
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    """The plan's programmes, soonest deadline first."""
    return [_programme(p) for p in service.programmes(request.user)[:200]]


@router.post("/programmes", response={201: ProgrammeOut, **ERRORS})
def create_programme(request: HttpRequest, body: ProgrammeIn) -> Status[Any]:
    """Record a time-bound programme of a plan."""
    row = service.save_programme(request.user, **body.dict(), source=request_source(request))
    return Status(201, _programme(row))


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS})
def programme_detail(request: HttpRequest, programme_id: Id) -> dict[str, Any]:
    """A programme, its governance and its targets."""
    return _programme(service.get_programme(request.user, programme_id))


class TargetIn(In):
    statement: Name
    direction: Literal["decrease", "increase"]
    baseline_value: float = Field(ge=0, le=1e12)
    baseline_year: Year
    target_value: float = Field(ge=0, le=1e12)
    target_date: dt.date
    indicator_kind: Literal["computed", "entered"]
    indicator_name: Name = ""
    unit: Code = "children"
    # statistics dimension -> category (code or label), e.g. {"origin_province": "Bagmati"}
    filters: dict[Code, Name] = Field(default_factory=dict, max_length=20)


@router.post("/programmes/{programme_id}/targets", response={201: TargetOut, **ERRORS})
def create_target(request: HttpRequest, programme_id: Id, body: TargetIn) -> Status[Any]:
    """A target of the programme, with its indicator: computed from the statistics (unit and
    filters) or entered with its source."""
    programme = service.get_programme(request.user, programme_id, "manage")
    data = body.dict()
    data["filters"] = list(data["filters"].items())
    row = service.add_target(request.user, programme, **data, source=request_source(request))
    return Status(201, _target(row))


class ValueIn(In):
    year: Year
    value: float = Field(ge=0, le=1e12)
    low: float | None = Field(default=None, ge=0, le=1e12)
    high: float | None = Field(default=None, ge=0, le=1e12)
    source_text: Name


class ValueOut(Out):
    id: int
    year: int
    value: float


@router.post("/targets/{target_id}/values", response={201: ValueOut, **ERRORS})
def enter_value(request: HttpRequest, target_id: Id, body: ValueIn) -> Status[Any]:
    """A figure for an entered indicator, with its source."""
    target = service.get_target(request.user, target_id, "manage")
    row = service.enter_value(request.user, target, **body.dict(), source=request_source(request))
    return Status(201, {"id": row.pk, "year": row.year, "value": row.value})


class PointOut(Out):
    year: int
    value: float
    low: float | None
    high: float | None
    partial: bool
    source: str
    method: str
    scope: str
    computed_at: str


class ProgressOut(Out):
    target: TargetOut
    status: str
    judged_year: int | None
    expected: float | None
    rule: str
    error: str
    points: list[PointOut]


@router.get("/targets/{target_id}/progress", response={200: ProgressOut, **ERRORS})
def target_progress(request: HttpRequest, target_id: Id) -> dict[str, Any]:
    """Progress against the target: its figures by year, each with its uncertainty and
    provenance, and whether it is on track by the rule stated in ``rule``."""
    target = service.get_target(request.user, target_id)
    got = service.progress(request.user, target)
    return {
        "target": _target(target),
        "status": got.assessment.status.value,
        "judged_year": got.assessment.year,
        "expected": got.assessment.expected,
        "rule": service.rule_text(),
        "error": got.error,
        "points": [p.__dict__ for p in got.points],
    }
