"""Community prevention pages: the at-risk register, committees (the facilitator's report form
first, for a phone), campaigns, labour inspections and a rescued child's schooling. Each POST
is one service call; a refusal shows the form again with what was typed and the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.edges.decorators import allowed
from lantern.edges.errors import submit
from lantern.edges.fields import label_of, taxonomy_label
from lantern.edges.typing import AuthedRequest
from lantern.protection.intake.models import Concern, Severity
from lantern.protection.triage.models import Urgency
from lantern.response.community import (
    atrisk,
    campaigns,
    committees,
    education,
    inspections,
    places,
)
from lantern.response.community.forms import (
    AreaFilter,
    AtRiskForm,
    AttendanceForm,
    CampaignForm,
    CommitteeForm,
    EnrolmentForm,
    InspectionForm,
    MemberForm,
    PreventionVisitForm,
    ReachForm,
    ReportForm,
)
from lantern.response.community.models import (
    Audience,
    CommitteeKind,
    ConsentBy,
    EducationKind,
    Material,
    MemberRole,
    PreventionService,
    RiskFactor,
    VisitOutcome,
)


def _posted(request: AuthedRequest, name: str) -> Any:
    """The POST data when this form was the one sent (``form`` names it), else None."""
    if request.method == "POST" and request.POST.get("form") == name:
        return request.POST
    return None


def _id(raw: Any) -> int:
    """An id posted by a page (a hidden field): 0, which names nothing, unless it is one."""
    text = str(raw or "")
    return int(text) if text.isdigit() and 0 < int(text) <= policy.MAX_ID else 0


def _labels(codes: list[str], choices: Any) -> list[Any]:
    return [label_of(choices, c) for c in codes]


# --- the at-risk register ---------------------------------------------------------------------


def _row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "gender_label": taxonomy_label(r["gender"], "genders"),
        "risk_labels": _labels(r["risk_factors"], RiskFactor),
        "service_labels": _labels(r["services"], PreventionService),
        "consent_label": label_of(ConsentBy, r["consent_by"]),
    }


@allowed("atrisk", "view")
@require_http_methods(["GET"])
def atrisk_list(request: AuthedRequest) -> HttpResponse:
    rows = list(atrisk.register_rows(request.user)[:500])
    shown = atrisk.listed(request.user, rows, request_source(request))
    return render(
        request,
        "community/atrisk_list.html",
        {
            "rows": [_row(r) for r in shown],
            "may_manage": policy.allows(request.user, "atrisk", "manage"),
        },
    )


@allowed("atrisk", "manage")
@require_http_methods(["GET", "POST"])
def atrisk_new(request: AuthedRequest) -> HttpResponse:
    form = AtRiskForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        row, status = submit(
            form,
            lambda d: atrisk.register(request.user, atrisk.Referral(**d), request_source(request)),
        )
        if row is not None:
            messages.success(request, _("The child is on the register."))
            return redirect("web:atrisk_child", row.pk)
    return render(request, "community/atrisk_new.html", {"form": form}, status=status)


@allowed("atrisk", "view")
@require_http_methods(["GET", "POST"])
def atrisk_child(request: AuthedRequest, child_id: int) -> HttpResponse:
    """One child: follow-up visits and schooling (forms for those who keep the register)."""
    user, source = request.user, request_source(request)
    child = atrisk.child_for(user, child_id)
    visit_form = PreventionVisitForm(_posted(request, "visit"))
    enrol_form = EnrolmentForm(_posted(request, "enrol"))
    attend_form = AttendanceForm(_posted(request, "attendance"))
    status, done = 200, None
    if request.method == "POST":
        which = request.POST.get("form")
        if not policy.allows(user, "atrisk", "manage"):
            raise Http404  # the forms are not on this reader's page
        if which == "visit":
            done, status = submit(
                visit_form,
                lambda d: atrisk.record_visit(user, child.pk, source=source, **d),
            )
        elif which in ("enrol", "attendance"):
            done, status = _schooling(
                request,
                enrol_form,
                attend_form,
                lambda d: education.enrol(user, child_id=child.pk, source=source, **d),
            )
        elif which == "withdraw":
            atrisk.withdraw(user, child.pk, source)
            messages.success(request, _("Consent withdrawn: the child's record is erased."))
            return redirect("web:atrisk_list")
        else:
            raise Http404
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("web:atrisk_child", child.pk)
    shown = atrisk.detail(user, child, source)
    context = {
        "child": _row(shown),
        "visits": [
            {**v, "outcome_label": label_of(VisitOutcome, v["outcome"])} for v in shown["visits"]
        ],
        "enrolments": _enrolments(education.enrolments(user, child=child, source=source)),
        "may_manage": policy.allows(user, "atrisk", "manage"),
        "visit_form": visit_form,
        "enrol_form": enrol_form,
        "attend_form": attend_form,
    }
    return render(request, "community/atrisk_child.html", context, status=status)


def _schooling(
    request: AuthedRequest,
    enrol_form: forms.Form,
    attend_form: forms.Form,
    enrol: Callable[[dict[str, Any]], Any],
) -> tuple[Any, int]:
    """The schooling forms a child's page carries (an at-risk child's, a case's): the
    enrolment form runs ``enrol``; the attendance form records a month of the enrolment the
    page posted."""
    if request.POST.get("form") == "enrol":
        return submit(enrol_form, enrol)
    enrolment, source = _id(request.POST.get("enrolment", "")), request_source(request)
    return submit(
        attend_form,
        lambda d: education.record_attendance(request.user, enrolment, source=source, **d),
    )


def _enrolments(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**e, "kind_label": label_of(EducationKind, e["kind"])} for e in rows]


# --- a rescued child's schooling --------------------------------------------------------------


@allowed("case", "view")
@require_http_methods(["GET", "POST"])
def case_education(request: AuthedRequest, case_id: int) -> HttpResponse:
    user, source = request.user, request_source(request)
    case = queries.get_case(user, case_id, "view")
    enrol_form = EnrolmentForm(_posted(request, "enrol"))
    attend_form = AttendanceForm(_posted(request, "attendance"))
    status, done = 200, None
    if request.method == "POST":
        which = request.POST.get("form")
        if which not in ("enrol", "attendance"):
            raise Http404
        done, status = _schooling(
            request,
            enrol_form,
            attend_form,
            lambda d: education.enrol(user, case=case, source=source, **d),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("web:case_education", case.pk)
    context = {
        "case": case,
        "enrolments": _enrolments(education.enrolments(user, case=case, source=source)),
        "may_manage": policy.case_allows(user, "protect", case),
        "enrol_form": enrol_form,
        "attend_form": attend_form,
    }
    return render(request, "community/case_education.html", context, status=status)


# --- committees -------------------------------------------------------------------------------


@allowed("committee", "view")
@require_http_methods(["GET", "POST"])
def committee_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    manages = policy.allows(user, "committee", "manage") and user.agency_id is not None
    form = None
    if manages:
        form = CommitteeForm(
            _posted(request, "committee"),
            facilitators=committees.facilitators_of(int(user.agency_id or 0)),
        )
    status = 200
    if request.method == "POST":
        if form is None or request.POST.get("form") != "committee":
            raise Http404
        row, status = submit(
            form,
            lambda d: committees.create(user, source=request_source(request), **d),
        )
        if row is not None:
            messages.success(request, _("Committee set up."))
            return redirect("web:committee", row.pk)
    rows = [
        {"c": c, "kind_label": label_of(CommitteeKind, c.kind), "reports": c.reports.count()}
        for c in committees.committees(user)[:500]
    ]
    return render(
        request,
        "community/committee_list.html",
        {"rows": rows, "form": form, "may_report": policy.allows(user, "committee", "report")},
        status=status,
    )


def _report_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "status_label": committees.STATUS_LABELS[r["status"]],
        "severity_label": label_of(Severity, r["severity"]),
        "urgency_label": label_of(Urgency, r["urgency"]) if r["urgency"] else "",
        "concern_labels": _labels(r["concerns"], Concern),
        "gender_label": taxonomy_label(r["child_gender"], "genders"),
    }


@allowed("committee", "view")
@require_http_methods(["GET", "POST"])
def committee(request: AuthedRequest, committee_id: int) -> HttpResponse:
    """A committee: its area, members (names for those who keep them) and its reports, each
    with what became of it."""
    user, source = request.user, request_source(request)
    row = committees.committee_for(user, committee_id)
    manages = policy.allows(user, "committee", "manage")
    form = MemberForm(_posted(request, "member")) if manages else None
    status = 200
    if request.method == "POST":
        if form is None or request.POST.get("form") != "member":
            raise Http404
        done, status = submit(
            form, lambda d: committees.add_member(user, row.pk, source=source, **d)
        )
        if done is not None:
            messages.success(request, _("Member added."))
            return redirect("web:committee", row.pk)
    members = [
        {**m, "role_label": label_of(MemberRole, m["role"])}
        for m in committees.members(user, row, source)
    ]
    context = {
        "committee": row,
        "kind_label": label_of(CommitteeKind, row.kind),
        "members": members,
        "reports": [_report_row(r) for r in committees.reports(user, row)],
        "form": form,
        "may_report": committees.may_report(user, row),
        "may_place": places.may_place(user, "committee", row),
    }
    return render(request, "community/committee.html", context, status=status)


@allowed("committee", "report")
@require_http_methods(["GET", "POST"])
def committee_report(request: AuthedRequest, committee_id: int) -> HttpResponse:
    """The facilitator's form: what the group saw, where, how grave; on to the committee."""
    user = request.user
    row = committees.committee_for(user, committee_id, "report")
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        done, status = submit(
            form,
            lambda d: committees.record_report(
                user,
                row.pk,
                committees.Seen(**{**d, "child_name": d["child_name"] or ""}),
                request_source(request),
            ),
        )
        if done is not None:
            messages.success(request, _("Report sent to the duty officer. Its status shows below."))
            return redirect("web:committee", row.pk)
    return render(
        request, "community/committee_report.html", {"committee": row, "form": form}, status=status
    )


# --- campaigns --------------------------------------------------------------------------------


def _campaign_row(c: Any) -> dict[str, Any]:
    return {
        "c": c,
        "agency": c.agency.name if c.agency else _("National coordination"),
        "audience_labels": _labels(list(c.audiences), Audience),
        "material_labels": _labels(list(c.materials), Material),
    }


@allowed("campaign", "view")
@require_http_methods(["GET", "POST"])
def campaign_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    manages = policy.allows(user, "campaign", "manage")
    form = CampaignForm(_posted(request, "campaign")) if manages else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        row, status = submit(
            form,
            lambda d: campaigns.create(user, campaigns.Plan(**d), request_source(request)),
        )
        if row is not None:
            messages.success(
                request, _("Campaign recorded. Other campaigns in its area show below.")
            )
            return redirect("web:campaign", row.pk)
    area = str(request.GET.get("area", ""))[:200]
    rows = [_campaign_row(c) for c in campaigns.campaigns(user, area)[:500]]
    return render(
        request,
        "community/campaign_list.html",
        {"rows": rows, "form": form, "area": area, "area_form": AreaFilter(request.GET or None)},
        status=status,
    )


@allowed("campaign", "view")
@require_http_methods(["GET", "POST"])
def campaign(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    row = campaigns.campaign_for(user, campaign_id)
    may_update = policy.scoped(user, "campaign", "manage").filter(pk=row.pk).exists()
    form = ReachForm(_posted(request, "reach")) if may_update else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        done, status = submit(
            form,
            lambda d: campaigns.record_reach(user, row.pk, d["reach"], request_source(request)),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("web:campaign", row.pk)
    others = [
        {**_campaign_row(c), "overlaps": overlaps} for c, overlaps in campaigns.same_area(user, row)
    ]
    context = {"row": _campaign_row(row), "others": others, "form": form}
    return render(request, "community/campaign.html", context, status=status)


# --- labour inspections -----------------------------------------------------------------------


@allowed("inspection", "view")
@require_http_methods(["GET", "POST"])
def inspection_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    records = policy.allows(user, "inspection", "record") and user.agency_id is not None
    form = InspectionForm(_posted(request, "inspection")) if records else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        done, status = submit(
            form,
            lambda d: inspections.record(user, inspections.Visit(**d), request_source(request)),
        )
        if done is not None:
            messages.success(request, _("Inspection visit recorded."))
            return redirect("web:inspections")
    rows = inspections.inspections(user)
    shown = inspections.listed(user, list(rows[:500]), request_source(request))
    context = {
        "totals": inspections.totals(rows),
        "rows": [
            {**i, "sector_label": taxonomy_label(i["sector"], "isic_sections")} for i in shown
        ],
        "form": form,
    }
    return render(request, "community/inspection_list.html", context, status=status)
