"""An indicator's figures by year: counted from Lantern's statistics (``build_table`` over the
mart, with the indicator's unit and filters) or entered with their source.

Every figure leaves with its provenance: where it comes from, how it was made, what it covers
and when. A count's uncertainty is its exact Poisson interval (``progress.poisson_interval``):
the number of children identified in a year varies from year to year even at a constant rate.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.table import TableSpec, Unit, build_table, unit_title
from lantern.response.programmes.models import Indicator, IndicatorKind
from lantern.response.programmes.progress import LEVEL, Point, poisson_interval

#: dimensions an indicator may not filter on: the year is what its series runs over
TIME_DIMENSIONS = frozenset({"year", "quarter", "month"})


def clean_filters(pairs: list[tuple[str, str]]) -> list[list[str]]:
    """Each (dimension, value) as the statistics understand it; Invalid naming the filter."""
    out: list[list[str]] = []
    for name, value in pairs:
        if not str(value).strip():
            continue
        if name in TIME_DIMENSIONS:
            raise Invalid(
                _("filters: an indicator runs over the years; it cannot be filtered by %(dim)s")
                % {"dim": name},
                "filters",
            )
        code = dimension(name).parse(str(value))
        if any(n == name for n, _c in out):
            raise Invalid(_("filters: %(dim)s is given twice") % {"dim": name}, "filters")
        out.append([name, code])
    return out


def describe(filters: list[list[str]]) -> str:
    """The filters in the reader's words ("Province of origin: Terai East; ...")."""
    if not filters:
        return _("every record in the statistics")
    return "; ".join(f"{dimension(n).title}: {dimension(n).label(c)}" for n, c in filters)


def _computed(indicator: Indicator, path: Path | None) -> list[Point]:
    unit: Unit = "cases" if indicator.unit == "cases" else "children"
    where = tuple((n, c) for n, c in indicator.filters)
    table = build_table(TableSpec(rows=("year",), where=where, unit=unit), path)
    covered = build_table(TableSpec(rows=("year",), unit=unit), path)
    counts = {c.values[0]: c.count for c in table.cells if c.values[0]}
    years = sorted({int(c.values[0]) for c in covered.cells if c.values[0]})
    now = timezone.now()
    prov = table.provenance
    source = _("Lantern statistics: the mart built at %(built)s, from %(n)s agencies' records") % {
        "built": prov.built_at or "?",
        "n": len(prov.agencies),
    }
    method = _(
        "%(unit)s counted once each, by year of registration; exact Poisson interval at %(level)s%%"
    ) % {"unit": unit_title(unit), "level": int(LEVEL * 100)}
    if unit == "children" and not prov.linked:
        method += " " + _("(records not yet linked: a child recorded twice counts twice)")
    scope = describe(indicator.filters)
    points = []
    for year in years:
        count = counts.get(str(year), 0)
        low, high = poisson_interval(count)
        points.append(
            Point(
                year=year,
                value=float(count),
                low=low,
                high=high,
                partial=year >= timezone.localdate().year,
                source=source,
                method=method,
                scope=scope,
                computed_at=now.isoformat(timespec="seconds"),
            )
        )
    return points


def _entered(indicator: Indicator) -> list[Point]:
    latest: dict[int, Point] = {}
    for v in indicator.values.order_by("year", "entered_at"):
        latest[v.year] = Point(  # a later entry for the same year replaces the earlier one
            year=v.year,
            value=v.value,
            low=v.low,
            high=v.high,
            partial=False,
            source=v.source,
            method=_("entered by %(who)s")
            % {"who": v.entered_by.username if v.entered_by else "?"},
            scope=_("as the source states"),
            computed_at=v.entered_at.isoformat(timespec="seconds"),
        )
    return [latest[y] for y in sorted(latest)]


def series(indicator: Indicator, path: Path | None = None) -> list[Point]:
    """The indicator's figures, one per year, oldest first."""
    if indicator.kind == IndicatorKind.COMPUTED:
        return _computed(indicator, path)
    return _entered(indicator)
