"""Protection workflow endpoints: intake per channel, the lifecycle, safety, care plans,
referrals, tracing, family assessment, the legal track, follow-up, transfers and work lists.

Handlers parse, call one service, render. Errors: 422 names the field (bad input), 403 says
which policy refused, 409 gives the workflow's reason (e.g. an illegal transition), 404 means
no such record *or* outside the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit.services import request_source
from lantern.cases import queries, workflow
from lantern.cases.models import Case
from lantern.cases.services import consent, withheld
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection import worklists
from lantern.protection.careplan import service as careplan
from lantern.protection.careplan.models import CarePlan
from lantern.protection.followup import service as followup
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.legal.models import LegalProceeding
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import Referral
from lantern.protection.safety import service as safety
from lantern.protection.tracing import service as tracing
from lantern.protection.transfers import service as transfers
from lantern.web.bounds import TEXT_MAX, Age, Capacity, Code, Codes, Id, Name, Text, Year

router = Router(tags=["protection"])


class In(Schema):
    """Request bodies refuse unknown fields: a misspelt or invented field is an error.

    Every string is bounded (TEXT_MAX), tighter where a field says so (lantern.web.bounds).
    """

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX)


def _user(request: HttpRequest) -> Any:
    return request.user


def _run[T](call: Callable[[], T]) -> T:
    """Call a service; map its errors to status codes with the service's reason."""
    try:
        return call()
    except intake.PossibleDuplicates:
        raise  # the intake handlers answer 409 with the matches
    except Invalid as exc:
        raise HttpError(422, exc.reason) from exc
    except NotAllowed as exc:
        raise HttpError(403, exc.reason) from exc
    except Refused as exc:
        raise HttpError(409, exc.reason) from exc


def _case(request: HttpRequest, case_id: int) -> Case:
    return queries.get_case(request.user, case_id, "view")


def _d(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- intake -------------------------------------------------------------------------------


class ChildIn(In):
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    birthdate: dt.date | None = None
    age: Age | None = None
    age_evidence: str = ""
    gender: str = ""
    citizenship: Codes = []
    identity_number: str = ""
    primary_language: str = ""
    home_country: str = ""

    def child(self) -> intake.Child:
        data = self.model_dump()
        data["citizenship"] = tuple(data["citizenship"])
        return intake.Child(**data)


class IntakeBase(In):
    child: ChildIn = Field(default_factory=ChildIn)
    confirm_new: bool = False


class HotlineIn(IntakeBase):
    concerns: Codes
    severity: str
    place: str = ""
    notes: str = ""


class TransitIn(IntakeBase):
    place: str
    expected_contact: str = ""
    met_by_expected_contact: bool
    return_passage_offered: bool | None = None
    return_passage_provider: str = ""
    rights_information_given: bool | None = None


class RescueIn(IntakeBase):
    rescuing_unit: str
    handed_over_to: Id
    place: str = ""


class ReferralIntakeIn(IntakeBase):
    referring_organisation: str
    referral_reason: str


class SelfReferralIn(IntakeBase):
    place: str = ""
    notes: str = ""


class CommunityReportIn(IntakeBase):
    place: str
    concerns: Codes
    severity: str
    reporter_name: str = ""
    reporter_contact: str = ""


def _opened(case: Case) -> dict[str, Any]:
    return {"id": case.pk, "reference": case.reference, "state": case.state, "status": case.status}


def _intake(
    request: HttpRequest, fn: Callable[..., Case], body: IntakeBase
) -> Status[dict[str, Any]]:
    """201 with the new case, or 409 listing the existing records that may be the child."""
    fields = body.model_dump(exclude={"child", "confirm_new"})
    try:
        case = _run(
            lambda: fn(
                request.user,
                body.child.child(),
                confirm_new=body.confirm_new,
                source=request_source(request),
                **fields,
            )
        )
    except intake.PossibleDuplicates as exc:
        return Status(409, {"detail": exc.reason, "matches": [m.__dict__ for m in exc.matches]})
    return Status(201, _opened(case))


_DUP = {201: dict[str, Any], 409: dict[str, Any]}


@router.post("/intake/hotline", response=_DUP, summary="Open a case from a hotline call")
def intake_hotline(request: HttpRequest, body: HotlineIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.hotline_call, body)


@router.post(
    "/intake/transit-reception",
    response=_DUP,
    summary="Receive an unaccompanied child at a port or station",
)
def intake_transit(request: HttpRequest, body: TransitIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.transit_reception, body)


@router.post("/intake/rescue", response=_DUP, summary="A police rescue handed over to services")
def intake_rescue(request: HttpRequest, body: RescueIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.police_rescue, body)


@router.post("/intake/referral", response=_DUP, summary="A child referred by another agency")
def intake_referral(request: HttpRequest, body: ReferralIntakeIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.agency_referral, body)


@router.post("/intake/self-referral", response=_DUP, summary="A child who came on their own")
def intake_self(request: HttpRequest, body: SelfReferralIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.self_referral, body)


@router.post(
    "/intake/community-report",
    response=_DUP,
    summary="A community or transport worker's report (reporter protected)",
)
def intake_community(request: HttpRequest, body: CommunityReportIn) -> Status[dict[str, Any]]:
    return _intake(request, intake.community_report, body)


@router.post("/intake/search", summary="Existing records that may be this child")
def intake_search(request: HttpRequest, body: ChildIn) -> list[dict[str, Any]]:
    matches = intake.find_existing(request.user, body.child(), request_source(request))
    return [m.__dict__ for m in matches]


# --- the case's protection record and its lifecycle ------------------------------------------


@router.get("/cases/{case_id}/protection", summary="The case's workflow, as your tiers allow")
def protection_summary(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    case = _case(request, case_id)
    user, src = _user(request), request_source(request)
    sensitive = policy.may_read(user, Tier.HIGHLY_SENSITIVE)
    risk = safety.latest_risk(case)
    record = {
        **_opened(case),
        "outcome": case.outcome,
        "next": workflow.next_states(case),
        "transitions": [
            {"from": t.from_state, "to": t.to_state, "reason": t.reason, "at": _d(t.at)}
            for t in case.transitions.all()
        ],
        "intake": intake.intake_view(user, case, src),
        "risk": _risk_out(risk, sensitive) if risk else None,
        "placements": safety.placements_view(user, case, src),
        "care_plans": [careplan.plan_view(user, p) for p in case.care_plans.all()],
        "referrals": [referrals.referral_view(r) for r in case.referrals.all()],
        "family_assessments": [_family_out(f, sensitive) for f in case.family_assessments.all()],
        "legal": [_legal_out(lp, user) for lp in case.legal_proceedings.all()],
        "visits": [_visit_out(v, sensitive) for v in case.visits.all()],
        "wellbeing": followup.wellbeing_change(case),
    }
    return withheld.protection_record(user, record)  # every free text by its tier


class TransitionIn(In):
    to: str
    reason: str


@router.post("/cases/{case_id}/transitions", response={201: dict[str, Any]})
def move(request: HttpRequest, case_id: Id, body: TransitionIn) -> Status[dict[str, Any]]:
    """Move the case to another state; 409 with the reason when the move is not allowed."""
    case = _case(request, case_id)
    _run(
        lambda: workflow.transition(
            request.user, case, body.to, body.reason, request_source(request)
        )
    )
    return Status(201, _opened(case))


class CloseIn(In):
    outcome: str
    reason: str


@router.post("/cases/{case_id}/close", response={201: dict[str, Any]})
def close(request: HttpRequest, case_id: Id, body: CloseIn) -> Status[dict[str, Any]]:
    """Close the case with an outcome from the taxonomy (case_outcomes)."""
    case = _case(request, case_id)
    _run(
        lambda: workflow.close(
            request.user, case, body.outcome, body.reason, request_source(request)
        )
    )
    return Status(201, {**_opened(case), "outcome": case.outcome})


class ConsentIn(In):
    item: str
    value: bool | None
    given_by: str


@router.post("/cases/{case_id}/consents", response={201: dict[str, Any]})
def record_consent(request: HttpRequest, case_id: Id, body: ConsentIn) -> Status[dict[str, Any]]:
    """Record the child's assent or a guardian's consent to one item (e.g. referral_sharing)."""
    case = _case(request, case_id)
    row = _run(
        lambda: consent.record(
            request.user, case, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, {"item": row.item, "value": row.value, "given_by": row.given_by})


# --- safety: risk, safe places, placements -------------------------------------------------


def _risk_out(r: Any, sensitive: bool) -> dict[str, Any]:
    return safety.risk_view(r, sensitive) | {"assessed_at": _d(r.assessed_at)}


class RiskIn(In):
    immediate_needs: Codes = []
    risk_to_child: str
    risk_to_family: str
    risk_to_helpers: str
    family_involved: bool | None = None
    notes: str = ""


@router.post("/cases/{case_id}/risk-assessments", response={201: dict[str, Any]})
def assess_risk(request: HttpRequest, case_id: Id, body: RiskIn) -> Status[dict[str, Any]]:
    """Immediate needs and reprisal risks to the child, the family and the helpers."""
    case = _case(request, case_id)
    row = _run(
        lambda: safety.assess_risk(
            request.user, case, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, _risk_out(row, True))


class SafePlaceIn(In):
    name: Name
    kind: Code
    address: Text
    capacity: Capacity | None = None


@router.post("/safe-places", response={201: dict[str, Any]})
def create_safe_place(request: HttpRequest, body: SafePlaceIn) -> Status[dict[str, Any]]:
    """A shelter or safe room of your agency; its address is encrypted and need-to-know."""
    row = _run(
        lambda: safety.create_safe_place(
            request.user, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, safety.place_view(request.user, row, request_source(request)))


@router.get("/safe-places/{place_id}", summary="A safe place; the address only on a need to know")
def get_safe_place(request: HttpRequest, place_id: Id) -> dict[str, Any]:
    place = policy.get_or_404(_user(request), "safe_place", "view", place_id)
    return safety.place_view(request.user, place, request_source(request))


class PlacementIn(In):
    place: Id
    start: dt.date | None = None


@router.post("/cases/{case_id}/placements", response={201: dict[str, Any]})
def place(request: HttpRequest, case_id: Id, body: PlacementIn) -> Status[dict[str, Any]]:
    """Place the child (after a risk assessment); any current placement ends."""
    case = _case(request, case_id)
    row = _run(
        lambda: safety.place(
            request.user, case, body.place, start=body.start, source=request_source(request)
        )
    )
    return Status(201, {"id": row.pk, "place": row.place_id, "start": _d(row.start)})


@router.get("/cases/{case_id}/placements")
def placements(request: HttpRequest, case_id: Id) -> list[dict[str, Any]]:
    return safety.placements_view(request.user, _case(request, case_id), request_source(request))


# --- care plans ----------------------------------------------------------------------------


class CarePlanIn(In):
    needs: Codes
    goals: str
    child_views: str = ""
    responsible: Id | None = None
    due_dates: dict[str, dt.date] = {}
    review_due: dt.date | None = None


@router.post("/cases/{case_id}/care-plans", response={201: dict[str, Any]})
def draft_plan(request: HttpRequest, case_id: Id, body: CarePlanIn) -> Status[dict[str, Any]]:
    """Draft the next version of the child's care plan."""
    case = _case(request, case_id)
    data = body.model_dump()
    row = _run(lambda: careplan.draft(request.user, case, source=request_source(request), **data))
    return Status(201, careplan.plan_view(request.user, row))


def _plan(request: HttpRequest, plan_id: int) -> CarePlan:
    plan: CarePlan = policy.get_or_404(_user(request), "care_plan", "view", plan_id)
    return plan


@router.get("/care-plans/{plan_id}")
def get_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    return careplan.plan_view(request.user, _plan(request, plan_id))


@router.post("/care-plans/{plan_id}/revise", response={201: dict[str, Any]})
def revise_plan(request: HttpRequest, plan_id: Id) -> Status[dict[str, Any]]:
    plan = _plan(request, plan_id)
    row = _run(lambda: careplan.revise(request.user, plan, request_source(request)))
    return Status(201, careplan.plan_view(request.user, row))


@router.post("/care-plans/{plan_id}/submit")
def submit_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    return careplan.plan_view(
        request.user, _run(lambda: careplan.submit(request.user, plan, request_source(request)))
    )


@router.post("/care-plans/{plan_id}/approve")
def approve_plan(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    """Supervisor approval (not by the plan's author)."""
    plan = _plan(request, plan_id)
    return careplan.plan_view(
        request.user, _run(lambda: careplan.approve(request.user, plan, request_source(request)))
    )


# --- referrals -----------------------------------------------------------------------------


@router.get("/organisations", summary="The referral directory")
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": o.pk, "name": o.name, "type": o.type, "country": o.country, "services": o.services}
        for o in policy.scoped(_user(request), "organisation", "view").order_by("name")
    ]


class ReferralIn(In):
    organisation: Id
    services: Codes
    fields_shared: Codes = []
    consent_basis: str
    due_date: dt.date
    override_reason: str = ""


@router.post("/cases/{case_id}/referrals", response={201: dict[str, Any]})
def refer(request: HttpRequest, case_id: Id, body: ReferralIn) -> Status[dict[str, Any]]:
    """Refer the child; 403 unless the consent basis is recorded (or an allowed override)."""
    case = _case(request, case_id)
    data = body.model_dump()
    row = _run(lambda: referrals.create(request.user, case, source=request_source(request), **data))
    return Status(201, referrals.referral_view(row))


class AnswerIn(In):
    reason: str = ""


class CompleteIn(In):
    note: str


def _referral(request: HttpRequest, pk: int) -> Referral:
    ref: Referral = policy.get_or_404(_user(request), "referral", "view", pk)
    return ref


def _answer(request: HttpRequest, referral_id: int, body: AnswerIn, accept: bool) -> dict[str, Any]:
    """The receiving organisation accepts or declines a referral (one rule, two routes)."""
    ref = _referral(request, referral_id)
    return referrals.referral_view(
        _run(
            lambda: referrals.respond(
                request.user, ref, accept=accept, reason=body.reason, source=request_source(request)
            )
        )
    )


@router.post("/referrals/{referral_id}/accept")
def accept_referral(request: HttpRequest, referral_id: Id, body: AnswerIn) -> dict[str, Any]:
    return _answer(request, referral_id, body, accept=True)


@router.post("/referrals/{referral_id}/decline")
def decline_referral(request: HttpRequest, referral_id: Id, body: AnswerIn) -> dict[str, Any]:
    return _answer(request, referral_id, body, accept=False)


@router.post("/referrals/{referral_id}/complete")
def complete_referral(request: HttpRequest, referral_id: Id, body: CompleteIn) -> dict[str, Any]:
    ref = _referral(request, referral_id)
    return referrals.referral_view(
        _run(
            lambda: referrals.complete(
                request.user, ref, note=body.note, source=request_source(request)
            )
        )
    )


@router.get("/referrals/{referral_id}/packet", summary="What the receiving organisation sees")
def referral_packet(request: HttpRequest, referral_id: Id) -> dict[str, Any]:
    ref = _referral(request, referral_id)
    return _run(lambda: referrals.referral_packet(request.user, ref, request_source(request)))


class TransferIn(In):
    agency: str
    reason: str


@router.post("/cases/{case_id}/transfer", response={201: dict[str, Any]})
def transfer(request: HttpRequest, case_id: Id, body: TransferIn) -> Status[dict[str, Any]]:
    """Move case ownership to another agency of this installation."""
    case = _case(request, case_id)
    row = _run(
        lambda: transfers.transfer_to_agency(
            request.user,
            case,
            agency=body.agency,
            reason=body.reason,
            source=request_source(request),
        )
    )
    return Status(
        201, {"id": row.pk, "case": case.pk, "to_agency": body.agency, "status": row.status}
    )


# --- tracing and family assessment ---------------------------------------------------------


class TracingIn(In):
    requester_relation: str
    requester_name: str
    requester_contact: str = ""
    sought_given_name: str = ""
    sought_family_name: str = ""
    sought_birth_year: Year | None = None
    sought_home: str = ""


@router.post("/tracing-requests", response={201: dict[str, Any]})
def create_tracing(request: HttpRequest, body: TracingIn) -> Status[dict[str, Any]]:
    """A relative's request to find a child."""
    row = _run(
        lambda: tracing.create_request(
            request.user, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, {"id": row.pk, "status": row.status})


@router.get("/tracing-requests/{request_id}/candidates")
def tracing_candidates(request: HttpRequest, request_id: Id) -> list[dict[str, Any]]:
    """Consenting children who may be the one sought, side by side with the request."""
    req = _run(lambda: tracing.get_request(request.user, request_id))
    return tracing.candidates(request.user, req, request_source(request))


class DecideIn(In):
    case_id: Id
    reason: str


def _decide(request: HttpRequest, request_id: int, body: DecideIn, confirm: bool) -> dict[str, Any]:
    req = _run(lambda: tracing.get_request(request.user, request_id))
    row = _run(
        lambda: tracing.decide(
            request.user,
            req,
            body.case_id,
            confirm=confirm,
            reason=body.reason,
            source=request_source(request),
        )
    )
    return {"id": row.pk, "status": row.status, "matched_case": row.matched_case_id}


@router.post("/tracing-requests/{request_id}/confirm")
def confirm_tracing(request: HttpRequest, request_id: Id, body: DecideIn) -> dict[str, Any]:
    return _decide(request, request_id, body, True)


@router.post("/tracing-requests/{request_id}/reject")
def reject_tracing(request: HttpRequest, request_id: Id, body: DecideIn) -> dict[str, Any]:
    return _decide(request, request_id, body, False)


def _family_out(f: Any, sensitive: bool) -> dict[str, Any]:
    return {
        "id": f.pk,
        "safe": f.safe,
        "family_rejects_child": f.family_rejects_child,
        "family_involved": f.family_involved,
        "retrafficking_risk": f.retrafficking_risk,
        "decision": f.decision,
        "findings": f.findings if sensitive else None,
        "assessed_at": _d(f.assessed_at),
    }


class FamilyIn(In):
    safe: bool | None = None
    family_rejects_child: bool | None = None
    family_involved: bool | None = None
    retrafficking_risk: str
    decision: str
    findings: str = ""


@router.post("/cases/{case_id}/family-assessments", response={201: dict[str, Any]})
def assess_family(request: HttpRequest, case_id: Id, body: FamilyIn) -> Status[dict[str, Any]]:
    """The family assessment; reunification is refused (409) when the family is not safe."""
    case = _case(request, case_id)
    row = _run(
        lambda: tracing.assess_family(
            request.user, case, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, _family_out(row, True))


# --- legal track ---------------------------------------------------------------------------


def _legal_out(lp: LegalProceeding, user: Any) -> dict[str, Any]:
    return legal.proceeding_view(user, lp)


class LegalIn(In):
    kind: str
    lawyer_name: str = ""
    accompaniment: str = ""
    testimony_measures: Codes = []
    non_punishment_invoked: bool = False
    notes: str = ""


@router.post("/cases/{case_id}/legal-proceedings", response={201: dict[str, Any]})
def open_legal(request: HttpRequest, case_id: Id, body: LegalIn) -> Status[dict[str, Any]]:
    """A proceeding in which the child is a victim and witness (never the accused)."""
    case = _case(request, case_id)
    row = _run(
        lambda: legal.open_proceeding(
            request.user, case, source=request_source(request), **body.model_dump()
        )
    )
    return Status(201, _legal_out(row, request.user))


class LegalUpdateIn(In):
    status: str | None = None
    lawyer_name: str | None = None
    accompaniment: str | None = None
    testimony_measures: Codes | None = None
    non_punishment_invoked: bool | None = None
    child_detained_or_charged: bool | None = None
    add_hearing: bool = False
    add_interview: bool = False


@router.patch("/legal-proceedings/{proceeding_id}")
def update_legal(request: HttpRequest, proceeding_id: Id, body: LegalUpdateIn) -> dict[str, Any]:
    row: LegalProceeding = policy.get_or_404(
        _user(request), "legal_proceeding", "view", proceeding_id
    )
    data = body.model_dump()
    updated = _run(
        lambda: legal.update_proceeding(request.user, row, source=request_source(request), **data)
    )
    return _legal_out(updated, request.user)


class ProceedingEventIn(In):
    kind: str
    held_on: dt.date
    held_at: dt.time | None = None
    place: str = ""
    accompanied: bool
    accompanied_by: str = ""
    testimony_measures: Codes = []
    outcome: str = ""


@router.post("/legal-proceedings/{proceeding_id}/events", response={201: dict[str, Any]})
def record_legal_event(
    request: HttpRequest, proceeding_id: Id, body: ProceedingEventIn
) -> Status[dict[str, Any]]:
    """Log a hearing, interview or other step, and who accompanied the child (CASE-11). The
    answer carries the proceeding too: its counts and the ETH-10 repeated-interview flag."""
    row: LegalProceeding = policy.get_or_404(
        _user(request), "legal_proceeding", "view", proceeding_id
    )
    event = _run(
        lambda: legal.record_event(
            request.user, row, source=request_source(request), **body.model_dump()
        )
    )
    out = legal.event_view(request.user, event)
    return Status(201, {**out, "proceeding": _legal_out(row, request.user)})


# --- follow-up -----------------------------------------------------------------------------


def _visit_out(v: FollowUpVisit, sensitive: bool) -> dict[str, Any]:
    return {
        "id": v.pk,
        "kind": v.kind,
        "scheduled_for": _d(v.scheduled_for),
        "done_at": _d(v.done_at),
        "wellbeing": v.wellbeing,
        "retrafficking_risk": v.retrafficking_risk,
        "notes": v.notes if sensitive else None,
    }


class BaselineIn(In):
    wellbeing: dict[str, int]
    notes: str = ""


@router.post("/cases/{case_id}/baseline", response={201: dict[str, Any]})
def baseline(request: HttpRequest, case_id: Id, body: BaselineIn) -> Status[dict[str, Any]]:
    """The 'before' wellbeing measure (five items, 0-4)."""
    case = _case(request, case_id)
    row = _run(
        lambda: followup.record_baseline(
            request.user,
            case,
            wellbeing=body.wellbeing,
            notes=body.notes,
            source=request_source(request),
        )
    )
    return Status(201, _visit_out(row, True))


class ScheduleIn(In):
    scheduled_for: dt.date


@router.post("/cases/{case_id}/visits", response={201: dict[str, Any]})
def schedule_visit(request: HttpRequest, case_id: Id, body: ScheduleIn) -> Status[dict[str, Any]]:
    case = _case(request, case_id)
    row = _run(
        lambda: followup.schedule(
            request.user, case, on=body.scheduled_for, source=request_source(request)
        )
    )
    return Status(201, _visit_out(row, True))


class VisitIn(In):
    wellbeing: dict[str, int]
    retrafficking_risk: str
    notes: str = ""


@router.post("/visits/{visit_id}/record")
def record_visit(request: HttpRequest, visit_id: Id, body: VisitIn) -> dict[str, Any]:
    """Record a visit as done, with wellbeing scores and the re-trafficking risk."""
    visit: FollowUpVisit = policy.get_or_404(_user(request), "followup_visit", "view", visit_id)
    row = _run(
        lambda: followup.record_visit(
            request.user, visit, source=request_source(request), **body.model_dump()
        )
    )
    return _visit_out(row, True)


@router.get("/cases/{case_id}/wellbeing", summary="Before/after: baseline against the latest visit")
def wellbeing(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    return followup.wellbeing_change(_case(request, case_id))


# --- work lists ----------------------------------------------------------------------------


@router.get("/worklist", summary="Your tasks, derived from your cases")
def worklist(request: HttpRequest) -> list[dict[str, Any]]:
    return [t.to_dict() for t in _run(lambda: worklists.my_tasks(request.user))]


@router.get("/caseload", summary="The team's open caseload (supervisors)")
def caseload(request: HttpRequest) -> dict[str, Any]:
    return _run(lambda: worklists.team_caseload(request.user))
