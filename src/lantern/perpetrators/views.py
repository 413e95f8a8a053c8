"""The register's pages: the list with exact look-up, a record with its cases and justice
chain, the network around a record or a case, and a caseworker's report on a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases.models import Case
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.fields import taxonomy_label
from lantern.errors import Invalid, ProtectionError
from lantern.perpetrators import justice, linking, network, service
from lantern.perpetrators.forms import IdentifiersForm, ReportForm, SearchForm, StepForm


@allowed("perpetrator", "list")
@require_http_methods(["GET", "POST"])
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    """The register, newest first, or what one exact name, phone or vehicle finds (posted:
    an identifier never travels in the address)."""
    user: Any = request.user
    form = SearchForm(request.POST or None)
    status, rows, searched = 200, [], False
    try:
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            rows = service.look_up(user, d["kind"], d["value"], source=request_source(request))
            searched = True
        else:
            status = 400 if form.is_bound else 200
            rows = service.register(user, source=request_source(request))
    except ProtectionError as exc:
        status = show_error(form, exc)
    return render(
        request,
        "perpetrators/list.html",
        {
            "form": form,
            "rows": rows,
            "searched": searched,
            "may_review": linking.may_review(user),
        },
        status=status,
    )


def _case_choices(detail: Any) -> list[tuple[str, str]]:
    return [(str(c.case_id), c.case_reference) for c in detail.cases]


@allowed("perpetrator", "view")
@require_http_methods(["GET", "POST"])
def perpetrator_detail(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    """A record: identifiers, the cases the reader may view (others counted), its justice
    chain; identifiers and steps added here by those the policy lets record them."""
    user: Any = request.user
    row = service.get(user, perpetrator_id)
    which = request.POST.get("form", "")
    ident = IdentifiersForm(request.POST if which == "identifiers" else None, prefix="id")
    status = 200
    seen = service.detail(user, row, source=request_source(request))
    step = StepForm(_case_choices(seen), request.POST if which == "step" else None, prefix="step")
    if request.method == "POST":
        try:
            if which == "identifiers" and ident.is_valid():
                d = ident.cleaned_data
                added = service.add_identifiers(
                    user,
                    row,
                    ident.identifiers(),
                    kind=d["kind"],
                    sex=d["sex"],
                    source=request_source(request),
                )
                messages.success(request, _("%(n)d identifiers added.") % {"n": added})
                return redirect("web:perpetrator_detail", row.pk)
            if which == "step" and step.is_valid():
                d = step.cleaned_data
                justice.record_step(
                    user,
                    row,
                    stage=d["stage"],
                    date=d["date"],
                    case_ids=[int(c) for c in d["case_ids"]],
                    sentence_months=d["sentence_months"],
                    source=request_source(request),
                )
                messages.success(request, _("Justice step recorded."))
                return redirect("web:perpetrator_detail", row.pk)
        except ProtectionError as exc:
            status = show_error(ident if which == "identifiers" else step, exc)
        else:
            status = 400
    return render(
        request,
        "perpetrators/detail.html",
        {
            "p": seen,
            "row": row,
            "ident_form": ident,
            "step_form": step,
            "may_record": policy.allows(user, "perpetrator", "record"),
            "may_justice": policy.allows(user, "justice", "record"),
        },
        status=status,
    )


def _network_page(
    request: HttpRequest, net: network.Network, title: str, **extra: Any
) -> HttpResponse:
    where = {n.id: n for n in net.nodes}
    lines = [
        {"a": where[e.a], "b": where[e.b], "edge": e}
        for e in net.edges
        if e.a in where and e.b in where
    ]
    return render(
        request,
        "perpetrators/network.html",
        {"net": net, "lines": lines, "title": title, "labels": where, **extra},
    )


@allowed("perpetrator", "view")
@require_http_methods(["GET"])
def perpetrator_network(request: HttpRequest, perpetrator_id: int) -> HttpResponse:
    user: Any = request.user
    row = service.get(user, perpetrator_id)
    net = network.around_perpetrator(user, row, request_source(request))
    return _network_page(
        request, net, _("Network around %(ref)s") % {"ref": row.reference}, perpetrator=row
    )


@allowed("perpetrator", "view")
@require_http_methods(["GET"])
def case_network(request: HttpRequest, case_id: int) -> HttpResponse:
    user: Any = request.user
    case: Case = policy.get_or_404(user, "case", "view", case_id)
    net = network.around_case(user, case, request_source(request))
    return _network_page(
        request, net, _("Network of case %(ref)s") % {"ref": case.reference}, case=case
    )


@allowed("perpetrator", "report")
@require_http_methods(["GET", "POST"])
def case_report(request: HttpRequest, case_id: int) -> HttpResponse:
    """A caseworker records what the child says about a suspected trafficker of the case; the
    register keeps it, and shows nothing of itself here."""
    user: Any = request.user
    case: Case = policy.get_or_404(user, "case", "update", case_id)
    roles = [
        (str(r.pk), f"{taxonomy_label(r.role, 'actor_roles')} · {r.actor.ref}")
        for r in case.actor_roles.select_related("actor").order_by("pk")
    ]
    form = ReportForm(roles, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                added = service.report(
                    user,
                    case,
                    d["role_id"],
                    form.identifiers(),
                    kind=d["kind"],
                    sex=d["sex"],
                    source=request_source(request),
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Recorded: %(n)d new identifiers for the police and prosecutors.")
                    % {"n": added},
                )
                return redirect("web:case_detail", case.pk)
        else:
            status = 400
    return render(
        request,
        "perpetrators/report.html",
        {"case": case, "form": form, "has_roles": bool(roles)},
        status=status,
    )


@allowed("perpetrator", "record")
@require_http_methods(["GET"])
def review_queue(request: HttpRequest) -> HttpResponse:
    """Pairs of register records linkage finds uncertain, to confirm (merge) or reject."""
    pairs = linking.queue(request.user, source=request_source(request))
    return render(request, "perpetrators/review.html", {"pairs": pairs})


@allowed("perpetrator", "record")
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, perpetrator_pair_id: int) -> HttpResponse:
    """One pair to review, and a reviewer's decision on it: the same person (merged) or not."""
    if request.method == "GET":
        pair = linking.pair(request.user, perpetrator_pair_id, source=request_source(request))
        return render(request, "perpetrators/review.html", {"pairs": [pair]})
    decision = request.POST.get("decision", "")
    try:
        kept = linking.decide(
            request.user, perpetrator_pair_id, decision, source=request_source(request)
        )
    except Invalid as exc:
        messages.error(request, exc.reason)
        return redirect("web:perpetrator_review")
    if kept is not None:
        messages.success(request, _("Merged into %(ref)s.") % {"ref": kept.reference})
    else:
        messages.success(request, _("Kept apart: linkage will not propose this pair again."))
    return redirect("web:perpetrator_review")
