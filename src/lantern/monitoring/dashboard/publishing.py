"""What leaves the statistics pages: a table after disclosure control, and how its figures and
provenance read.

``_published`` is the one place these pages call disclosure control: the statistics service's
``publish`` step, as the commands, reports and API use it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.monitoring.statistics.dimensions import agency_names, dimension
from lantern.monitoring.statistics.publish import default_threshold, mark, publish
from lantern.monitoring.statistics.render import period_sentence, unit_sentence, when
from lantern.monitoring.statistics.table import Cell, Table, unit_title

#: Suppression on tables larger than this would hold a page too long; the builder refuses them.
MAX_CELLS = 2000


def _keys(table: Table) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The row and the column categories present, each in their dimensions' order."""
    n = len(table.rows)
    rows = list(dict.fromkeys(c.values[:n] for c in table.cells))
    dims = [dimension(d) for d in table.cols]
    cols = sorted(
        dict.fromkeys(c.values[n:] for c in table.cells),
        key=lambda key: tuple(d.sort_key(v) for d, v in zip(dims, key, strict=True)),
    )
    return rows, cols


def _published(table: Table) -> Table:
    """The table through the one disclosure step every statistic leaves by
    (``statistics.publish``): counts below the threshold hidden, with their complements, over
    the cells and the distinct totals alike. Tables too large to suppress on a page are refused."""
    _agency_names.cache_clear()  # names as the directory has them now
    rows, cols = _keys(table)
    if len(rows) * len(cols) > MAX_CELLS:
        raise Invalid(
            _("This table would have %(cells)s cells; choose fewer categories (at most %(max)s).")
            % {
                "cells": number_format(len(rows) * len(cols), force_grouping=True),
                "max": number_format(MAX_CELLS, force_grouping=True),
            }
        )
    return publish(table)


def shown_total(table: Table) -> str:
    """The table's total as published: the mark when it is itself a small count."""
    if table.total_suppressed or 0 < table.total < default_threshold():
        return mark()
    return number_format(table.total, force_grouping=True)


@cache
def _agency_names() -> dict[str, str]:
    """The directory's names, read once per published table (a label per cell)."""
    return agency_names()


def agency_name(code: str) -> str:
    try:
        return _agency_names()[code]
    except KeyError:
        _agency_names.cache_clear()
        return _agency_names().get(code, code)


def label(name: str, code: str) -> str:
    """A category's label as a reader sees it (an agency by its name)."""
    if name == "agency" and code:
        return agency_name(code)
    return dimension(name).label(code)


def figure(cell: Cell | None) -> str:
    if cell is None:
        return "0"
    return mark() if cell.suppressed else number_format(cell.count, force_grouping=True)


def provenance(table: Table) -> list[tuple[str, str]]:
    """Where the figures come from, as (what, says) pairs: unit, agencies by name, period,
    selection, population, completeness of each dimension shown, suppression."""
    p = table.provenance
    shown = [*table.dimensions, *(n for n, _c in table.where if n not in table.dimensions)]
    where = "; ".join(f"{dimension(n).title}: {label(n, c)}" for n, c in table.where)
    items = [
        (_("Counted"), unit_sentence(table)),
        (_("Total"), shown_total(table)),
        (_("Source agencies"), ", ".join(agency_name(a) for a in p.agencies) or "–"),
        (_("Period"), period_sentence(table)),
        (_("Population"), where or _("everyone recorded")),
        (
            _("Completeness"),
            "; ".join(
                _("%(dimension)s: %(share)s%% unknown")
                % {
                    "dimension": dimension(n).title,
                    "share": number_format(round(100 * p.completeness.get(n, 0.0), 1), 1),
                }
                for n in shown
            ),
        ),
        (_("Suppression"), p.suppression or _("none applied")),
    ]
    if any(dimension(n).multi for n in table.dimensions):
        items.append(
            (_("Note"), _("A unit with several values of a dimension is counted under each."))
        )
    if p.built_at:
        items.append((_("Mart built"), when(p.built_at)))
    return items


def provenance_line(table: Table) -> str:
    """The provenance in one line, for a chart's caption."""
    return " · ".join(f"{what}: {says}" for what, says in provenance(table))


def grid(table: Table) -> tuple[list[str], list[list[str]]]:
    """The published table as header and body: row labels, then one column per column category
    (or the unit's count when there are no columns), hidden figures as the mark."""
    return layout(table, figure)


def layout[Shown: (str, str | int)](
    table: Table, show: Callable[[Cell | None], Shown]
) -> tuple[list[str], list[list[Shown]]]:
    """:func:`grid` with each figure as ``show`` writes it (a number, for a spreadsheet)."""
    rows, cols = _keys(table)
    by_key = {c.values: c for c in table.cells}
    header = [str(dimension(n).title) for n in table.rows]
    if table.cols:
        header += [
            " / ".join(label(n, v) for n, v in zip(table.cols, key, strict=True)) for key in cols
        ]
    else:
        header.append(unit_title(table.unit))
    body: list[list[Shown]] = []
    for rkey in rows:
        line: list[Shown] = [label(n, v) for n, v in zip(table.rows, rkey, strict=True)]
        line += [show(by_key.get(rkey + ckey)) for ckey in cols]
        body.append(line)
    return header, body
