"""The statistics pages: the dashboard, the table builder and its downloads, trends, routes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.monitoring import mart
from lantern.monitoring.dashboard import board, exports, refresh, report, routes, service
from lantern.monitoring.dashboard.figures import bar_figure, describe
from lantern.monitoring.dashboard.forms import RouteForm, TableForm, TrendForm
from lantern.monitoring.dashboard.trend_figures import trend, trend_figure
from lantern.monitoring.statistics.render import when
from lantern.monitoring.statistics.table import Table, Unit


def _mart() -> dict[str, object]:
    """The mart's description for a page, and how fresh its figures are."""
    info = mart.info()
    return {"mart": info, "freshness": refresh.freshness(info)}


#: What the builder shows before anything is chosen.
DEFAULT = {"row": "year", "unit": "children"}


def _built(request: AuthedRequest, why: str) -> tuple[TableForm, Table | None, int]:
    form = TableForm(request.GET or DEFAULT)
    if mart.info() is None:
        return form, None, 200
    if not form.is_valid():
        return form, None, 400
    try:
        table = service.published_table(
            request.user, form.spec(), source=request_source(request), why=why
        )
    except ProtectionError as exc:
        return form, None, show_error(form, exc)
    return form, table, 200


@allowed("statistics", "view")
def table_builder(request: AuthedRequest) -> HttpResponse:
    """Rows, columns, filters and unit, by label; the table as a chart, the table beneath it,
    its provenance, and its downloads."""
    form, table, status = _built(request, "table")
    context: dict[str, object] = {"form": form, **_mart()}
    if table is not None:
        context["figure"] = bar_figure(table, describe(table))
        qs = request.GET.urlencode() or urlencode(DEFAULT)
        context["downloads"] = {
            fmt: f"{reverse(f'monitoring:table_{fmt}')}?{qs}" for fmt in ("csv", "xlsx")
        }
    return render(request, "dashboard/tables.html", context, status=status)


@allowed("statistics", "view")
def table_download(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The builder's table as CSV or XLSX; a choice the builder refuses goes back to it."""
    _form, table, _status = _built(request, "export")
    if table is None or fmt not in ("csv", "xlsx"):
        return redirect(f"{reverse('monitoring:tables')}?{request.GET.urlencode()}")
    title = describe(table)
    if fmt == "csv":
        res = HttpResponse(exports.as_csv(table), content_type="text/csv; charset=utf-8")
    else:
        res = HttpResponse(
            exports.as_xlsx([(title, table)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    res["Content-Disposition"] = f'attachment; filename="lantern-table.{fmt}"'
    return res


@allowed("statistics", "view")
def trends_page(request: AuthedRequest) -> HttpResponse:
    """Counts by year, quarter or month, each period's change and whether it is beyond chance."""
    form = TrendForm(request.GET or None)
    context: dict[str, object] = {"form": form, **_mart()}
    status = 200
    if context["mart"] is not None and (not request.GET or form.is_valid()):
        data = form.cleaned_data if request.GET else {}
        try:
            table, found = trend(
                request.user,
                data.get("period") or "year",
                data.get("unit") or "children",
                form.where() if request.GET else (),
                source=request_source(request),
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            context["figure"] = trend_figure(table, found, describe(table))
    elif request.GET:
        status = 400
    return render(request, "dashboard/trends.html", context, status=status)


@allowed("statistics", "view")
def routes_page(request: AuthedRequest) -> HttpResponse:
    """Origin -> destination corridors, and the map."""
    form = RouteForm(request.GET or None)
    context: dict[str, object] = {"form": form, **_mart()}
    status = 200
    if context["mart"] is not None and (not request.GET or form.is_valid()):
        data = form.cleaned_data if request.GET else {}
        unit: Unit = data.get("unit") or "children"
        where = form.where() if request.GET else ()
        source = request_source(request)
        try:
            table = routes.corridors(
                request.user, data.get("level") or "countries", unit, where, source
            )
            context["map"] = routes.map_figure(request.user, unit, where, source)
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            context["figure"] = routes.corridor_figure(table, _("Corridors: origin → exploitation"))
            organised = routes.organised_corridors(request.user, source)
            if organised.cells:
                context["organised"] = routes.corridor_figure(
                    organised, _("Corridors of networks flagged as organised crime")
                )
    elif request.GET:
        status = 400
    return render(request, "dashboard/routes.html", context, status=status)


@allowed("statistics", "view")
def dashboard(request: AuthedRequest) -> HttpResponse:
    """A few charts, each with its table beneath and its provenance; for one year or all."""
    info = mart.info()
    year = request.GET.get("year", "")
    context: dict[str, object] = {
        "mart": info,
        "freshness": refresh.freshness(info),
        "year": year,
        "years": [],
        "may_refresh": policy.allows(request.user, "statistics", "refresh"),
    }
    status = 200
    if info is not None:
        context["years"] = board.years()
        if year and year not in context["years"]:  # type: ignore[operator]
            context["error"] = _("There are no figures for %(year)s.") % {"year": year}
            status = 400
        else:
            context["figures"] = board.figures(request.user, year, request_source(request))
    return render(request, "dashboard/dashboard.html", context, status=status)


@allowed("statistics", "view")
def annual_report(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The annual report of ``?year=`` (the latest by default) in the reader's language."""
    if mart.info() is None:
        return redirect("monitoring:dashboard")
    years = board.years()
    year = request.GET.get("year") or (years[0] if years else "")
    if year not in years:
        return redirect(f"{reverse('monitoring:dashboard')}?{urlencode({'year': year})}")
    lang = (get_language() or "en")[:2]
    body = report.render(
        request.user,
        int(year),
        lang if lang in report.LANGUAGES else "en",
        fmt,
        request_source(request),
    )
    kind = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    res = HttpResponse(body, content_type=kind)
    res["Content-Disposition"] = f'attachment; filename="lantern-annual-{year}-{lang}.{fmt}"'
    return res


@allowed("statistics", "refresh")
@require_http_methods(["GET", "POST"])
def refresh_page(request: AuthedRequest) -> HttpResponse:
    """Refresh the statistics from the records: a background job, followed here."""
    if request.method == "POST":
        try:
            refresh.request(request.user, source=request_source(request))
        except ProtectionError as exc:
            messages.error(request, str(exc.reason))
        else:
            transaction.on_commit(refresh.start)
        return redirect("monitoring:refresh")
    job = refresh.status()
    info = mart.info()
    context = {"job": job, "mart": info, "built": when(info.built_at) if info else ""}
    if request.headers.get("HX-Request"):
        res = render(request, "dashboard/_refresh_status.html", context)
        if not job.active:
            res["HX-Refresh"] = "true"  # the whole page, with the new mart's date
        return res
    return render(request, "dashboard/refresh.html", context)
