"""A table of counts from the mart: distinct children or cases, by rows and columns, with
filters, and the provenance every figure leaves with.

The result is plain data (:class:`Table`: a tuple of :class:`Cell`, each the codes of its
categories and a count) so that disclosure control, which takes a table of cells and
suppresses the small ones, can run between this service and any output: it returns the same
table with ``cells`` replaced (``dataclasses.replace``), suppressed cells flagged
``suppressed=True``, and says what it did in ``suppression``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.monitoring import mart
from lantern.monitoring.statistics import counting
from lantern.monitoring.statistics.counting import UNIT_KEYS
from lantern.monitoring.statistics.dimensions import UNKNOWN, dimension, mart_dimension

#: what a table counts: the mart's distinct children or cases, or (outside the mart) the
#: persons of the justice chain (``statistics.justice``)
Unit = Literal["children", "cases", "persons"]
#: tables of up to this many dimensions carry all their totals (``Table.margins``)
MARGIN_DIMENSIONS = 3


@dataclass(frozen=True)
class TableSpec:
    """What to count (``unit``), by which dimensions, within which categories."""

    rows: tuple[str, ...]
    cols: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()  # (dimension, code or label)
    unit: Unit = "children"

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.rows + self.cols


@dataclass(frozen=True)
class Cell:
    values: tuple[str, ...]  # one code per dimension of the table, '' = unknown
    count: int
    suppressed: bool = False  # set by disclosure control: publish no figure for it


@dataclass(frozen=True)
class Margin:
    """A total of the table: distinct units over every category of the dimensions left None."""

    values: tuple[str | None, ...]  # per dimension: a code, or None for all of its categories
    count: int
    suppressed: bool = False


@dataclass(frozen=True)
class Provenance:
    agencies: tuple[str, ...]  # the source agencies (lists) the counted records come from
    period: str
    unit: Unit
    #: per dimension shown or filtered: the share of units whose category is unknown
    completeness: dict[str, float]
    linked: bool  # children: distinct linked person keys (record linkage has run)
    built_at: str
    suppression: str = ""  # what disclosure control did, in the reader's words
    #: the first and last registration month of dated records, and the years of all of them
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    years: tuple[int, int] | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    where: tuple[tuple[str, str], ...]  # (dimension, code)
    unit: Unit
    cells: tuple[Cell, ...]
    total: int  # distinct units in the selection (not the sum of cells: see dimensions)
    provenance: Provenance
    #: every total of the table (tables of up to three dimensions): per dimension a category or
    #: None (all of them), the grand total with every dimension None. Distinct counts: a unit in
    #: several cells of a line counts once in its total.
    margins: tuple[Margin, ...] = ()

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.rows + self.cols

    def labelled(self) -> list[dict[str, Any]]:
        """The cells as {dimension title: category label, ..., unit: count} rows."""
        dims = [dimension(n) for n in self.dimensions]
        return [
            {
                **{str(d.title): d.label(v) for d, v in zip(dims, c.values, strict=True)},
                unit_title(self.unit): None if c.suppressed else c.count,
            }
            for c in self.cells
        ]

    def with_cells(
        self,
        cells: tuple[Cell, ...],
        suppression: str,
        margins: tuple[Margin, ...] | None = None,
    ) -> Table:
        """The same table after disclosure control replaced its cells (and margins)."""
        prov = dataclasses.replace(self.provenance, suppression=suppression)
        return dataclasses.replace(
            self,
            cells=cells,
            provenance=prov,
            margins=self.margins if margins is None else margins,
        )

    def entries(self) -> tuple[Cell | Margin, ...]:
        """Every count the table holds: its cells, then its totals."""
        return (*self.cells, *self.margins)

    def margin(self, values: tuple[str | None, ...]) -> Margin | None:
        return next((m for m in self.margins if m.values == values), None)

    @property
    def total_suppressed(self) -> bool:
        """Disclosure control withheld the grand total."""
        grand = self.margin((None,) * len(self.dimensions))
        return bool(grand and grand.suppressed)


def counted(
    rows: tuple[str, ...],
    unit: Unit,
    cells: tuple[Cell, ...],
    total: int,
    agencies: tuple[str, ...],
    period: str,
    *,
    cols: tuple[str, ...] = (),
    where: tuple[tuple[str, str], ...] = (),
    margins: tuple[Margin, ...] = (),
    completeness: dict[str, float] | None = None,
    years: tuple[int, int] | None = None,
    built_at: str = "",
) -> Table:
    """A table counted outside the mart's rows (the justice chain, the perpetrator register), as
    :func:`build_table` gives one: unlinked, stamped ``built_at`` (ISO; now when left out),
    before disclosure control.

    ``completeness`` left out is read from the cells, for a table whose units each sit in one
    cell (a case on one corridor): per dimension, the share of ``total`` in its unknown
    category."""
    dims = rows + cols
    if completeness is None:
        completeness = {
            n: sum(c.count for c in cells if c.values[i] == UNKNOWN) / total if total else 0.0
            for i, n in enumerate(dims)
        }
    return Table(
        rows=rows,
        cols=cols,
        where=where,
        unit=unit,
        cells=cells,
        total=total,
        provenance=Provenance(
            agencies=agencies,
            period=period,
            unit=unit,
            completeness=completeness,
            linked=False,
            built_at=built_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            years=years,
        ),
        margins=margins,
    )


def unit_title(unit: Unit) -> str:
    """The unit counted, as a column title in the reader's language."""
    return {"children": _("Children"), "cases": _("Cases"), "persons": _("Persons")}[unit]


def _period(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[str]
) -> tuple[str, dt.date | None, dt.date | None, tuple[int, int] | None]:
    first, last, years = con.execute(
        f"SELECT min(registration_month) FILTER (WHERE registration_precision <> 'year'), "
        f"max(registration_month) FILTER (WHERE registration_precision <> 'year'), "
        f"list(DISTINCT registration_year) FROM ({sql})",
        params,
    ).fetchone() or (None, None, None)
    if not years:
        return _("no records"), None, None, None
    low, high = min(years), max(years)
    if first is not None and last is not None and (first.year, last.year) == (low, high):
        text = f"{first:%Y-%m}" if first == last else f"{first:%Y-%m} – {last:%Y-%m}"
        return text, first, last, (low, high)
    return (str(low) if low == high else f"{low} – {high}"), None, None, (low, high)


def build_table(spec: TableSpec, path: Path | None = None) -> Table:
    """Count ``spec.unit`` by its dimensions in the mart (the last build, or ``path``)."""
    if not spec.rows:
        raise Invalid(_("Name at least one dimension for the rows."), "rows")
    if spec.unit not in UNIT_KEYS:
        raise Invalid(_("The unit counted is children or cases."), "unit")
    shown = list(dict.fromkeys(spec.dimensions))
    if len(shown) != len(spec.dimensions):
        raise Invalid(_("A dimension can be used only once in a table."), "rows")
    dims = {n: mart_dimension(n) for n in shown}
    where = tuple((n, mart_dimension(n).parse(v)) for n, v in spec.where)
    names = list(dict.fromkeys([*shown, *(n for n, _v in where)]))
    if path is None:
        info = mart.info()
        if info is None:
            raise Invalid(
                _("The statistics mart has not been built yet: run `lantern mart build`.")
            )
        path, built_at = info.path, info.built_at
    else:
        built_at = ""
    cols = ", ".join(counting.col(n) for n in shown)
    # every total of the table, distinct (a unit in several cells counts once in their total)
    groups = (
        f"CUBE ({cols})" if len(shown) <= MARGIN_DIMENSIONS else f"GROUPING SETS (({cols}), ())"
    )
    con = duckdb.connect()
    try:
        rows, known_counts = counting.count(con, path, shown, names, where, spec.unit, groups)
        # the records selected, once each (their agencies and period need no list unnested)
        sql, params = counting.selection(path, [n for n, _c in where], spec.unit, where)
        found = con.execute(
            f"SELECT list(DISTINCT agency ORDER BY agency) FROM ({sql})", params
        ).fetchone()
        agencies = tuple((found or [None])[0] or ())
        period, first, last, years = _period(con, sql, params)
    except duckdb.IOException as exc:
        raise Invalid(_("The statistics mart cannot be read: %(error)s") % {"error": exc}) from exc
    finally:
        con.close()
    cells = tuple(
        sorted(
            (Cell(tuple(r[:-1]), int(r[-1])) for r in rows if None not in r[:-1]),
            key=lambda c: tuple(dims[n].sort_key(v) for n, v in zip(shown, c.values, strict=True)),
        )
    )
    margins = tuple(Margin(tuple(r[:-1]), int(r[-1])) for r in rows if None in r[:-1])
    grand = next((m for m in margins if set(m.values) == {None}), None)
    if grand is None:  # nothing selected: the grand total is a zero of its own
        grand = Margin((None,) * len(shown), 0)
        margins = (*margins, grand)
    total = grand.count
    info = mart.info(path.parent)
    completeness = {
        n: (1 - float(known) / total if total else 0.0)
        for n, known in zip(names, known_counts or (), strict=True)
    }
    return Table(
        rows=spec.rows,
        cols=spec.cols,
        where=where,
        unit=spec.unit,
        cells=cells,
        total=int(total),
        provenance=Provenance(
            agencies=agencies,
            period=period,
            unit=spec.unit,
            completeness=completeness,
            linked=bool(info and info.linked_cases),
            built_at=built_at or (info.built_at if info else ""),
            first_month=first,
            last_month=last,
            years=years,
        ),
        margins=margins,
    )


__all__ = [
    "UNKNOWN",
    "Cell",
    "Margin",
    "Provenance",
    "Table",
    "TableSpec",
    "Unit",
    "build_table",
    "counted",
]
