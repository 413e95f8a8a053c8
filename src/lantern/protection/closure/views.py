"""The closure page: the checklist, the caseworker's request, the supervisor's answer.

One URL, four named forms (``request``, ``approve``, ``return``, ``withdraw``); each calls one
service and comes back to this page, or shows it again with what was typed and the service's
reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.cases.models import Case, ClosureStatus, LifecycleState
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.protection.closure import record, service
from lantern.protection.closure.checklist import checklist, open_items
from lantern.protection.closure.forms import ApproveForm, RequestForm, ReturnForm


def _act(request: AuthedRequest, case: Case, name: str, form: forms.Form, pending: Any) -> str:
    """Run the named form's service; the message to show after it."""
    user, src, data = request.user, request_source(request), form.cleaned_data
    if name == "request":
        assert isinstance(form, RequestForm)
        service.request_closure(
            user,
            case,
            outcome=data["outcome"],
            reason=data["reason"],
            justifications=form.justifications(),
            source=src,
        )
        return _("Closure requested: a supervisor will approve it or send it back.")
    if pending is None:
        raise Http404
    if name == "withdraw":
        service.withdraw(user, pending["id"], source=src)
        return _("Closure request withdrawn.")
    if name == "approve":
        service.approve(user, pending["id"], note=data["note"], source=src)
        return _("Closure approved: the case is closed.")
    service.return_request(user, pending["id"], reason=data["reason"], source=src)
    return _("Closure request returned to the caseworker.")


@verified_required
@require_http_methods(["GET", "POST"])
def case_closure(request: AuthedRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = queries.get_case(user, case_id, "transition")
    view = record.closure_view(user, case, request_source(request))
    pending = next((r for r in view["requests"] if r["status"] == ClosureStatus.PENDING), None)
    is_open = case.state != LifecycleState.CLOSED
    may_request = is_open and pending is None
    may_decide = pending is not None and service.may_decide(user, case, pending["id"])
    items = open_items(checklist(case))
    name = str(request.POST.get("form", "")) if request.method == "POST" else ""
    post = request.POST if request.method == "POST" else None
    forms_: dict[str, forms.Form] = {
        "request": RequestForm(post if name == "request" else None, items=items),
        "approve": ApproveForm(post if name == "approve" else None),
        "return": ReturnForm(post if name == "return" else None),
        "withdraw": forms.Form(post if name == "withdraw" else None),
    }
    status = 200
    if request.method == "POST":
        allowed = {
            "request": may_request,
            "approve": may_decide,
            "return": may_decide,
            "withdraw": pending is not None,
        }
        if not allowed.get(name):
            raise Http404
        form = forms_[name]
        status = 400
        if form.is_valid():
            try:
                done = _act(request, case, name, form, pending)
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                messages.success(request, done)
                return redirect(reverse("web:case_closure", args=[case.pk]))
    context = {
        "case": case,
        "view": view,
        "pending": pending,
        "may_request": may_request,
        "may_decide": may_decide,
        "f": forms_,
        "error_form": name if status != 200 else "",
    }
    return render(request, "web/protection/closure.html", context, status=status)
