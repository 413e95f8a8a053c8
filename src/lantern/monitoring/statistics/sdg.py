"""SDG indicator 16.2.2: detected victims per 100,000 population, by sex, age and form.

The victims are distinct children and adults identified in the year (``build_table`` over the
primary form x sex x age group, through disclosure control: a withheld count withholds its
rate too, which would give it away). The denominators are the population table loaded for that
year (``lantern population load``), named with its source and year on every row. A rate needs
the population of its sex and age group: victims of unknown sex or age, or of an age group the
table does not give (e.g. "Minor, exact age unknown"), count in the totals and get no rate.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from lantern.monitoring.population.service import denominators
from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.publish import Privacy, publish_all
from lantern.monitoring.statistics.render import SUPPRESSED
from lantern.monitoring.statistics.table import TableSpec, build_table

SDG_DIMENSIONS = ("primary_form", "sex", "age")
PER = 100_000


def sdg_rows(
    year: int,
    *,
    area: str | None = None,
    path: Path | None = None,
    threshold: int | None = None,
    dp: Privacy | None = None,
) -> list[list[str]]:
    """The indicator's rows, labelled; the first row is the header."""
    population = denominators(year, area)
    spec = TableSpec(rows=SDG_DIMENSIONS, where=(("year", str(year)),), unit="children")
    (table,) = publish_all([build_table(spec, path)], threshold, dp)
    dims = [dimension(n) for n in SDG_DIMENSIONS]
    header = [
        *(str(d.title) for d in dims),
        _("Victims"),
        _("Population"),
        _("Victims per 100,000"),
        _("Area"),
        _("Year"),
        _("Population source"),
        _("Population year"),
    ]

    def order(values: tuple[str | None, ...]) -> tuple[object, ...]:
        return tuple(
            (0, (0, 0, "")) if v is None else (1, d.sort_key(v))
            for d, v in zip(dims, values, strict=True)
        )

    rows = [header]
    for entry in sorted(table.entries(), key=lambda e: order(e.values)):
        _form, sex, age = entry.values
        if not (entry.count or entry.suppressed) and entry.values != (None, None, None):
            continue
        people = (
            population.figures.get(("" if sex is None else sex, "" if age is None else age))
            if "" not in (sex, age)
            else None
        )
        if entry.suppressed:
            victims, rate = SUPPRESSED, SUPPRESSED
        else:
            victims = str(entry.count)
            rate = f"{entry.count * PER / people:.2f}" if people else ""
        rows.append(
            [
                *(
                    _("Total") if v is None else d.label(v)
                    for d, v in zip(dims, entry.values, strict=True)
                ),
                victims,
                str(people) if people else "",
                rate,
                population.area,
                str(year),
                population.source,
                str(population.year),
            ]
        )
    return rows
