"""A published table as a page shows it: a chart, the same figures as a table beneath (for
screen readers and copying), and the provenance."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lantern.monitoring.dashboard import charts
from lantern.monitoring.dashboard.publishing import grid, label, provenance
from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.table import Table, unit_title


@dataclass(frozen=True)
class Figure:
    title: str
    chart: SafeString
    header: list[str]
    body: list[list[str]]
    provenance: list[tuple[str, str]]
    hidden: int  # figures withheld by disclosure control
    labels: int  # leading columns of the table that are labels, not figures

    @property
    def line(self) -> str:
        """The provenance in one line: unit, period, agencies, suppression (all in the box)."""
        picked = [self.provenance[i] for i in (0, 3, 2, 6) if i < len(self.provenance)]
        return " · ".join(f"{what}: {says}" for what, says in picked)


def chart_rows(table: Table) -> tuple[list[dict[str, object]], str, str | None]:
    """The published cells as chart data: category, group (a second dimension, if any), value;
    hidden cells are left out. Returns (rows, the unit's name, the group's title)."""
    value = unit_title(table.unit)
    dims = table.dimensions
    group = dims[1] if len(dims) > 1 else None
    first = str(dimension(dims[0]).title)
    rows = []
    for c in table.cells:
        if c.suppressed:
            continue
        row: dict[str, object] = {first: label(dims[0], c.values[0]), value: c.count}
        if group:
            row[str(dimension(group).title)] = " / ".join(
                label(n, v) for n, v in zip(dims[1:], c.values[1:], strict=True)
            )
        rows.append(row)
    return rows, value, str(dimension(group).title) if group else None


def bar_figure(table: Table, title: str) -> Figure:
    rows, value, group = chart_rows(table)
    first = str(dimension(table.dimensions[0]).title)
    svg = charts.bars(rows, first, value, group, title) if rows else ""
    header, body = grid(table)
    return Figure(
        title=title,
        chart=mark_safe(svg),  # vl-convert escapes the labels it draws (tested)
        header=header,
        body=body,
        provenance=provenance(table),
        hidden=sum(c.suppressed for c in table.cells),
        labels=len(table.rows),
    )


def describe(table: Table) -> str:
    """A table's title from its dimensions: "Children by Sex × Age group"."""
    titles = [str(dimension(n).title) for n in table.rows]
    if table.cols:
        titles.append(str(dimension(table.cols[0]).title))
    return _("%(unit)s by %(dimensions)s") % {
        "unit": unit_title(table.unit),
        "dimensions": " × ".join(titles),
    }
