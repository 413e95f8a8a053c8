"""Family tracing: a relative's request beside the consenting candidates, and the family
assessment on the case page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.fields import TRI, label_of
from lantern.errors import ProtectionError
from lantern.protection import record
from lantern.protection.referrals.models import ChildField
from lantern.protection.registry import CaseForm, Submission
from lantern.protection.tracing import service as tracing
from lantern.protection.tracing.forms import DecideForm, FamilyForm, TracingForm
from lantern.protection.tracing.models import Relation, TracingStatus


def _family(s: Submission) -> None:
    d = s.data
    tracing.assess_family(
        s.user,
        s.case,
        safe=TRI[d["safe"]],
        family_rejects_child=TRI[d["family_rejects_child"]],
        family_involved=TRI[d["family_involved"]],
        retrafficking_risk=d["retrafficking_risk"],
        decision=d["decision"],
        findings=d["findings"],
        source=s.source,
    )


CASE_FORMS = (CaseForm("family", FamilyForm, "family", _family),)


@allowed("tracing", "manage")
@require_http_methods(["GET", "POST"])
def tracing_list(request: HttpRequest) -> HttpResponse:
    """The agency's tracing requests, and a relative's new request."""
    user: Any = request.user
    form = TracingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = tracing.create_request(user, source=request_source(request), **form.cleaned_data)
        except ProtectionError as exc:
            show_error(form, exc)
        else:
            return redirect("web:tracing_request", req.pk)
    rows = [
        {
            "req": r,
            "relation": label_of(Relation, r.requester_relation),
            "status": label_of(TracingStatus, r.status),
        }
        for r in record.tracing_requests(user)
    ]
    return render(
        request,
        "web/protection/tracing_list.html",
        {"rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


@allowed("tracing", "manage")
@require_http_methods(["GET", "POST"])
def tracing_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request beside each consenting candidate, field by field; confirm or reject."""
    user: Any = request.user
    form, status = DecideForm(request.POST or None), 200
    decided = str(request.POST.get("case_id", ""))
    if request.method == "POST" and form.is_valid():
        try:
            tracing.decide(
                user,
                tracing.get_request(user, request_id),
                int(decided) if decided.isdigit() else 0,
                confirm=request.POST.get("action") == "confirm",
                reason=form.cleaned_data["reason"],
                source=request_source(request),
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            return redirect("web:tracing_request", request_id)
    elif request.method == "POST":
        status = 400
    data = record.tracing_page(user, request_id, request_source(request))
    req = data["request"]
    for c in data["candidates"]:
        c["form"] = form if str(c["case_id"]) == decided else DecideForm()
        c["rows"] = [
            (label_of(ChildField, k), c["request"][k], c["child"][k], c["agreement"][k])
            for k in ("given_name", "family_name", "birth_year")
        ] + [(_("Home"), c["request"]["home"], c["child"]["home"], None)]
    return render(
        request,
        "web/protection/tracing_request.html",
        {
            "req": req,
            "relation": label_of(Relation, req.requester_relation),
            "status_label": label_of(TracingStatus, req.status),
            "candidates": data["candidates"],
            "form": form,
        },
        status=status,
    )
