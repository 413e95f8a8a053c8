"""The dashboard: a few charts for coordinators and analysts, each with its table and its
provenance; optionally for one year."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.monitoring.dashboard import routes, service
from lantern.monitoring.dashboard.categories import present
from lantern.monitoring.dashboard.figures import Figure, bar_figure
from lantern.monitoring.dashboard.trend_figures import trend, trend_figure
from lantern.monitoring.statistics.table import TableSpec


def years() -> list[str]:
    """The years in the mart, latest first."""
    return sorted((y for y in present().get("year", ()) if y), reverse=True)


def figures(user: Any, year: str = "", source: str = "") -> list[tuple[str, Figure]]:
    """(anchor, figure) for each chart of the dashboard."""
    where = (("year", year),) if year else ()

    def table(rows: tuple[str, ...], cols: tuple[str, ...] = ()) -> Any:
        spec = TableSpec(rows=rows, cols=cols, where=where)
        return service.published_table(user, spec, source=source, why="dashboard")

    out: list[tuple[str, Figure]] = []
    if not year:
        t, found = trend(user, "year", "children", source=source)
        out.append(("by-year", trend_figure(t, found, _("Children identified, by year"))))
    out.append(
        (
            "by-form",
            bar_figure(
                table(("year",), ("primary_form",)),
                _("Children by year and form of exploitation"),
            ),
        )
    )
    out.append(("by-sex-age", bar_figure(table(("age",), ("sex",)), _("Children by age and sex"))))
    corridors = routes.corridors(user, "countries", "children", where, source)
    out.append(("corridors", routes.corridor_figure(corridors, _("Top corridors"))))
    out.append(("map", routes.map_figure(user, "children", where, source)))
    return out
