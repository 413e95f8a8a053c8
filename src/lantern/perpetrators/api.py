"""The register's endpoints: list and exact look-up, a record, its identifiers, its justice
chain, the network around a record or a case, and a caseworker's report on a case."""

from __future__ import annotations

import dataclasses
from typing import Any

from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases.models import Case
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.edges.typing import AuthedRequest
from lantern.perpetrators import justice, linking, network, service
from lantern.perpetrators.schemas import (
    AddedOut,
    DetailOut,
    IdentifiersIn,
    LookupIn,
    NetworkOut,
    PairDecisionIn,
    PairDecisionOut,
    PairOut,
    ReportIn,
    StepIn,
    StepOut,
    SummaryOut,
)

router = Router(tags=["perpetrators"])


def _pairs(body: IdentifiersIn) -> list[tuple[str, str]]:
    return [(i.kind, i.value) for i in body.identifiers]


def _case(request: AuthedRequest, case_id: int, action: str) -> Case:
    row: Case = policy.get_or_404(request.user, "case", action, case_id)
    return row


@router.get("/perpetrators", response={200: list[SummaryOut], **ERRORS})  # type: ignore[valid-type]
def list_register(request: AuthedRequest) -> list[Any]:
    """The register, newest first."""
    rows = service.register(request.user, source=request_source(request))
    return [dataclasses.asdict(r) for r in rows]


@router.post(
    "/perpetrators/lookup",
    response={200: list[SummaryOut], **ERRORS},  # type: ignore[valid-type]
    operation_id="look_up_perpetrators",
)
def look_up(request: AuthedRequest, body: LookupIn) -> list[Any]:
    """The records one exact name (or alias), phone or vehicle finds through its blind index
    (in the body, never in the address: a name must not reach a server's logs)."""
    rows = service.look_up(request.user, body.kind, body.value, source=request_source(request))
    return [dataclasses.asdict(r) for r in rows]


@router.get(
    "/perpetrators/review-queue",
    response={200: list[PairOut], **ERRORS},  # type: ignore[valid-type]
    operation_id="perpetrator_review_queue",
)
def review_queue(request: AuthedRequest) -> list[Any]:
    """Pairs of register records linkage finds uncertain: references, probability and each
    comparison's evidence (never a name)."""
    return [dataclasses.asdict(p) for p in linking.queue(request.user, request_source(request))]


@router.post(
    "/perpetrators/review-queue/{perpetrator_pair_id}",
    response={200: PairDecisionOut, **ERRORS},
    operation_id="decide_perpetrator_pair",
)
def decide_pair(request: AuthedRequest, perpetrator_pair_id: Id, body: PairDecisionIn) -> Any:
    """``same``: the two records are merged (audited); ``different``: kept apart for good."""
    kept = linking.decide(
        request.user, perpetrator_pair_id, body.decision, source=request_source(request)
    )
    return {"decision": body.decision, "kept_id": kept.pk if kept else None}


@router.get("/perpetrators/{perpetrator_id}", response={200: DetailOut, **ERRORS})
def read(request: AuthedRequest, perpetrator_id: Id) -> Any:
    row = service.get(request.user, perpetrator_id)
    return dataclasses.asdict(service.detail(request.user, row, source=request_source(request)))


@router.post("/perpetrators/{perpetrator_id}/identifiers", response={201: AddedOut, **ERRORS})
def add_identifiers(request: AuthedRequest, perpetrator_id: Id, body: IdentifiersIn) -> Status[Any]:
    row = service.get(request.user, perpetrator_id, "record")
    added = service.add_identifiers(
        request.user,
        row,
        _pairs(body),
        kind=body.kind,
        sex=body.sex,
        source=request_source(request),
    )
    return Status(201, {"added": added})


@router.post("/perpetrators/{perpetrator_id}/justice-steps", response={201: StepOut, **ERRORS})
def record_step(request: AuthedRequest, perpetrator_id: Id, body: StepIn) -> Status[Any]:
    """A step of the justice chain: suspected, arrested, charged, prosecuted, verdict,
    sentence; the child's own proceedings are linked by id (the legal track)."""
    row = service.get(request.user, perpetrator_id)
    step = justice.record_step(
        request.user, row, source=request_source(request), **body.model_dump()
    )
    return Status(
        201,
        {
            "id": step.pk,
            "stage": step.stage,
            "date": step.date.isoformat(),
            "agency": step.agency.name,
            "case_ids": sorted(c.pk for c in step.cases.all()),
            "sentence_months": step.sentence_months,
        },
    )


def _network(net: network.Network) -> dict[str, Any]:
    out = dataclasses.asdict(net)
    out.pop("width")
    out.pop("height")
    return out


@router.get("/perpetrators/{perpetrator_id}/network", response={200: NetworkOut, **ERRORS})
def perpetrator_network(request: AuthedRequest, perpetrator_id: Id) -> Any:
    row = service.get(request.user, perpetrator_id)
    return _network(network.around_perpetrator(request.user, row, request_source(request)))


@router.get("/cases/{case_id}/network", response={200: NetworkOut, **ERRORS})
def case_network(request: AuthedRequest, case_id: Id) -> Any:
    case = _case(request, case_id, "view")
    return _network(network.around_case(request.user, case, request_source(request)))


@router.post("/cases/{case_id}/perpetrator-reports", response={201: AddedOut, **ERRORS})
def report(request: AuthedRequest, case_id: Id, body: ReportIn) -> Status[Any]:
    """What the child says about one of the case's suspected traffickers: names, phones,
    vehicles, places. It lands in the register; nothing of the register is answered."""
    case = _case(request, case_id, "update")
    added = service.report(
        request.user,
        case,
        body.role_id,
        _pairs(body),
        kind=body.kind,
        sex=body.sex,
        source=request_source(request),
    )
    return Status(201, {"added": added})
