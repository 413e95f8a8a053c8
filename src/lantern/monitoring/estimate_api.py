"""``GET /api/statistics/estimate``: the hidden-children estimate the page shows, as data.

The same request, the same figure and the same one message as the page (``estimate_from_mart``),
for those the policy lets see statistics; anyone else gets 404, as for the page. Audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.edges.schemas import ERRORS
from lantern.errors import Invalid, NotFound, Refused
from lantern.monitoring.estimates import (
    EstimateRequest,
    EstimateRequestError,
    NoEstimate,
    estimate_from_mart,
    estimation_message,
)

router = Router(tags=["statistics"])


class EstimateQuery(Schema):
    method: Literal["recommended", "dga", "lcmcr", "stepwise", "main"] = "recommended"
    population: Literal["children", "all"] = "children"
    stratify_by: Literal["sex", "age_group", "form", "citizenship"] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    level: float = Field(0.95, ge=0.5, le=0.99)


class IntervalOut(Schema):
    level: float
    low: float
    high: float
    method: str


class FigureOut(Schema):
    label: str
    estimate: float
    low: float
    high: float


class VisibilityOut(Schema):
    """The range under varying visibility: beside the figure, not a confidence interval."""

    low: float
    high: float | None = Field(description="null: these records set no upper limit")
    bounded: bool
    level: float
    message: str
    method: str


class StratumOut(Schema):
    name: str
    observed: int
    estimate: float
    low: float | None
    high: float | None


class EstimateOut(Schema):
    estimate: float
    observed: int
    dark_figure: float
    interval: IntervalOut | None
    method: str
    explanation: str
    agree: bool
    range_low: float
    range_high: float
    message: str
    visibility_range: VisibilityOut | None = Field(
        None,
        description="From the lowest figure shown to Rcapture's Mth Gamma3.5 upper limit: how "
        "high the number could be if some children are much harder for every agency to find; "
        "null when that model cannot be fitted on these histories",
    )
    figures: list[FigureOut]
    strata: list[StratumOut]
    lists: list[str]
    period: str
    linkage: str
    scope: str
    warnings: list[str]


@router.get("/estimate", response={200: EstimateOut, **ERRORS})
def estimate(request: HttpRequest, query: Query[EstimateQuery]) -> EstimateOut:
    """How many children no agency recorded: one figure, its interval (or the range the methods
    span when they disagree) and one message, with provenance."""
    user = request.user
    if not policy.allows(user, "statistics", "view"):  # type: ignore[arg-type]
        raise NotFound("not found")
    try:
        req = EstimateRequest(
            start=query.start,
            end=query.end,
            method=query.method,
            level=query.level,
            stratify_by=query.stratify_by,
            population=query.population,
        )
        r = estimate_from_mart(req)
    except NoEstimate as exc:  # a precondition of the data, not the request's fault
        raise Refused(str(exc)) from None
    except EstimateRequestError as exc:
        raise Invalid(str(exc)) from None
    audit.record(
        user,  # type: ignore[arg-type]
        "estimate",
        "statistics",
        "mart",
        reason=f"api {r.method} {req.stratify_by or ''}".strip(),
        source=audit.request_source(request),
    )
    ci = r.total.interval
    a = r.agreement
    return EstimateOut(
        estimate=r.total.estimate,
        observed=r.total.observed,
        dark_figure=r.total.dark_figure,
        interval=IntervalOut(
            level=ci.level, low=ci.low, high=ci.high, method=estimation_message(ci.method)
        )
        if ci
        else None,
        method=r.method,
        explanation=r.explanation,
        agree=a.agree,
        range_low=a.low,
        range_high=a.high,
        message=a.message,
        visibility_range=VisibilityOut(**r.visibility.to_dict()) if r.visibility else None,
        figures=[FigureOut(**f.to_dict()) for f in a.figures],
        strata=[
            StratumOut(
                name=name,
                observed=e.observed,
                estimate=e.estimate,
                low=e.interval.low if e.interval else None,
                high=e.interval.high if e.interval else None,
            )
            for name, e in r.strata.items()
        ],
        lists=list(r.provenance.lists),
        period=r.provenance.period,
        linkage=r.provenance.linkage,
        scope=r.provenance.scope,
        warnings=list(r.provenance.warnings),
    )
