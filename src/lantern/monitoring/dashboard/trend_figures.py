"""A trend as a page shows it: the published counts by period as a line, and beneath them the
table of each period's change and whether it is beyond chance (``trends``)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lantern.monitoring.dashboard import charts, service
from lantern.monitoring.dashboard.figures import Figure
from lantern.monitoring.dashboard.publishing import provenance
from lantern.monitoring.dashboard.trends import Change, changes, periods_between
from lantern.monitoring.statistics.dimensions import UNKNOWN, dimension
from lantern.monitoring.statistics.publish import mark
from lantern.monitoring.statistics.table import Table, TableSpec, Unit, unit_title


def series(table: Table) -> list[tuple[str, int | None]]:
    """The published counts by period, every period between the first and the last included
    (zero where nobody was counted), hidden ones as None; the unknown period is left out."""
    by_period = {c.values[0]: c for c in table.cells if c.values[0] != UNKNOWN}
    if not by_period:
        return []
    known = sorted(by_period)
    out: list[tuple[str, int | None]] = []
    for period in periods_between(known[0], known[-1]):
        cell = by_period.get(period)
        out.append((period, None if cell and cell.suppressed else cell.count if cell else 0))
    return out


def _signed(n: int) -> str:
    return ("+" if n > 0 else "") + number_format(n, force_grouping=True)


def _verdict(c: Change) -> str:
    if c.p_value is None:
        return "–"
    p = (
        "< " + number_format(0.001, 3)
        if c.p_value < 0.001
        else "= " + number_format(round(c.p_value, 3), 3)
    )
    if c.beyond_chance:
        return _("Yes (p %(p)s)") % {"p": p}
    return _("No (p %(p)s)") % {"p": p}


def trend(
    user: Any,
    period: str = "year",
    unit: Unit = "children",
    where: tuple[tuple[str, str], ...] = (),
    source: str = "",
) -> tuple[Table, list[Change]]:
    table = service.published_table(
        user, TableSpec(rows=(period,), where=where, unit=unit), source=source, why="trend"
    )
    return table, changes(series(table))


def trend_figure(table: Table, found: list[Change], title: str) -> Figure:
    value = unit_title(table.unit)
    when = str(dimension(table.rows[0]).title)
    points = [{when: c.period, value: c.count} for c in found if c.count is not None]
    svg = charts.lines(points, when, value, None, title) if points else ""
    header = [when, value, _("Change"), _("Change (%)"), _("Beyond chance?")]
    body = [
        [
            c.period,
            mark() if c.count is None else number_format(c.count, force_grouping=True),
            "–" if c.change is None else _signed(c.change),
            "–" if c.relative is None else number_format(round(100 * c.relative), 0) + " %",
            _verdict(c),
        ]
        for c in found
    ]
    notes = [
        *provenance(table),
        (
            _("Change beyond chance"),
            _(
                "Exact test of two Poisson counts (the later count given the sum of both); "
                "beyond chance when p < 0.05. Each change is tested on its own."
            ),
        ),
    ]
    return Figure(
        title=title,
        chart=mark_safe(svg),  # vl-convert escapes the labels it draws
        header=header,
        body=body,
        provenance=notes,
        hidden=sum(c.count is None for c in found),
        labels=1,
    )
