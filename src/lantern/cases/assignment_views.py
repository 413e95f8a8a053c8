"""A case's owner on its page: who owns it, who did before and why, and the form that assigns it
for those the policy allows (``lantern.cases.assignment``). A refusal shows this page again
with what was typed and the service's reason beside the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.audit.services import request_source
from lantern.cases import assignment, queries
from lantern.cases.forms import AssignForm
from lantern.cases.models import Case
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError


def _history(request: AuthedRequest, case: Case) -> list[dict[str, Any]]:
    """The case's owners in order; the reasons only for those who read them (audited)."""
    steps = assignment.history(case)
    reasons = policy.may_read_field(request.user, "caseassignment.reason")
    if reasons and any(s.reason for s in steps):
        audit.record(
            request.user,
            "view",
            "case",
            case.reference,
            ["caseassignment.reason"],
            source=request_source(request),
        )
    return [
        {
            "at": s.at,
            "from": s.from_owner.username if s.from_owner else "",
            "to": s.to_owner.username if s.to_owner else "",
            "by": s.by.username if s.by else "",
            "reason": s.reason if reasons else None,
        }
        for s in steps
    ]


Act = Callable[[int, str, str], list[assignment.Assignment]]


def assign_with(
    request: HttpRequest, form: AssignForm, act: Act
) -> tuple[list[assignment.Assignment], int]:
    """Run a bound assignment form through ``act`` (one service call, given the owner, the
    reason and the source): what it assigned, or nothing and the page's status with the
    service's reason beside its field. The case page and the caseload page share it."""
    if not form.is_valid():
        return [], 400
    data = form.cleaned_data
    try:
        return act(data["owner"], data["reason"], request_source(request)), 200
    except ProtectionError as exc:
        return [], show_error(form, exc)


@verified_required
@require_http_methods(["GET", "POST"])
def case_assignment(request: AuthedRequest, case_id: int) -> HttpResponse:
    """GET: the Owner section as a page of its own (the case page shows the same section).
    POST: assign, then back to the case page; or this page again with the reason."""
    user = request.user
    case = queries.get_case(user, case_id)
    may_assign = policy.case_allows(user, "assign", case)
    if request.method == "POST" and not may_assign:
        raise Http404
    workers = assignment.workers(user) if may_assign else []
    form = AssignForm(request.POST or None, workers=workers) if may_assign else None
    status = 200
    if form is not None and form.is_bound:
        done, status = assign_with(
            request, form, lambda o, r, src: [assignment.assign(user, case.pk, o, r, src)]
        )
        if done:
            name = done[0].to_owner
            messages.success(request, _("Case assigned to %(name)s.") % {"name": name})
            return redirect(reverse("web:case_detail", args=[case.pk]) + "#assignment")
    case.refresh_from_db(fields=["owner"])
    context = {"case": case, **owner_section(request, case, form)}
    return render(request, "web/assignment.html", context, status=status)


def owner_section(
    request: AuthedRequest, case: Case, form: AssignForm | None = None
) -> dict[str, Any]:
    """What the Owner section shows, on the case page and on its own page: the assignment
    form for those who may assign (``form`` when one was posted) and the owners before."""
    if form is None and policy.case_allows(request.user, "assign", case):
        form = AssignForm(workers=assignment.workers(request.user))
    return {"assign_form": form, "history": _history(request, case)}
