"""A table as people read it: labels, never codes, and its provenance beside the figures.

Text (a cross-tabulation when the table has columns), CSV (the same layout, provenance as
``#`` lines before it) and JSON (codes and labels both, for machines, with the provenance).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from lantern.monitoring.statistics.dimensions import agency_names, dimension
from lantern.monitoring.statistics.table import Cell, Table, unit_title

#: what a suppressed cell shows (disclosure control withheld its figure)
SUPPRESSED = "x"


def unit_sentence(table: Table) -> str:
    if table.unit == "persons":
        return _("distinct persons of the justice chain (each register record counted once)")
    if table.unit == "children":
        if table.provenance.linked:
            return _("distinct children (records of one child linked into one)")
        return _("distinct children (each agency's record of a child counted as one child)")
    return _("cases (one agency's record of one child)")


def provenance_lines(table: Table) -> list[str]:
    p = table.provenance
    shown = [*table.dimensions, *(n for n, _c in table.where if n not in table.dimensions)]
    complete = "; ".join(
        _("%(dimension)s %(share)s%% unknown")
        % {
            "dimension": dimension(n).title,
            "share": number_format(round(100 * p.completeness.get(n, 0.0), 1), 1),
        }
        for n in shown
    )
    names = agency_names()
    lines = [
        _("Unit: %(unit)s") % {"unit": unit_sentence(table)},
        _("Total: %(total)s")
        % {
            "total": SUPPRESSED
            if table.total_suppressed
            else number_format(table.total, force_grouping=True)
        },
        _("Source agencies: %(agencies)s")
        % {"agencies": ", ".join(names.get(a, a) for a in p.agencies) or "–"},
        _("Period: %(period)s") % {"period": period_sentence(table)},
    ]
    if table.where:
        lines.append(
            _("Selection: %(filters)s")
            % {
                "filters": "; ".join(
                    f"{dimension(n).title} = {dimension(n).label(c)}" for n, c in table.where
                )
            }
        )
    lines.append(_("Completeness: %(shares)s") % {"shares": complete})
    lines.append(_("Suppression: %(what)s") % {"what": p.suppression or _("none applied")})
    if any(c.suppressed for c in table.cells) or table.total_suppressed:
        lines.append(_("%(mark)s: a count withheld") % {"mark": SUPPRESSED})
    if any(dimension(n).multi for n in table.dimensions):
        lines.append(_("A unit with several values of a dimension is counted under each of them."))
    if p.built_at:
        lines.append(_("Mart built: %(when)s") % {"when": when(p.built_at)})
    return lines


def total_label() -> str:
    """What a total's category reads."""
    return _("Total")


def period_sentence(table: Table) -> str:
    """The period in the reader's words and language ("May 2023 – August 2023", or years when
    some records give only their year), never ISO."""
    p = table.provenance
    if p.first_month is not None and p.last_month is not None:
        first = date_format(p.first_month, "YEAR_MONTH_FORMAT")
        last = date_format(p.last_month, "YEAR_MONTH_FORMAT")
        return first if first == last else f"{first} – {last}"
    if p.years is not None:
        low, high = p.years
        return str(low) if low == high else f"{low} – {high}"
    return p.period  # a table built before the period was kept apart


def when(stamp: str) -> str:
    """A stored ISO time as the reader's language writes a date and time."""
    moment = parse_datetime(stamp)
    if moment is None:
        return stamp
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _figure(cell: Cell | None) -> str:
    if cell is None:
        return "0"
    return SUPPRESSED if cell.suppressed else str(cell.count)


def grid(table: Table) -> list[list[str]]:
    """Header and body: row dimensions' titles then one column per column category (or the
    unit's count when the table has no columns)."""
    nrows = len(table.rows)
    rdims = [dimension(n) for n in table.rows]
    cdims = [dimension(n) for n in table.cols]
    row_keys = list(dict.fromkeys(c.values[:nrows] for c in table.cells))
    col_keys = list(dict.fromkeys(c.values[nrows:] for c in table.cells))
    by_key = {c.values: c for c in table.cells}
    if not table.cols:
        header = [str(d.title) for d in rdims] + [unit_title(table.unit)]
    else:
        header = [str(d.title) for d in rdims] + [
            " / ".join(d.label(v) for d, v in zip(cdims, key, strict=True)) for key in col_keys
        ]
    body = [
        [d.label(v) for d, v in zip(rdims, rkey, strict=True)]
        + [_figure(by_key.get(rkey + ckey)) for ckey in col_keys]
        for rkey in row_keys
    ]
    return [header, *body]


def as_text(table: Table) -> str:
    rows = grid(table)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    nlabels = len(table.rows)
    out = []
    for r in rows:
        out.append(
            "  ".join(
                v.ljust(w) if i < nlabels else v.rjust(w)
                for i, (v, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
        )
    return "\n".join([*out, "", *provenance_lines(table)])


def as_csv(table: Table) -> str:
    buf = io.StringIO()
    for line in provenance_lines(table):
        buf.write(f"# {line}\n")
    csv.writer(buf, lineterminator="\n").writerows(grid(table))
    return buf.getvalue()


def as_xlsx(table: Table) -> bytes:
    """The CSV's layout as a workbook: the table on its first sheet (withheld counts as the
    mark, figures as numbers), the provenance on a second."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("Table"))[:31]
    nlabels = len(table.rows)
    for i, row in enumerate(grid(table)):
        sheet.append(
            [int(v) if i and j >= nlabels and v.isdigit() else v for j, v in enumerate(row)]
        )
    about = book.create_sheet(str(_("Provenance"))[:31])
    for line in provenance_lines(table):
        about.append([line])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def as_json(table: Table) -> str:
    dims = [dimension(n) for n in table.dimensions]
    doc: dict[str, Any] = {
        "unit": table.unit,
        "unit_label": unit_title(table.unit),
        "rows": list(table.rows),
        "cols": list(table.cols),
        "dimensions": {d.name: str(d.title) for d in dims},
        "where": [{"dimension": n, "code": c} for n, c in table.where],
        "total": None if table.total_suppressed else table.total,
        "total_suppressed": table.total_suppressed,
        "margins": [
            {
                "categories": {
                    d.name: None if v is None else {"code": v, "label": d.label(v)}
                    for d, v in zip(dims, m.values, strict=True)
                },
                "count": None if m.suppressed else m.count,
                "suppressed": m.suppressed,
            }
            for m in table.margins
        ],
        "cells": [
            {
                "categories": {
                    d.name: {"code": v, "label": d.label(v)}
                    for d, v in zip(dims, c.values, strict=True)
                },
                "count": None if c.suppressed else c.count,
                "suppressed": c.suppressed,
            }
            for c in table.cells
        ],
        "provenance": {
            "agencies": list(table.provenance.agencies),
            "period": table.provenance.period,
            "completeness_unknown_share": table.provenance.completeness,
            "suppression": table.provenance.suppression,
            "built_at": table.provenance.built_at,
            "lines": provenance_lines(table),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
