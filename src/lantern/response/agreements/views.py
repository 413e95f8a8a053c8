"""Pages for agreements and MoUs (expiring ones flagged) and for readmission requests: send a
request (the packet downloads), take in a packet received, answer a request. Each view parses
a form, calls one service and renders; a refused form is shown again as typed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.fields import label_of
from lantern.errors import ProtectionError
from lantern.response.agreements import readmission
from lantern.response.agreements import service as agreements
from lantern.response.agreements.forms import (
    AgreementForm,
    AnswerForm,
    PacketForm,
    ReadmissionForm,
)
from lantern.response.agreements.models import (
    AgreementType,
    CooperationAgreement,
    ReadmissionRequest,
    ReadmissionStatus,
)
from lantern.response.agreements.service import Validity


def _validity(row: CooperationAgreement) -> tuple[str, str]:
    v = agreements.validity(row)
    labels = {
        Validity.NOT_YET: _("Not yet in force"),
        Validity.IN_FORCE: _("In force"),
        Validity.EXPIRING: _("Expiring within %(days)s days")
        % {"days": agreements.EXPIRY_WARNING_DAYS},
        Validity.EXPIRED: _("Expired"),
    }
    return v.value, labels[v]


def _row(row: CooperationAgreement) -> dict[str, Any]:
    code, label = _validity(row)
    return {
        "a": row,
        "type": label_of(AgreementType, row.type),
        "validity": code,
        "validity_label": label,
        "forms": agreements.form_labels(row),
        "unapproved": agreements.unapproved(row),
    }


@allowed("cooperation", "view")
def agreement_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = [_row(a) for a in agreements.agreements(user)]
    context = {
        "rows": rows,
        "expiring": [r for r in rows if r["validity"] == Validity.EXPIRING],
        "may_manage": policy.allows(user, "cooperation", "manage"),
        "may_readmit": policy.allows(user, "readmission", "view"),
    }
    return render(request, "web/response/agreements.html", context)


@allowed("cooperation", "view")
def agreement_detail(request: HttpRequest, cooperation_id: int) -> HttpResponse:
    user: Any = request.user
    row = agreements.get_agreement(user, cooperation_id)
    context = {
        **_row(row),
        "parties": row.parties.all(),
        "may_manage": policy.allows(user, "cooperation", "manage"),
    }
    return render(request, "web/response/agreement.html", context)


@allowed("cooperation", "manage")
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, cooperation_id: int | None = None) -> HttpResponse:
    """Record an agreement or MoU, or change it."""
    user: Any = request.user
    row = (
        None if cooperation_id is None else agreements.get_agreement(user, cooperation_id, "manage")
    )
    initial: dict[str, Any] = {}
    if row is not None:
        initial = {
            "reference": row.reference,
            "title": row.title,
            "type": row.type,
            "is_mou": row.is_mou,
            "countries": list(row.countries),
            "parties": [str(p.pk) for p in row.parties.all()],
            "forms": list(row.forms),
            "min_age": row.min_age,
            "max_age": row.max_age,
            "signed_on": row.signed_on,
            "valid_from": row.valid_from,
            "valid_until": row.valid_until,
            "exchange": row.exchange.reference if row.exchange else "",
        }
    kept = [p.pk for p in row.parties.all()] if row is not None else []
    form = AgreementForm(request.POST or None, initial=initial, kept=kept)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = dict(form.cleaned_data)
            d["parties"] = [int(p) for p in d["parties"]]
            try:
                saved = agreements.save_agreement(
                    user, **d, agreement=row, source=request_source(request)
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                return redirect("web:agreement_detail", saved.pk)
    title = _("Change the agreement") if row else _("An agreement or MoU")
    context = {"form": form, "title": title}
    return render(request, "web/response/form.html", context, status=status)


def _packet(blob: bytes, name: str) -> HttpResponse:
    res = HttpResponse(blob, content_type="application/octet-stream")
    res["Content-Disposition"] = f'attachment; filename="{name}.packet"'
    res["Cache-Control"] = "no-store"
    return res


@allowed("readmission", "view")
@require_http_methods(["GET", "POST"])
def readmission_list(request: HttpRequest) -> HttpResponse:
    """Readmission requests sent and received; the forms to send one and take in a packet."""
    user: Any = request.user
    may_manage = policy.allows(user, "readmission", "manage")
    send, receive = ReadmissionForm(), PacketForm()
    name, status = str(request.POST.get("form", "")), 200
    if request.method == "POST" and may_manage and name == "send":
        send, status = ReadmissionForm(request.POST), 400
        if send.is_valid():
            d = send.cleaned_data
            try:
                row, blob = readmission.send_request(user, **d, source=request_source(request))
            except ProtectionError as exc:
                status = show_error(send, exc)
            else:
                return _packet(blob, row.reference)
    elif request.method == "POST" and may_manage and name == "receive":
        receive, status = PacketForm(request.POST, request.FILES), 400
        if receive.is_valid():
            try:
                row = readmission.receive(
                    user, receive.cleaned_data["packet"], source=request_source(request)
                )
            except ProtectionError as exc:
                status = show_error(receive, exc)
            else:
                return redirect("web:readmission_detail", row.pk)
    elif request.method == "POST":
        raise Http404  # a form this role is not shown, or none at all
    rows = [
        {"r": r, "status": label_of(ReadmissionStatus, r.status)}
        for r in readmission.requests(user)
    ]
    context = {"rows": rows, "send": send, "receive": receive, "may_manage": may_manage}
    return render(request, "web/response/readmissions.html", context, status=status)


@allowed("readmission", "view")
@require_http_methods(["GET", "POST"])
def readmission_detail(request: HttpRequest, readmission_id: int) -> HttpResponse:
    """A request, its escort and its answer; the form to answer one received."""
    user: Any = request.user
    row: ReadmissionRequest = readmission.get_request(user, readmission_id)
    may_answer = (
        policy.allows(user, "readmission", "manage")
        and row.direction == "incoming"
        and row.status == ReadmissionStatus.RECEIVED
    )
    form, status = AnswerForm(), 200
    if request.method == "POST" and may_answer:
        form, status = AnswerForm(request.POST), 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                blob = readmission.answer(
                    user,
                    row,
                    accepted=d["accepted"] == "yes",
                    note=d["note"],
                    source=request_source(request),
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                return _packet(blob, f"{row.reference}-answer")
    may_escort = policy.may_read_field(user, "readmissionrequest.escort")
    if may_escort:
        audit.record(
            user, "view", "readmission", row.pk, ["escort"], source=request_source(request)
        )
    context = {
        "r": row,
        "status": label_of(ReadmissionStatus, row.status),
        "escort": row.escort if may_escort else None,
        "form": form if may_answer else None,
    }
    return render(request, "web/response/readmission.html", context, status=status)
