"""Transfer pages: a case to another agency here, or across a border by referral packet; the
import of a packet received; this installation's public keys for the partner.

Each view parses a form, calls one service (``service``) and renders;
the services and the policy layer decide, and a refused form is shown again with the
service's reason. No form takes a key: a packet is sealed to, and verified with, the partner
keys pinned on the agreement by an operator (``lantern exchange agreement add|pin``). A packet
travels as a download that is never cached: it carries the child's identity, encrypted, and
must leave no copy in a shared browser's cache.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.cases.models import Case
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.fields import label_of
from lantern.errors import ProtectionError
from lantern.exchange.keys import installation_keys
from lantern.protection.transfers import service as transfers
from lantern.protection.transfers.forms import DomesticForm, ExportForm, ImportForm
from lantern.protection.transfers.models import Agreement, TransferDirection, TransferStatus


def _history(case: Case) -> list[dict[str, Any]]:
    rows = case.transfers.select_related("to_agency", "agreement", "by").order_by("at")
    return [
        {
            "at": t.at,
            "direction": label_of(TransferDirection, t.direction),
            "status": label_of(TransferStatus, t.status),
            "to": t.to_agency.name if t.to_agency else t.installation[:12],
            "agreement": t.agreement.reference if t.agreement else "",
            "reason": t.reason,
            "by": t.by.username if t.by else "",
        }
        for t in rows
    ]


def _packet_response(blob: bytes, case: Case, agreement: str) -> HttpResponse:
    res = HttpResponse(blob, content_type="application/octet-stream")
    res["Content-Disposition"] = f'attachment; filename="{case.reference}-{agreement}.packet"'
    res["Cache-Control"] = "no-store"
    return res


@verified_required
@require_http_methods(["GET", "POST"])
def case_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    """GET: the case's transfers and the two forms. POST ``form=domestic``: move ownership to
    another agency; ``form=export``: the packet downloads and the case closes here."""
    user: Any = request.user
    case = queries.get_case(user, case_id, "transfer")  # 404 unless the role may transfer it
    domestic, export = DomesticForm(case=case), ExportForm()
    name, status = str(request.POST.get("form", "")), 200
    if request.method == "POST":
        if name == "domestic":
            domestic, status = DomesticForm(request.POST, case=case), 400
            if domestic.is_valid():
                d = domestic.cleaned_data
                try:
                    transfers.transfer_to_agency(
                        user,
                        case,
                        agency=d["agency"],
                        reason=d["reason"],
                        source=request_source(request),
                    )
                except ProtectionError as exc:
                    status = show_error(domestic, exc)
                else:
                    if policy.case_allows(user, "view", case):
                        return redirect("web:case_detail", case.pk)
                    return render(request, "web/protection/transfer_done.html", {"case": case})
        elif name == "export":
            export, status = ExportForm(request.POST, request.FILES), 400
            if export.is_valid():
                d = export.cleaned_data
                try:
                    blob = transfers.export_packet(
                        user,
                        case,
                        agreement=d["agreement"],
                        reason=d["reason"],
                        consent_basis=d["consent_basis"],
                        override_reason=d["override_reason"],
                        source=request_source(request),
                    )
                except ProtectionError as exc:
                    status = show_error(export, exc)
                else:
                    return _packet_response(blob, case, d["agreement"])
        else:
            raise Http404
    context = {
        "case": case,
        "closed": case.state == "closed",
        "domestic": domestic,
        "export": export,
        "history": _history(case),
        "error_form": name if status != 200 else "",
    }
    return render(request, "web/protection/transfer.html", context, status=status)


def _may_exchange(user: Any) -> bool:
    return policy.allows(user, "exchange", "import") or policy.allows(user, "case", "transfer")


@verified_required
@require_http_methods(["GET", "POST"])
def exchange_import(request: HttpRequest) -> HttpResponse:
    """A packet from a partner installation becomes a case of the user's agency."""
    user: Any = request.user
    if not policy.allows(user, "exchange", "import"):
        raise Http404
    form, status = ImportForm(request.POST or None, request.FILES or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                case = transfers.import_packet(
                    user,
                    form.cleaned_data["packet"],
                    source=request_source(request),
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                return redirect("web:case_detail", case.pk)
    return render(request, "web/exchange/import.html", {"form": form}, status=status)


@verified_required
def exchange_keys(request: HttpRequest) -> HttpResponse:
    """This installation's public keys (to give the partner), and the agreements recorded."""
    if not _may_exchange(request.user):
        raise Http404
    public = installation_keys().public()
    if request.GET.get("download"):
        res = HttpResponse(public.to_json(), content_type="application/json")
        res["Content-Disposition"] = f'attachment; filename="{public.name}.public-keys.json"'
        return res
    today = timezone.localdate()
    agreements = [
        {"a": a, "in_force": a.in_force(today)} for a in Agreement.objects.order_by("reference")
    ]
    return render(
        request,
        "web/exchange/keys.html",
        {"public": public, "key_json": public.to_json(), "agreements": agreements},
    )
