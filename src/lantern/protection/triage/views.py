"""The triage pages: the queue (most urgent first, due and overdue shown plainly) and one item
with its actions: take it, name its duty officer, close it as handled. Each action is one
service call; a refusal shows the item again with what was typed and the service's reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import assignment
from lantern.edges.decorators import allowed
from lantern.edges.errors import page_status, show_error
from lantern.edges.fields import label_of
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.protection.intake.models import Concern
from lantern.protection.triage import service as triage
from lantern.protection.triage import urgency
from lantern.protection.triage.forms import AssignOfficerForm, HandledForm
from lantern.protection.triage.models import TriageItem, TriageStatus, Urgency


def _shown(row: triage.QueueItem, visible: set[int]) -> dict[str, Any]:
    """A row with its labels: urgency, reasons and status in words, never codes."""
    return {
        **row.__dict__,
        "urgency_label": label_of(Urgency, row.urgency),
        "reason_labels": [urgency.REASONS.get(r, r) for r in row.reasons],
        "status_label": label_of(TriageStatus, row.status),
        "concern_labels": [label_of(Concern, c) for c in row.concerns],
        "case_visible": row.case_id in visible,
    }


def _visible(user: Any, case_ids: list[int]) -> set[int]:
    """The cases among ``case_ids`` the user may open (the queue links only those)."""
    return set(
        policy.scope_cases(user, "view").filter(pk__in=case_ids).values_list("pk", flat=True)
    )


@allowed("triage", "view")
@require_http_methods(["GET"])
def queue(request: AuthedRequest) -> HttpResponse:
    rows = triage.queue(request.user)
    visible = _visible(request.user, [r.case_id for r in rows])
    return render(
        request,
        "triage/queue.html",
        {
            "rows": [_shown(r, visible) for r in rows],
            "may_take": policy.allows(request.user, "triage", "take"),
            "hours": triage.due_hours(),
        },
    )


def _forms(request: AuthedRequest, action: str) -> dict[str, forms.Form | None]:
    user = request.user
    posted = request.POST if request.method == "POST" else None
    officers = assignment.workers(user) if policy.allows(user, "triage", "assign") else None
    assign = None
    if officers is not None:
        assign = AssignOfficerForm(posted if action == "assign" else None, officers=officers)
    return {
        "assign_form": assign,
        "handle_form": HandledForm(posted if action == "handle" else None),
    }


ACTIONS = {
    "take": lambda user, item, data, src: triage.take(user, item.pk, src),
    "assign": lambda user, item, data, src: triage.assign(user, item.pk, data["officer"], src),
    "handle": lambda user, item, data, src: triage.handle(user, item.pk, data["note"], src),
}
DONE = {
    "take": (lambda: _("You took the report; the case is now yours."), "case"),
    "assign": (lambda: _("Duty officer named."), "queue"),
    "handle": (lambda: _("Report closed as handled."), "queue"),
}


@allowed("triage", "view")
@require_http_methods(["GET", "POST"])
def item(request: AuthedRequest, item_id: int) -> HttpResponse:
    """GET: the item and what the user may do with it. POST ``action``: take, assign or
    handle, then on to the case (take) or the queue; or the item again with the reason."""
    user = request.user
    row: TriageItem = triage.item_for(user, item_id)
    action = str(request.POST.get("action", "")) if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        raise Http404
    found = _forms(request, action)
    form = found.get(f"{action}_form")
    if action == "assign" and form is None:
        raise Http404  # the form is not on this user's page (RULES triage assign)
    status, error = 200, ""
    if action and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            ACTIONS[action](user, row, data, request_source(request))
        except ProtectionError as exc:
            status = page_status(exc)
            if form is not None and status == 400:
                show_error(form, exc)  # beside the field the user typed, which it names
            else:
                error = exc.reason  # a refusal of the action itself, above the item
        else:
            message, then = DONE[action]
            messages.success(request, message())
            if then == "case":
                return redirect("web:case_detail", row.case_id)
            return redirect(reverse("web:triage_queue"))
    elif form is not None and form.is_bound:
        status = 400
    row = triage.item_for(user, item_id)
    shown = triage.view(row)
    context = {
        "row": _shown(shown, _visible(user, [shown.case_id])),
        "may_take": policy.allows(user, "triage", "take") and row.status == TriageStatus.WAITING,
        "may_close": row.status == TriageStatus.TAKEN
        and (row.taken_by_id == user.pk or policy.allows(user, "triage", "assign")),
        "error": error,
        **found,
    }
    if row.status != TriageStatus.WAITING:
        context["assign_form"] = None
    return render(request, "triage/item.html", context, status=status)
