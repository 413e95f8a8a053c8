"""Routes: origin -> destination corridors (countries, or provinces within them; domestic or
cross-border) from the mart, and the map of where children were exploited and the flows that
brought them there. Every figure is published (small cells hidden) before it is drawn."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lantern.audit import services as audit
from lantern.errors import Invalid
from lantern.monitoring import mart
from lantern.monitoring.dashboard import charts, service
from lantern.monitoring.dashboard.figures import Figure
from lantern.monitoring.dashboard.publishing import figure, grid, label, provenance
from lantern.monitoring.statistics.dimensions import UNKNOWN, dimension
from lantern.monitoring.statistics.publish import publish
from lantern.monitoring.statistics.table import Cell, Table, TableSpec, Unit, counted, unit_title

LEVELS: dict[str, tuple[str, ...]] = {
    "countries": ("origin", "destination", "scope"),
    "provinces": ("origin", "origin_province", "destination", "destination_province", "scope"),
}
#: Corridors drawn as bars (the table beneath has them all).
TOP = 10


def corridors(
    user: Any,
    level: str = "countries",
    unit: Unit = "children",
    where: tuple[tuple[str, str], ...] = (),
    source: str = "",
) -> Table:
    spec = TableSpec(rows=LEVELS[level], where=where, unit=unit)
    return service.published_table(user, spec, source=source, why="routes")


def ranked(table: Table) -> list[Cell]:
    """Largest published corridors first; hidden ones after them, in their table order (their
    place in a ranking would tell something of their size)."""
    shown = sorted((c for c in table.cells if not c.suppressed), key=lambda c: -c.count)
    return shown + [c for c in table.cells if c.suppressed]


def _place(table: Table, cell: Cell, side: str) -> str:
    values = dict(zip(table.rows, cell.values, strict=True))
    where = label(side, values[side])
    province = values.get(f"{side}_province")
    if province:
        where = f"{where} ({province})"
    return where


def corridor_figure(table: Table, title: str) -> Figure:
    value = unit_title(table.unit)
    cells = ranked(table)
    bars = [
        {
            _("Corridor"): f"{_place(table, c, 'origin')} → {_place(table, c, 'destination')}",
            value: c.count,
            str(dimension("scope").title): label("scope", c.values[-1]),
        }
        for c in cells
        if not c.suppressed
    ][:TOP]
    svg = (
        charts.bars(bars, _("Corridor"), value, str(dimension("scope").title), title)
        if bars
        else ""
    )
    header = [str(dimension(n).title) for n in table.rows] + [value]
    body = [
        [label(n, v) for n, v in zip(table.rows, c.values, strict=True)] + [figure(c)]
        for c in cells
    ]
    return Figure(
        title=title,
        chart=mark_safe(svg),  # vl-convert escapes the labels it draws
        header=header,
        body=body,
        provenance=provenance(table),
        hidden=sum(c.suppressed for c in cells),
        labels=len(table.rows),
    )


def organised_corridors(user: Any, source: str = "") -> Table:
    """Cases moved along each corridor by networks the perpetrator register's organised-crime
    rule flags (C182: "links with organized crime"), by country, as the mart's last build
    counted them (:attr:`mart.MartInfo.organised`), published as every figure is: small counts
    withheld with their complements; audited."""
    service.may_view(user)
    info = mart.info()
    if info is None:
        raise Invalid(_("The statistics have not been prepared yet."))
    cells = tuple(Cell(key, n) for key, n in info.organised)
    total = sum(n for _key, n in info.organised)  # a case is on one corridor: sums are exact
    table = counted(
        LEVELS["countries"],
        "cases",
        cells,
        total,
        info.organised_agencies,
        _("all recorded"),
        built_at=info.built_at,
    )
    audit.record(user, "routes", "statistics", "organised_networks", source=source)
    return publish(table)


def map_figure(
    user: Any,
    unit: Unit = "children",
    where: tuple[tuple[str, str], ...] = (),
    source: str = "",
) -> Figure:
    """Children by country of exploitation on the world map, with the published cross-border
    corridors between countries as lines; the destination table beneath."""
    dest = service.published_table(
        user, TableSpec(rows=("destination",), where=where, unit=unit), source=source, why="map"
    )
    flows_table = corridors(user, "countries", unit, where, source)
    counts = {c.values[0]: c.count for c in dest.cells if not c.suppressed and c.values[0]}
    flows = [
        (c.values[0], c.values[1], c.count)
        for c in flows_table.cells
        if not c.suppressed and UNKNOWN not in c.values[:2] and c.values[0] != c.values[1]
    ]
    title = _("Where children were exploited, and the cross-border corridors")
    svg = charts.world(counts, unit_title(unit), title, flows)
    header, body = grid(dest)
    return Figure(
        title=title,
        chart=mark_safe(svg),  # vl-convert escapes the labels it draws
        header=header,
        body=body,
        provenance=provenance(dest),
        hidden=sum(c.suppressed for c in dest.cells),
        labels=1,
    )
