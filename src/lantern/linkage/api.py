"""Linkage endpoints: search before create, tracing, and the review queue (mirrors the pages).

Each handler parses, calls one service in :mod:`lantern.linkage.services` and returns; the
services ask the policy layer and write the audit trail. Errors follow the one contract of
``lantern.api``: a search refused answers 404, as for records outside one's scope; a search
that cannot be run as asked, 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Age, Id, Name, Text, Year
from lantern.edges.schemas import ERRORS, Pages
from lantern.errors import NotAllowed
from lantern.linkage import services

SearchLimit = Annotated[int, Field(ge=1, le=50)]

router = Router(tags=["linkage"])


class Comparison(Schema):
    field: str
    left: str | None
    right: str | None
    agrees: bool | None
    level: str


class CandidateOut(Schema):
    person_key: str
    case_id: int
    case_reference: str
    agency: str
    probability: float
    comparison: list[Comparison]


class SearchOut(Schema):
    candidates: list[CandidateOut]
    elsewhere: int
    elsewhere_message: str
    method: str = (
        "blocking on the linkage pipeline's keys, then the splink Fellegi-Sunter model of the "
        "last linkage run (m) with u from random pairs of the store; probabilities are the "
        "model's posterior, not a verified identity"
    )


class SearchIn(Schema):
    given_name: Name = ""
    family_name: Name = ""
    birthdate: dt.date | None = None
    sex: Name = ""
    citizenship: Name = ""
    nickname: Name = ""
    stated_age: Age | None = None
    identity_number: Name = ""
    home_country: Name = ""
    home_state: Name = ""
    home_city: Name = ""
    limit: SearchLimit = 10


class TraceIn(Schema):
    given_name: Name = ""
    family_name: Name = ""
    nickname: Name = ""
    birthdate: dt.date | None = None
    birth_year: Year | None = None
    stated_age: Age | None = None
    request_date: dt.date | None = None
    sex: Name = ""
    citizenship: Name = ""
    home_country: Name = ""
    home_state: Name = ""
    home_city: Name = ""
    limit: SearchLimit = 10


class PairOut(Schema):
    id: int
    probability: float
    evidence: dict[str, float]


class ReviewSide(Schema):
    person_key: str
    case_reference: str
    agency: str
    values: dict[str, str | None] | None


class FieldEvidence(Schema):
    field: str
    label: str  # the field in the reader's language
    left: str | None
    right: str | None
    agrees: bool | None
    weight: float


class PairDetail(Schema):
    id: int
    probability: float
    sides: list[ReviewSide]
    comparison: list[FieldEvidence]


class DecisionIn(Schema):
    decision: Literal["same", "different"]
    reason: Text


class DecisionOut(Schema):
    pair: int
    same: bool
    decided_at: str


def _answer(answer: services.SearchAnswer) -> dict[str, Any]:
    return {
        "candidates": answer.candidates,
        "elsewhere": answer.elsewhere,
        "elsewhere_message": answer.elsewhere_message,
    }


@router.post(
    "/search",
    response={200: SearchOut, **ERRORS},
    summary="Search before create: likely existing records",
)
def search(request: HttpRequest, body: SearchIn) -> dict[str, Any]:
    data = body.dict()
    limit = data.pop("limit")
    answer = services.search_before_create(
        request.user, **data, limit=limit, source=request_source(request)
    )
    return _answer(answer)


@router.post(
    "/trace",
    response={200: SearchOut, **ERRORS},
    summary="Match a tracing request (consenting children)",
)
def trace(request: HttpRequest, body: TraceIn) -> dict[str, Any]:
    data = {k: v for k, v in body.dict().items() if v not in (None, "")}
    limit = data.pop("limit", 10)
    answer = services.trace(request.user, data, limit=limit, source=request_source(request))
    return _answer(answer)


@router.get(
    "/review",
    response={200: list[PairOut], **ERRORS},
    summary="Uncertain pairs to review (your scope)",
)
@paginate(Pages)
def review_queue(request: HttpRequest, **kwargs: Any) -> Any:
    if not policy.allows(request.user, "linkage", "review"):  # type: ignore[arg-type]
        raise NotAllowed("your role may not review linkage")
    return services.review_queue(request.user)


@router.get(
    "/review/{pair_id}", response={200: PairDetail, **ERRORS}, summary="A pair side by side"
)
def review_pair(request: HttpRequest, pair_id: Id) -> dict[str, Any]:
    item = services.review_item(request.user, pair_id, source=request_source(request))
    return {
        "id": item.pair.pk,
        "probability": item.pair.probability,
        "sides": item.sides,
        "comparison": item.comparison,
    }


@router.post(
    "/review/{pair_id}", response={200: DecisionOut, **ERRORS}, summary="Same child, or different"
)
def decide(request: HttpRequest, pair_id: Id, body: DecisionIn) -> dict[str, Any]:
    decision = services.decide(
        request.user,
        pair_id,
        body.decision == "same",
        body.reason,
        source=request_source(request),
    )
    return {"pair": pair_id, "same": decision.same, "decided_at": decision.decided_at.isoformat()}
