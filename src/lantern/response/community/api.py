"""Community prevention endpoints: the at-risk register, committees and their reports,
campaigns, education follow-up and labour inspections. Each parses, calls one service, answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Status

from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.edges.bounds import Id, Name
from lantern.edges.schemas import ERRORS
from lantern.edges.typing import AuthedRequest
from lantern.response.community import atrisk, campaigns, committees, education, inspections
from lantern.response.community.models import Committee
from lantern.response.community.schemas import (
    AtRiskIn,
    AtRiskListOut,
    AtRiskOut,
    AttendanceIn,
    AttendanceOut,
    CampaignDetailOut,
    CampaignIn,
    CampaignListOut,
    CampaignOut,
    CommitteeIn,
    CommitteeListOut,
    CommitteeOut,
    EnrolmentIn,
    EnrolmentListOut,
    EnrolmentOut,
    FinishIn,
    InspectionIn,
    InspectionListOut,
    InspectionOut,
    MemberIn,
    MemberOut,
    PreventionVisitIn,
    PreventionVisitOut,
    ReachIn,
    ReportIn,
    ReportListOut,
    ReportOut,
    WithdrawnOut,
)

router = Router(tags=["community"])


def iso(value: Any) -> Any:
    """A service's view as JSON carries it: dates and times as ISO 8601 text, all the way down."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


# --- the at-risk register ---


@router.get("/at-risk", response={200: AtRiskListOut, **ERRORS}, summary="The at-risk register")
def register_list(request: AuthedRequest) -> dict[str, Any]:
    """Children referred for prevention; names for roles that read identities (audited)."""
    rows = list(atrisk.register_rows(request.user)[:500])
    return {"children": iso(atrisk.listed(request.user, rows, request_source(request)))}


@router.post("/at-risk", response={201: AtRiskOut, **ERRORS}, summary="Refer a child at risk")
def register(request: AuthedRequest, body: AtRiskIn) -> Status[Any]:
    """409 naming ``consent_by`` when no consent is recorded: the child is not kept."""
    row = atrisk.register(
        request.user, atrisk.Referral(**body.model_dump()), request_source(request)
    )
    return Status(201, iso(atrisk.detail(request.user, row, request_source(request))))


@router.get("/at-risk/{child_id}", response={200: AtRiskOut, **ERRORS})
def child(request: AuthedRequest, child_id: Id) -> dict[str, Any]:
    row = atrisk.child_for(request.user, child_id)
    return iso(atrisk.detail(request.user, row, request_source(request)))  # type: ignore[no-any-return]


@router.post("/at-risk/{child_id}/visits", response={201: PreventionVisitOut, **ERRORS})
def visit(request: AuthedRequest, child_id: Id, body: PreventionVisitIn) -> Status[Any]:
    """A follow-up visit and its outcome."""
    v = atrisk.record_visit(
        request.user, child_id, source=request_source(request), **body.model_dump()
    )
    return Status(
        201, iso({"id": v.pk, "visited_on": v.visited_on, "outcome": v.outcome, "notes": v.notes})
    )


@router.post(
    "/at-risk/{child_id}/withdraw",
    response={200: WithdrawnOut, **ERRORS},
    summary="Consent withdrawn: erase the child's record",
)
def withdraw(request: AuthedRequest, child_id: Id) -> dict[str, Any]:
    atrisk.withdraw(request.user, child_id, request_source(request))
    return {"erased": True}


@router.post("/at-risk/{child_id}/enrolments", response={201: EnrolmentOut, **ERRORS})
def enrol_child(request: AuthedRequest, child_id: Id, body: EnrolmentIn) -> Status[Any]:
    row = education.enrol(
        request.user, child_id=child_id, source=request_source(request), **body.model_dump()
    )
    return Status(201, iso(education.view(row, True)))


# --- committees ---


def _committee_out(request: AuthedRequest, c: Committee) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "area_code": c.area_code,
        "area": c.area,
        "facilitators": [u.username for u in c.facilitators.all()],
        "members": iso(committees.members(request.user, c, request_source(request))),
    }


@router.get("/committees", response={200: CommitteeListOut, **ERRORS})
def committee_list(request: AuthedRequest) -> dict[str, Any]:
    """The agency's committees and watch groups (a facilitator's own)."""
    rows = committees.committees(request.user).prefetch_related("facilitators", "members")
    return {"committees": [_committee_out(request, c) for c in rows[:500]]}


@router.post("/committees", response={201: CommitteeOut, **ERRORS})
def committee_create(request: AuthedRequest, body: CommitteeIn) -> Status[Any]:
    row = committees.create(request.user, source=request_source(request), **body.model_dump())
    return Status(201, _committee_out(request, row))


@router.get("/committees/{committee_id}", response={200: CommitteeOut, **ERRORS})
def committee(request: AuthedRequest, committee_id: Id) -> dict[str, Any]:
    return _committee_out(request, committees.committee_for(request.user, committee_id))


@router.post("/committees/{committee_id}/members", response={201: MemberOut, **ERRORS})
def member_add(request: AuthedRequest, committee_id: Id, body: MemberIn) -> Status[Any]:
    m = committees.add_member(
        request.user, committee_id, source=request_source(request), **body.model_dump()
    )
    return Status(
        201,
        iso(
            {
                "id": m.pk,
                "name": m.name,
                "contact": m.contact,
                "role": m.role,
                "joined_on": m.joined_on,
            }
        ),
    )


@router.post(
    "/committees/{committee_id}/reports",
    response={201: ReportOut, **ERRORS},
    summary="Record a committee's report: it enters the triage queue by severity",
)
def report(request: AuthedRequest, committee_id: Id, body: ReportIn) -> Status[Any]:
    """422 naming the field (``place``, ``concerns``, ``severity``, ``seen``...)."""
    row = committees.record_report(
        request.user, committee_id, committees.Seen(**body.model_dump()), request_source(request)
    )
    mine = committees.reports(request.user, row.committee)
    return Status(201, iso(next(r for r in mine if r["id"] == row.pk)))


@router.get(
    "/committees/{committee_id}/reports",
    response={200: ReportListOut, **ERRORS},
    summary="The committee's reports and what became of each",
)
def reports(request: AuthedRequest, committee_id: Id) -> dict[str, Any]:
    c = committees.committee_for(request.user, committee_id)
    return {"reports": iso(committees.reports(request.user, c))}


# --- campaigns ---


@router.get("/campaigns", response={200: CampaignListOut, **ERRORS})
def campaign_list(request: AuthedRequest, area: Name = "") -> dict[str, Any]:
    """Every agency's campaigns (only one area's with ``?area=``), newest first."""
    rows = campaigns.campaigns(request.user, area)[:500]
    return {"campaigns": [iso(campaigns.view(c)) for c in rows]}


@router.post("/campaigns", response={201: CampaignDetailOut, **ERRORS})
def campaign_create(request: AuthedRequest, body: CampaignIn) -> Status[Any]:
    """The campaign, with the other campaigns in the same area (``overlaps``: same dates)."""
    row = campaigns.create(
        request.user, campaigns.Plan(**body.model_dump()), request_source(request)
    )
    return Status(201, _campaign_detail(request, row.pk))


def _campaign_detail(request: AuthedRequest, campaign_id: int) -> dict[str, Any]:
    c = campaigns.campaign_for(request.user, campaign_id)
    others = [
        {**iso(campaigns.view(o)), "overlaps": overlaps}
        for o, overlaps in campaigns.same_area(request.user, c)
    ]
    return {**iso(campaigns.view(c)), "same_area": others}


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetailOut, **ERRORS})
def campaign(request: AuthedRequest, campaign_id: Id) -> dict[str, Any]:
    return _campaign_detail(request, campaign_id)


@router.post("/campaigns/{campaign_id}/reach", response={200: CampaignOut, **ERRORS})
def campaign_reach(request: AuthedRequest, campaign_id: Id, body: ReachIn) -> dict[str, Any]:
    row = campaigns.record_reach(request.user, campaign_id, body.reach, request_source(request))
    return iso(campaigns.view(row))  # type: ignore[no-any-return]


# --- education ---


@router.get("/cases/{case_id}/enrolments", response={200: EnrolmentListOut, **ERRORS})
def case_enrolments(request: AuthedRequest, case_id: Id) -> dict[str, Any]:
    """A rescued child's schooling and training, with attendance."""
    case = queries.get_case(request.user, case_id, "view")
    rows = education.enrolments(request.user, case=case, source=request_source(request))
    return {"enrolments": iso(rows)}


@router.post("/cases/{case_id}/enrolments", response={201: EnrolmentOut, **ERRORS})
def case_enrol(request: AuthedRequest, case_id: Id, body: EnrolmentIn) -> Status[Any]:
    case = queries.get_case(request.user, case_id, "view")
    row = education.enrol(
        request.user, case=case, source=request_source(request), **body.model_dump()
    )
    return Status(201, iso(education.view(row, True)))


@router.post("/enrolments/{enrolment_id}/attendance", response={201: AttendanceOut, **ERRORS})
def attendance(request: AuthedRequest, enrolment_id: Id, body: AttendanceIn) -> Status[Any]:
    """A month's days attended out of days open (again for a month: replaced)."""
    row = education.record_attendance(
        request.user, enrolment_id, source=request_source(request), **body.model_dump()
    )
    return Status(
        201,
        iso({"month": row.month, "days_attended": row.days_attended, "days_open": row.days_open}),
    )


@router.post("/enrolments/{enrolment_id}/finish", response={200: EnrolmentOut, **ERRORS})
def finish(request: AuthedRequest, enrolment_id: Id, body: FinishIn) -> dict[str, Any]:
    row = education.finish(
        request.user, enrolment_id, source=request_source(request), **body.model_dump()
    )
    return iso(education.view(row, True))  # type: ignore[no-any-return]


# --- labour inspections ---


@router.get("/inspections", response={200: InspectionListOut, **ERRORS})
def inspection_list(request: AuthedRequest) -> dict[str, Any]:
    """Visits with the totals of children found and referrals made."""
    rows = inspections.inspections(request.user)
    shown = inspections.listed(request.user, list(rows[:500]), request_source(request))
    return {**inspections.totals(rows), "inspections": iso(shown)}


@router.post("/inspections", response={201: InspectionOut, **ERRORS})
def inspection_create(request: AuthedRequest, body: InspectionIn) -> Status[Any]:
    """422 naming the field: more referrals than children found, a sector ISIC does not know."""
    row = inspections.record(
        request.user, inspections.Visit(**body.model_dump()), request_source(request)
    )
    return Status(201, iso(inspections.view(request.user, row)))
