"""Statistics pages: the estimate of the hidden number, always shown with its provenance."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from lantern.audit import services as audit
from lantern.edges.decorators import allowed
from lantern.edges.typing import AuthedRequest
from lantern.monitoring import mart
from lantern.monitoring.estimates import (
    EstimateRequest,
    EstimateRequestError,
    estimate_from_mart,
    estimation_message,
)
from lantern.monitoring.forms import EstimateForm


@allowed("statistics", "view")
def estimate_page(request: AuthedRequest) -> HttpResponse:
    form = EstimateForm(request.GET or None)
    result, error = None, None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        try:
            req = EstimateRequest(
                start=d.get("start"),
                end=d.get("end"),
                method=d["method"],
                bootstrap=d.get("bootstrap") or 0,
                level=float(d["level"]),
                stratify_by=d.get("stratify_by") or None,
                population=d["population"],
            )
            result = estimate_from_mart(req)
            audit.record(
                request.user,
                "estimate",
                "statistics",
                "mart",
                reason=f"{req.method} {req.stratify_by or ''}".strip(),
                source=audit.request_source(request),
            )
        except EstimateRequestError as exc:
            error = str(exc)
    return render(
        request,
        "monitoring/estimate.html",
        {
            "form": form,
            "r": result,
            "error": error,
            # the library names its interval method in English; the page, in the reader's language
            "interval_method": estimation_message(result.total.interval.method)
            if result and result.total.interval
            else "",
            "mart": mart.info(),
        },
    )
