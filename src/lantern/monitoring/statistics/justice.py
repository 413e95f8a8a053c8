"""GLOTIP's justice figures: persons brought into formal contact, prosecuted and convicted in a
year, by sex, from the justice chain (``lantern.perpetrators``).

The answer is the statistics service's :class:`Table` (cells of codes and counts, provenance),
so the same disclosure control (``publish``) acts on it before any figure is written. Its
dimensions are ``glotip_indicator`` (UNODC's indicator names) and ``unodc_sex`` (UNODC's
Female, Male, Other, Unknown; a business, a legal person, counts as Other). A person counts once
per indicator and year. The counts read the justice chain's coded steps, never a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from django.utils.translation import gettext as _

from lantern.monitoring.statistics.table import Cell, Provenance, Table, Unit
from lantern.perpetrators import justice
from lantern.perpetrators.models import JusticeStep

INDICATORS = tuple(justice.GLOTIP_STAGES)
SEXES = ("Female", "Male", "Other", "Unknown")
PERSONS = cast(Unit, "persons")  # the unit counted: persons (the mart's units are children)
Publish = Callable[[Table], Table]


def _unchanged(table: Table) -> Table:
    return table


def justice_table(year: int, publish: Publish = _unchanged) -> Table:
    """Persons per GLOTIP justice indicator and sex in ``year``, after ``publish``."""
    counts = justice.glotip_counts(year)
    cells = tuple(
        Cell((indicator, "" if sex == "Unknown" else sex), counts[indicator].get(sex, 0))
        for indicator in INDICATORS
        for sex in SEXES
    )
    steps = JusticeStep.objects.filter(date__year=year).order_by()
    persons = steps.values("perpetrator_id").distinct().count()
    unknown = sum(counts[i].get("Unknown", 0) for i in INDICATORS)
    counted = sum(sum(counts[i].values()) for i in INDICATORS)
    agencies = tuple(sorted(set(steps.values_list("agency__code", flat=True))))
    table = Table(
        rows=("glotip_indicator",),
        cols=("unodc_sex",),
        where=(("year", str(year)),),
        unit=PERSONS,
        cells=cells,
        total=persons,
        provenance=Provenance(
            agencies=agencies,
            period=str(year),
            unit=PERSONS,
            completeness={"unodc_sex": unknown / counted if counted else 0.0},
            linked=False,
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        ),
    )
    return publish(table)


def justice_rows(table: Table) -> list[dict[str, str]]:
    """The table as rows a reader (or UNODC's file) reads: indicator, sex, year, value; a
    suppressed cell is written as UNODC's ``<5``."""
    year = dict(table.where).get("year", "")
    return [
        {
            "Indicator": cell.values[0],
            "Sex": cell.values[1] or "Unknown",
            "Year": year,
            "txtVALUE": "<5" if cell.suppressed else str(cell.count),
        }
        for cell in table.cells
    ]


def verdict_time(year: int) -> str:
    """The median time from identification to verdict for verdicts in ``year``, in words."""
    days = justice.median_days_to_verdict(year)
    if days is None:
        return _("No verdict in %(year)d.") % {"year": year}
    return _("Median time from identification to verdict: %(days)s days.") % {"days": f"{days:g}"}
