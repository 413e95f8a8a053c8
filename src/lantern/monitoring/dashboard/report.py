"""The annual report: the year's published tables, each with its chart (SVG) and provenance,
as PDF (WeasyPrint) or XLSX (openpyxl, the charts as pictures beside their tables), in the
reader's language (en, fr, es). Nothing is fetched while it is made."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import vl_convert as vlc
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Font

from lantern.errors import Invalid
from lantern.monitoring import mart
from lantern.monitoring.dashboard import routes, service
from lantern.monitoring.dashboard.exports import _sheet_name
from lantern.monitoring.dashboard.figures import Figure, bar_figure
from lantern.monitoring.dashboard.trend_figures import series, trend_figure
from lantern.monitoring.dashboard.trends import changes
from lantern.monitoring.statistics.publish import default_threshold
from lantern.monitoring.statistics.render import when
from lantern.monitoring.statistics.table import TableSpec

LANGUAGES = ("en", "fr", "es")
FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class Report:
    year: int
    title: str
    intro: str
    made: str
    sections: list[Figure]


def _refuse(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """WeasyPrint's fetcher: the report holds everything it shows; nothing is fetched."""
    raise ValueError(f"the report fetches nothing ({url})")


def annual(user: Any, year: int, source: str = "") -> Report:
    """The report's sections for ``year``, in the active language."""
    if mart.info() is None:
        raise Invalid(_("The statistics have not been prepared yet."))
    where = (("year", str(year)),)

    def table(rows: tuple[str, ...], cols: tuple[str, ...] = ()) -> Any:
        spec = TableSpec(rows=rows, cols=cols, where=where)
        return service.published_table(user, spec, source=source, why="report")

    years = service.published_table(user, TableSpec(rows=("year",)), source=source, why="report")
    found = series(years)
    if not any(p == str(year) for p, _n in found):
        raise Invalid(_("There are no figures for %(year)s.") % {"year": year}, "year")
    sections = [
        trend_figure(years, changes(found), _("Children identified, by year")),
        bar_figure(table(("age",), ("sex",)), _("Children by age and sex")),
        bar_figure(
            table(("primary_form",), ("sex",)), _("Children by form of exploitation and sex")
        ),
        bar_figure(table(("citizenship",)), _("Children by citizenship")),
        bar_figure(table(("channel",)), _("Children by intake channel")),
        routes.corridor_figure(
            routes.corridors(user, "countries", "children", where, source), _("Top corridors")
        ),
        routes.map_figure(user, "children", where, source),
    ]
    return Report(
        year=year,
        title=_("Trafficked children: annual statistics %(year)s") % {"year": year},
        intro=_(
            "Children identified in %(year)s, from the pseudonymised statistics store. Counts "
            "below %(threshold)s are hidden, with enough others that none can be worked out; "
            "each table says what it counts and where its figures come from."
        )
        % {"year": year, "threshold": default_threshold()},
        made=when(timezone.now().isoformat(timespec="minutes")),  # in the report's language
        sections=sections,
    )


def as_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("dashboard/report.html", {"report": report})
    pdf: bytes = HTML(string=html, url_fetcher=_refuse).write_pdf()
    return pdf


def as_xlsx(report: Report) -> bytes:
    """An About sheet, then one sheet per section: title, chart picture, table, provenance."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _sheet_name(_("About"), 0, set())
    about.append([report.title])
    about.cell(1, 1).font = Font(bold=True, size=14)
    about.append([report.intro])
    about.append([_("Made on %(when)s") % {"when": report.made}])
    used = {about.title}
    for i, fig in enumerate(report.sections, start=1):
        sheet = book.create_sheet(_sheet_name(fig.title, i, used))
        sheet.append([fig.title])
        sheet.cell(1, 1).font = Font(bold=True, size=13)
        start = sheet.max_row + 1
        sheet.append(fig.header)
        for cell in sheet[start]:
            cell.font = Font(bold=True)
        for row in fig.body:
            sheet.append(row[: fig.labels] + [_number(v) for v in row[fig.labels :]])
        sheet.append([])
        for what, says in fig.provenance:
            sheet.append([what, says])
        sheet.column_dimensions["A"].width = 32
        if fig.chart:
            picture = Image(io.BytesIO(vlc.svg_to_png(str(fig.chart), scale=1)))
            column = chr(ord("A") + min(len(fig.header) + 1, 20))
            sheet.add_image(picture, f"{column}2")
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _number(value: str) -> str | int:
    """A published figure as a number in the sheet (labels and marks stay text)."""
    digits = value.replace("\u202f", "").replace("\xa0", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() else value


def render(user: Any, year: int, lang: str, fmt: str, source: str = "") -> bytes:
    """The report for ``year`` in ``lang`` as ``fmt`` (pdf or xlsx)."""
    if lang not in LANGUAGES:
        raise Invalid(_("The report is written in English, French or Spanish (en, fr, es)."))
    if fmt not in FORMATS:
        raise Invalid(_("The report is a PDF or an XLSX file."))
    with translation.override(lang):
        report = annual(user, year, source)
        return as_pdf(report) if fmt == "pdf" else as_xlsx(report)
