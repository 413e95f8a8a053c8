"""The coordinator's pages: the plan and its programmes, a programme with the progress of each
target (a chart and its table), and the forms that record them. Each view parses a form, calls
one service and renders; a refused form is shown again as typed, with the reason beside it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.errors import submit
from lantern.edges.fields import label_of
from lantern.errors import NotFound
from lantern.response.programmes import service
from lantern.response.programmes.chart import progress_svg
from lantern.response.programmes.forms import PlanForm, ProgrammeForm, TargetForm, ValueForm
from lantern.response.programmes.models import (
    Direction,
    IndicatorKind,
    NationalPlan,
    Programme,
    Target,
)
from lantern.response.programmes.progress import Status

STATUS_LABELS = {
    Status.MET: gettext_lazy("Target met"),
    Status.ON_TRACK: gettext_lazy("On track"),
    Status.UNCERTAIN: gettext_lazy("Uncertain: behind the line, within the uncertainty"),
    Status.BEHIND: gettext_lazy("Behind"),
    Status.NO_DATA: gettext_lazy("No complete year after the baseline yet"),
}


def _status_label(status: Status) -> str:
    return str(STATUS_LABELS[status])


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, **extra}
    return render(request, "web/response/form.html", context, status=status)


@allowed("programme", "view")
def programme_list(request: HttpRequest) -> HttpResponse:
    """The national plans and their programmes, each target with its status."""
    user: Any = request.user
    rows = []
    for programme in service.programmes(user):
        targets = []
        for target in programme.targets.select_related("indicator"):
            got = service.progress(user, target)
            targets.append({"target": target, "status": _status_label(got.assessment.status)})
        rows.append(
            {
                "programme": programme,
                "targets": targets,
                "unapproved": service.unapproved(programme),
            }
        )
    plans = [{"plan": p, "unapproved": service.unapproved(p)} for p in service.plans(user)]
    context = {
        "plans": plans,
        "rows": rows,
        "may_manage": policy.allows(user, "programme", "manage"),
    }
    return render(request, "web/response/programmes.html", context)


def _progress(user: Any, target: Target) -> dict[str, Any]:
    got = service.progress(user, target)
    return {
        "target": target,
        "direction": label_of(Direction, target.direction),
        "kind": label_of(IndicatorKind, target.indicator.kind),
        "entered": target.indicator.kind == IndicatorKind.ENTERED,
        "status": _status_label(got.assessment.status),
        "status_code": got.assessment.status.value,
        "judged_year": got.assessment.year,
        "expected": got.assessment.expected,
        "error": got.error,
        "points": got.points,
        "chart": progress_svg(
            got.points,
            baseline_year=target.baseline_year,
            baseline=target.baseline_value,
            target_year=target.target_date.year,
            target=target.target_value,
            title=target.statement,
        ),
    }


@allowed("programme", "view")
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A programme's governance, and progress against each of its targets."""
    user: Any = request.user
    programme = service.get_programme(user, programme_id)
    context = {
        "programme": programme,
        "partners": programme.partners.all(),
        "unapproved": service.unapproved(programme),
        "targets": [_progress(user, t) for t in programme.targets.select_related("indicator")],
        "rule": service.rule_text(),
        "may_manage": policy.allows(user, "programme", "manage"),
    }
    return render(request, "web/response/programme.html", context)


def _governance(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "responsible": int(data["responsible"]),
        "partners": [int(p) for p in data["partners"]],
    }


@allowed("programme", "manage")
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, national_plan_id: int | None = None) -> HttpResponse:
    """Record the national plan of action, or change it."""
    user: Any = request.user
    plan: NationalPlan | None = None
    if national_plan_id is not None:
        plan = policy.get_or_404(user, "plan", "view", national_plan_id)
    initial = {}
    if plan is not None:
        initial = {
            "title": plan.title,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "responsible": str(plan.responsible_id),
            "partners": [str(p.pk) for p in plan.partners.all()],
            "next_review": plan.next_review,
        }
    form = PlanForm(request.POST or None, initial=initial, kept=service.named(plan))
    status = 200
    if request.method == "POST":
        done, status = submit(
            form,
            lambda d: service.save_plan(
                user,
                title=d["title"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                next_review=d["next_review"],
                plan=plan,
                source=request_source(request),
                **_governance(d),
            ),
        )
        if done is not None:
            return redirect("web:programme_list")
    title = _("Change the national plan") if plan else _("A national plan of action")
    return _form_page(request, form, title, status)


@allowed("programme", "manage")
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_id: int | None = None) -> HttpResponse:
    """Record a time-bound programme, or change it."""
    user: Any = request.user
    programme: Programme | None = None
    initial: dict[str, Any] = {}
    if programme_id is not None:
        programme = service.get_programme(user, programme_id, "manage")
        initial = {
            "plan": str(programme.plan_id),
            "title": programme.title,
            "goal": programme.goal,
            "areas": list(programme.areas),
            "unmatched_areas": list(programme.unmatched_areas),
            "starts_on": programme.starts_on,
            "deadline": programme.deadline,
            "responsible": str(programme.responsible_id),
            "partners": [str(p.pk) for p in programme.partners.all()],
            "review_dates": ", ".join(programme.review_dates),
        }
    form = ProgrammeForm(request.POST or None, initial=initial, kept=service.named(programme))
    status = 200
    if request.method == "POST":
        row, status = submit(
            form,
            lambda d: service.save_programme(
                user,
                plan=int(d["plan"]),
                title=d["title"],
                goal=d["goal"],
                areas=d["areas"],
                starts_on=d["starts_on"],
                deadline=d["deadline"],
                review_dates=d["review_dates"],
                programme=programme,
                source=request_source(request),
                **_governance(d),
            ),
        )
        if row is not None:
            return redirect("web:programme_detail", row.pk)
    title = _("Change the programme") if programme else _("A time-bound programme")
    return _form_page(request, form, title, status)


@allowed("programme", "manage")
@require_http_methods(["GET", "POST"])
def target_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A target of the programme, with the indicator that measures it."""
    user: Any = request.user
    programme = service.get_programme(user, programme_id, "manage")
    form = TargetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done, status = submit(
            form,
            lambda d: service.add_target(
                user,
                programme,
                statement=d["statement"],
                direction=d["direction"],
                baseline_value=d["baseline_value"],
                baseline_year=d["baseline_year"],
                target_value=d["target_value"],
                target_date=d["target_date"],
                indicator_kind=d["indicator_kind"],
                indicator_name=d["indicator_name"],
                unit=d["unit"],
                filters=form.filters(),
                source=request_source(request),
            ),
        )
        if done is not None:
            return redirect("web:programme_detail", programme.pk)
    hint = _(
        "A computed indicator counts, each year, the children (or cases) in Lantern's "
        "statistics that match the filters you choose. An entered one takes the figures you "
        "enter, each with its source."
    )
    title = _("A target of %(programme)s") % {"programme": programme.title}
    return _form_page(request, form, title, status, hint=hint)


@allowed("programme", "manage")
@require_http_methods(["GET", "POST"])
def target_value(request: HttpRequest, target_id: int) -> HttpResponse:
    """A figure for an entered indicator, with its source."""
    user: Any = request.user
    target = service.get_target(user, target_id, "manage")
    if target.indicator.kind != IndicatorKind.ENTERED:
        raise NotFound("No such entered indicator")
    form = ValueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done, status = submit(
            form,
            lambda d: service.enter_value(
                user,
                target,
                year=d["year"],
                value=d["value"],
                low=d["low"],
                high=d["high"],
                source_text=d["source_text"],
                source=request_source(request),
            ),
        )
        if done is not None:
            return redirect("web:programme_detail", target.programme_id)
    title = _("A figure for %(target)s") % {"target": target.statement}
    return _form_page(request, form, title, status)
