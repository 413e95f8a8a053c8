"""A table as people read it: labels, never codes, and its provenance beside the figures.

Text (a cross-tabulation when the table has columns), CSV (the same layout, provenance as
``#`` lines before it) and JSON (codes and labels both, for machines, with the provenance).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.table import Cell, Table, unit_title

#: what a suppressed cell shows (disclosure control withheld its figure)
SUPPRESSED = "x"


def unit_sentence(table: Table) -> str:
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
    lines = [
        _("Unit: %(unit)s") % {"unit": unit_sentence(table)},
        _("Total: %(total)s") % {"total": number_format(table.total, force_grouping=True)},
        _("Source agencies: %(agencies)s") % {"agencies": ", ".join(p.agencies) or "–"},
        _("Period: %(period)s") % {"period": p.period},
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
    if any(dimension(n).multi for n in table.dimensions):
        lines.append(_("A unit with several values of a dimension is counted under each of them."))
    if p.built_at:
        lines.append(_("Mart built: %(when)s") % {"when": p.built_at})
    return lines


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


def as_json(table: Table) -> str:
    dims = [dimension(n) for n in table.dimensions]
    doc: dict[str, Any] = {
        "unit": table.unit,
        "unit_label": unit_title(table.unit),
        "rows": list(table.rows),
        "cols": list(table.cols),
        "dimensions": {d.name: str(d.title) for d in dims},
        "where": [{"dimension": n, "code": c} for n, c in table.where],
        "total": table.total,
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
