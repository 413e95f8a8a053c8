"""The directory's pages: the list with its search box and filters, an organisation with its
services, projects and lessons (and their review), the forms that write them, the review queue
and the coverage of areas of origin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.directory import coverage as coverage_service
from lantern.directory import coverage_map, service
from lantern.directory.forms import FORMS, FilterForm
from lantern.directory.models import EntryStatus
from lantern.directory.present import entry_view
from lantern.edges.decorators import allowed
from lantern.edges.errors import page_status, show_error
from lantern.edges.fields import label_of, taxonomy_label
from lantern.errors import ProtectionError

KIND_LABELS = {
    "organisation": gettext_lazy("Organisation"),
    "service": gettext_lazy("Service"),
    "project": gettext_lazy("Project"),
    "lesson": gettext_lazy("Lesson learned"),
}


def _kind_label(kind: str) -> str:
    return str(KIND_LABELS[kind])


@allowed("organisation", "view")
@require_http_methods(["GET"])
def directory(request: HttpRequest) -> HttpResponse:
    """Organisations filtered by whom they serve; or, with words in the search box, entries of
    every kind whose text holds them, in whatever language they were written."""
    user: Any = request.user
    form = FilterForm(request.GET or None)
    hits: list[dict[str, Any]] = []
    rows: list[Any] = []
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        f = form.cleaned_data if form.is_bound else {}
        if f.get("q"):
            hits = [
                {
                    **entry_view(kind, row),
                    "kind_label": _kind_label(kind),
                    "status_label": label_of(EntryStatus, row.status),
                }
                for kind, row in service.find(user, f["q"], request_source(request))
            ]
        else:
            rows = service.organisations(
                user,
                kind=f.get("type", ""),
                area=(f.get("area") or "").strip(),
                support=f.get("support", ""),
                sex=f.get("sex", ""),
                form=f.get("form", ""),
                age=f.get("age"),
            )
    context = {
        "form": form,
        "rows": rows,
        "hits": hits,
        "searched": bool(form.is_bound and form.is_valid() and form.cleaned_data.get("q")),
        "may_manage": service.may_write(user),
    }
    return render(request, "directory/list.html", context, status=status)


def _entries(user: Any, org: Any) -> dict[str, list[Any]]:
    return {
        kind: list(service.listed(user, kind).filter(organisation=org))
        for kind in service.CHILD_KINDS
    }


STEPS = {"submit": service.submit, "approve": service.approve, "send_back": service.send_back}


@allowed("organisation", "view")
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation, its services, projects and lessons; its agency submits them, a
    coordinator approves or sends them back (POST: step, kind, id)."""
    user: Any = request.user
    org = service.get(user, "organisation", organisation_id)
    status, error = 200, ""
    if request.method == "POST":
        step, kind = request.POST.get("step", ""), request.POST.get("kind", "")
        pk = request.POST.get("id", "")
        try:
            if step not in STEPS or kind not in KIND_LABELS:
                raise Http404
            entry = service.get(user, kind, pk)
            if (entry if kind == "organisation" else entry.organisation).pk != org.pk:
                raise Http404
            STEPS[step](user, kind, entry.pk, request_source(request))
        except ProtectionError as exc:
            status, error = page_status(exc), str(exc.reason)
        else:
            messages.success(request, _("Saved."))
            return redirect("web:directory_organisation", org.pk)
    entries = _entries(user, org)
    context = {
        "org": org,
        "services": entries["service"],
        "projects": entries["project"],
        "lessons": entries["lesson"],
        "may_edit": service.may_manage(user, "organisation", org),
        "may_approve": service.is_approver(user),
        "error": error,
    }
    return render(request, "directory/organisation.html", context, status=status)


def _initial(kind: str, row: Any) -> dict[str, Any]:
    data = dict(entry_view(kind, row)["fields"])
    if "funders" in data:
        data["funders"] = ", ".join(data["funders"])
    data["unmatched_areas"] = list(getattr(row, "unmatched_areas", []) or [])
    return data


def _edit_page(request: HttpRequest, kind: str, row: Any = None, org: Any = None) -> HttpResponse:
    """The form of one entry, new (``row`` None) or changed; refused or invalid, the form
    again as the user typed it, with the reason beside the field."""
    user: Any = request.user
    org = org or (row if kind == "organisation" else getattr(row, "organisation", None))
    extra = {"projects": list(service.listed(user, "project").filter(organisation=org))}
    kwargs = extra if kind == "lesson" else {}
    initial = _initial(kind, row) if row is not None else {}
    form = FORMS[kind](request.POST or None, initial=initial, **kwargs)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            source = request_source(request)
            try:
                if row is not None:
                    saved = service.update(user, kind, row.pk, form.values(), source)
                elif kind == "organisation":
                    saved = service.create_organisation(user, form.values(), source=source)
                else:
                    saved = service.add(user, kind, org.pk, form.values(), source)
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                target = saved if kind == "organisation" else saved.organisation
                return redirect("web:directory_organisation", target.pk)
    context = {"form": form, "kind": kind, "kind_label": _kind_label(kind), "row": row, "org": org}
    return render(request, "directory/form.html", context, status=status)


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, "organisation")


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _edit_page(
        request,
        "organisation",
        service.get(request.user, "organisation", organisation_id, "manage"),
    )


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A new service (``?kind=service``, the default), project or lesson."""
    kind = request.GET.get("kind", "service")
    if kind not in service.CHILD_KINDS:
        raise Http404
    org = service.get(request.user, "organisation", organisation_id, "manage")
    return _edit_page(request, kind, org=org)


def _entry_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _edit_page(request, kind, service.get(request.user, kind, pk, "manage"))


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    return _entry_edit(request, "service", service_id)


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    return _entry_edit(request, "project", project_id)


@allowed("organisation", "manage")
@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, lesson_id: int) -> HttpResponse:
    return _entry_edit(request, "lesson", lesson_id)


@allowed("organisation", "approve")
@require_http_methods(["GET"])
def review(request: HttpRequest) -> HttpResponse:
    """Every entry waiting for a coordinator's approval, oldest first."""
    rows = [
        {**entry_view(kind, row), "kind_label": _kind_label(kind), "row": row}
        for kind, row in service.review_queue(request.user)
    ]
    return render(request, "directory/review.html", {"rows": rows})


@allowed("directory", "coverage")
@require_http_methods(["GET"])
def coverage(request: HttpRequest) -> HttpResponse:
    """Areas of origin by children identified, gaps first: a map of the provinces where their
    boundaries are installed, bars for the other countries, and the table of every area."""
    rows = coverage_service.coverage(request.user)
    maps = [
        {
            "country": c,
            "svg": coverage_map.province_map(
                c,
                rows,
                _("Coverage of the provinces of %(country)s")
                % {"country": taxonomy_label(c, "countries")},
            ),
        }
        for c in coverage_map.countries_with_map(rows)
    ]
    unmapped = [r for r in rows if r.country in coverage_map.countries_without_map(rows)]
    top = max((r.children for r in unmapped), default=0) or 1
    bars = [
        {"row": r, "y": 22 * i, "width": round(300 * r.children / top)}
        for i, r in enumerate(unmapped)
    ]
    context = {
        "rows": rows,
        "maps": maps,
        "unmapped": sorted({r.country for r in unmapped}),
        "bars": bars,
        "height": 22 * len(unmapped) + 4,
        "unplaced": coverage_service.unplaced_activities(request.user),
    }
    return render(request, "directory/coverage.html", context)
