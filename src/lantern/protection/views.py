"""The case's protection sections, the user's work list and the team's caseload.

The case page draws the protection sections in place (``{% protection_sections %}``, one
request, no script); every action posts to one URL, naming its form, so that the page works
without JavaScript. Each domain declares the forms it posts there
(``<domain>.views.CASE_FORMS``); the page dispatches through their ``Registry``: parse the
named form, call its one service, then back to the case page at the form's section with a
confirmation -- or the case page again, at that section, with what the user typed and the
service's own reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import assignment, queries, workflow
from lantern.cases import views as case_views
from lantern.cases.assignment_views import assign_with
from lantern.cases.forms import BulkAssignForm
from lantern.cases.models import Case, Level, LifecycleState
from lantern.cases.services import consent
from lantern.cases.services.consent import ConsentGiver
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.fields import TRI, label_of, taxonomy_label
from lantern.errors import NotAllowed, ProtectionError
from lantern.protection import record, worklists
from lantern.protection.careplan import views as careplan
from lantern.protection.careplan.models import CarePlanStatus
from lantern.protection.followup import views as followup
from lantern.protection.followup.models import WellbeingItem
from lantern.protection.forms import ConsentForm, TransitionForm
from lantern.protection.intake.models import Concern, Severity
from lantern.protection.legal import views as legal
from lantern.protection.legal.models import (
    ProceedingKind,
    ProceedingStatus,
    ProceedingStep,
    TestimonyMeasure,
)
from lantern.protection.referrals import views as referrals
from lantern.protection.referrals.models import ChildField, ReferralStatus
from lantern.protection.registry import CaseForm, Registry, Submission
from lantern.protection.safety import views as safety
from lantern.protection.safety.models import SafePlaceKind
from lantern.protection.tracing import views as tracing
from lantern.protection.tracing.models import FamilyDecision, Relation, TracingStatus


def _consent(s: Submission) -> None:
    d = s.data
    consent.record(
        s.user,
        s.case,
        item=d["item"],
        value=TRI[d["value"]],
        given_by=d["given_by"],
        source=s.source,
    )


# The case's own forms: its lifecycle and the consents it holds. Closing is the closure page's
# (``lantern.protection.closure``): a request, its checklist and a supervisor's approval.
CASE_FORMS = (
    CaseForm(
        "move",
        TransitionForm,
        "lifecycle",
        lambda s: workflow.transition(
            s.user, s.case, str(s.post.get("to", "")), s.data["reason"], s.source
        ),
    ),
    CaseForm("consent", ConsentForm, "consent", _consent),
)

FORMS = Registry(
    CASE_FORMS,
    safety.CASE_FORMS,
    careplan.CASE_FORMS,
    referrals.CASE_FORMS,
    tracing.CASE_FORMS,
    legal.CASE_FORMS,
    followup.CASE_FORMS,
)


# What the page says after a save, per form (any form not named here: "Saved.").
SAVED: dict[str, Any] = {
    "move": _("Saved: the case moved to its new state."),
    "close": _("Saved: the case is closed."),
    "consent": _("Saved: consent recorded."),
    "risk": _("Saved: risk assessment recorded."),
    "place": _("Saved: placement recorded."),
    "end_placement": _("Saved: the placement has ended."),
    "plan": _("Saved: care plan drafted."),
    "plan_action": _("Saved: care plan updated."),
    "refer": _("Saved: referral sent."),
    "answer": _("Saved: the organisation's answer is recorded."),
    "family": _("Saved: family assessment recorded."),
    "legal": _("Saved: proceeding opened."),
    "legal_update": _("Saved: proceeding updated."),
    "legal_event": _("Saved: hearing or interview logged."),
    "baseline": _("Saved: wellbeing baseline recorded."),
    "schedule": _("Saved: visit scheduled."),
    "visit": _("Saved: visit recorded."),
}


def _consent_label(item: str) -> str:
    return str(taxonomy_label(item, "consent_items"))


def _labelled(p: dict[str, Any]) -> dict[str, Any]:
    """The record's codes with their labels, for display (taxonomy codes stay codes)."""
    p["state_label"] = label_of(LifecycleState, p["state"])
    for n in p["next"]:
        n["label"] = label_of(LifecycleState, n["state"])
    for t in p["transitions"]:
        t["from_label"] = label_of(LifecycleState, t["from"])
        t["to_label"] = label_of(LifecycleState, t["to"])
    for r in p["risks"]:
        for k in ("risk_to_child", "risk_to_family", "risk_to_helpers", "level"):
            r[k + "_label"] = label_of(Level, r[k])
    for pl in p["placements"]:
        pl["place"]["kind_label"] = label_of(SafePlaceKind, pl["place"]["kind"])
    for c in p["consents"]:
        c["item_label"] = _consent_label(c["item"])
        c["giver_label"] = label_of(ConsentGiver, c["given_by"]) if c["given_by"] else ""
    for plan in p["care_plans"]:
        plan["status_label"] = label_of(CarePlanStatus, plan["status"])
    for r in p["referrals"]:
        referrals.labelled(r)
        r["fields_labels"] = [label_of(ChildField, f) for f in r["fields_shared"]]
    for f in p["family_assessments"]:
        f["decision_label"] = label_of(FamilyDecision, f["decision"])
        f["risk_label"] = label_of(Level, f["retrafficking_risk"])
    for lp in p["legal"]:
        lp["kind_label"] = label_of(ProceedingKind, lp["kind"])
        lp["status_label"] = label_of(ProceedingStatus, lp["status"])
        lp["measure_labels"] = [label_of(TestimonyMeasure, m) for m in lp["testimony_measures"]]
        for e in lp["events"]:
            e["kind_label"] = label_of(ProceedingStep, e["kind"])
            e["measure_labels"] = [label_of(TestimonyMeasure, m) for m in e["testimony_measures"]]
    for t in p["tracing"]:
        t["relation_label"] = label_of(Relation, t["relation"])
        t["status_label"] = label_of(TracingStatus, t["status"])
    i = p["intake"]
    i["concern_labels"] = [label_of(Concern, c) for c in i.get("concerns") or []]
    i["severity_label"] = label_of(Severity, i.get("severity") or "") or i.get("severity")
    for row in p["wellbeing"]["rows"]:
        row["label"] = label_of(WellbeingItem, row["item"])
    for v in p["wellbeing"]["visits"]:
        v["risk_label"] = label_of(Level, v["retrafficking_risk"])
    return p


Bound = tuple[str, str, forms.Form]  # a posted form: its name, its row, the form as typed


def protection_context(
    request: HttpRequest, case: Case, bound: Bound | None = None
) -> dict[str, Any]:
    """What the protection sections show: the record, labelled, and every form -- the one
    posted (``bound``) as the user typed it, with its reasons."""
    user: Any = request.user
    p = _labelled(record.case_protection(user, case, request_source(request)))
    forms_: dict[str, Any] = {f.name: f.bind(user, case=case) for f in FORMS.case_wide()}
    row_forms: dict[tuple[str, str], forms.Form] = {}
    if bound is not None:
        name, row, form = bound
        if FORMS[name].rows:
            row_forms[(name, row)] = form
        else:
            forms_[name] = form

    def row_form(name: str, pk: int) -> forms.Form:
        return row_forms.get((name, str(pk))) or FORMS[name].bind(user, row=str(pk))

    for plan in p["care_plans"]:
        plan["form"] = row_form("plan_action", plan["id"])
    for r in p["referrals"]:
        r["form"] = row_form("answer", r["id"])
    for lp in p["legal"]:
        lp["form"] = row_form("legal_update", lp["id"])
        lp["event_form"] = row_form("legal_event", lp["id"])
    p["visit_forms"] = [(v, row_form("visit", v["id"])) for v in p["due_visits"]]
    return {
        "case": case,
        "p": p,
        "f": forms_,
        "can_protect": policy.case_allows(user, "protect", case),
        "can_move": policy.case_allows(user, "transition", case),
        "can_refer": policy.case_allows(user, "refer", case),
        "may_approve": policy.allows(user, "care_plan", "approve"),
        "may_trace": policy.allows(user, "tracing", "manage"),
        "may_transfer": policy.case_allows(user, "transfer", case),
        "error_section": FORMS[bound[0]].section if bound else "",
    }


@verified_required
@require_http_methods(["GET", "POST"])
def case_protection(request: HttpRequest, case_id: int) -> HttpResponse:
    """GET: the protection sections (a fragment for htmx, else a page of their own).
    POST: one named form -> one service call -> the case page at the form's section, with a
    confirmation; refused or invalid, the case page again at that section, the form as the
    user typed it beside the reason."""
    user: Any = request.user
    case = queries.get_case(user, case_id, "view")
    if request.method == "GET":
        template = (
            "web/protection/_sections.html"
            if request.headers.get("HX-Request")
            else "web/protection/case.html"
        )
        return render(request, template, protection_context(request, case))
    name = str(request.POST.get("form", ""))
    row = str(request.POST.get("row", ""))
    if name not in FORMS:
        raise Http404
    declared = FORMS[name]
    form = declared.bind(user, request.POST, row, case=case)
    status = 400
    if form.is_valid():
        try:
            declared.act(
                Submission(
                    user,
                    case,
                    form,
                    request.POST,
                    request_source(request),
                    declared.row_of(case, row),
                )
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            messages.success(request, SAVED.get(name, _("Saved.")))
            return redirect(reverse("web:case_detail", args=[case.pk]) + "#" + declared.section)
    return refused_page(request, case, (name, row, form), status)


def refused_page(request: HttpRequest, case: Case, bound: Bound, status: int) -> HttpResponse:
    """The case page itself, every section as usual, the posted form as typed: the form's
    action carries its section's anchor, so the reader lands beside the reason. The page is
    drawn as for a GET (the post is in ``bound`` only), so that no other section of the page
    takes the post for its own."""
    setattr(request, BOUND_ATTR, bound)
    request.method, request.POST = "GET", QueryDict()
    response = case_views.case_detail(request, case.pk)
    response.status_code = status
    return response


BOUND_ATTR = "lantern_protection_bound"  # the posted form, for the sections drawn in the page


def bound_form(request: HttpRequest) -> Bound | None:
    """The protection form this request posted and the page shows again, if any."""
    return getattr(request, BOUND_ATTR, None)


# --- work lists -------------------------------------------------------------------------------


@verified_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The user's tasks, derived from their cases (nothing is stored, so nothing goes stale)."""
    user: Any = request.user
    try:
        tasks = worklists.my_tasks(user)
    except NotAllowed as exc:
        raise Http404 from exc
    rows = [
        {**t.to_dict(), "label": label_of(worklists.TaskKind, t.kind), "url": _task_url(t)}
        for t in tasks
    ]
    return render(
        request,
        "web/protection/my_work.html",
        {
            "tasks": rows,
            "incoming": [
                {**r, "status_label": label_of(ReferralStatus, r["status"])}
                for r in record.incoming_referrals(user)
            ],
        },
    )


UNASSIGNED_SHOWN = 100  # unowned cases listed on the caseload page, oldest first


_TRIAGE_TASKS = {
    worklists.TaskKind.TRIAGE_URGENT,
    worklists.TaskKind.TRIAGE_ESCALATED,
    worklists.TaskKind.TRIAGE_TO_ASSIGN,
}
_NOTE_TASKS = {worklists.TaskKind.NOTE_FOLLOW_UP_DUE, worklists.TaskKind.NOTE_FOLLOW_UP_OVERDUE}


def _task_url(task: worklists.Task) -> str:
    """Where a task is done: the triage queue, the closure request, the notes, or the case."""
    if task.kind in _TRIAGE_TASKS:
        return reverse("web:triage_queue")
    if task.kind == worklists.TaskKind.CLOSURE_AWAITING_APPROVAL:
        return reverse("web:case_closure", args=[task.case_id])
    if task.kind in _NOTE_TASKS:
        return reverse("web:case_notes", args=[task.case_id]) + "#notes"
    return reverse("web:case_detail", args=[task.case_id])


@verified_required
@require_http_methods(["GET", "POST"])
def team_caseload(request: HttpRequest) -> HttpResponse:
    """Open cases per caseworker and state, with what is overdue (supervisors), and the
    unowned cases to give out: ticked ones go to one worker at once, all or none; a refusal
    shows the page again with the boxes still ticked and the reason."""
    user: Any = request.user
    try:
        load = worklists.team_caseload(user)
    except NotAllowed as exc:
        raise Http404 from exc
    states = [s for s in LifecycleState if s != LifecycleState.CLOSED]
    rows = [
        {**r, "states": [(s.label, r["by_state"].get(s, 0)) for s in states]}
        for r in load["caseworkers"]
    ]
    waiting, form, status = _unassigned(user), None, 200
    if waiting is not None:
        listed = list(waiting[:UNASSIGNED_SHOWN])
        posted = [int(v) for v in request.POST.getlist("cases") if v.isdigit()]
        form = BulkAssignForm(
            request.POST or None,
            workers=assignment.workers(user),
            cases=[c.pk for c in listed] + posted,
        )
        if form.is_bound:
            done, status = assign_with(
                request,
                form,
                lambda o, r, src: assignment.assign_many(
                    user, form.cleaned_data["cases"], o, r, src
                ),
            )
            if done:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s case assigned to %(name)s.",
                        "%(n)s cases assigned to %(name)s.",
                        len(done),
                    )
                    % {"n": len(done), "name": done[0].to_owner},
                )
                return redirect(reverse("web:team_caseload") + "#unassigned")
        waiting = {"count": waiting.count(), "cases": listed, "ticked": set(posted)}
    return render(
        request,
        "web/protection/caseload.html",
        {
            "load": load,
            "rows": rows,
            "states": [s.label for s in states],
            "waiting": waiting,
            "assign_form": form,
        },
        status=status,
    )


def _unassigned(user: Any) -> Any:
    """The unowned open cases the user may give out, or None when they may not assign."""
    try:
        return assignment.unassigned(user)
    except NotAllowed:
        return None
