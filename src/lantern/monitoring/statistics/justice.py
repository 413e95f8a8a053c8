"""GLOTIP's justice figures: persons brought into formal contact, prosecuted and convicted in a
year, by sex, from the justice chain (``lantern.perpetrators``).

The answer is the statistics service's :class:`Table`, counting ``persons`` (cells of codes and
counts, every total, provenance), and it leaves only through the one disclosure step every
figure passes (``statistics.publish``). Its
dimensions are ``glotip_indicator`` (UNODC's indicator names) and ``unodc_sex`` (UNODC's
Female, Male, Other, Unknown; a business, a legal person, counts as Other). A person counts once
per indicator and year. The counts read the justice chain's coded steps, never a name.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from lantern.monitoring.statistics.dimensions import GLOTIP_INDICATORS
from lantern.monitoring.statistics.publish import Privacy, mark, publish
from lantern.monitoring.statistics.table import Cell, Margin, Table, counted
from lantern.perpetrators import justice
from lantern.perpetrators.models import JusticeStep

INDICATORS = tuple(justice.GLOTIP_STAGES)
SEXES = ("Female", "Male", "Other", "")  # '' = Unknown, a category of its own
assert INDICATORS == GLOTIP_INDICATORS, "the justice chain and the dimension disagree"


def count_table(year: int) -> Table:
    """Persons per GLOTIP justice indicator and sex in ``year``, with every total (distinct:
    a person prosecuted and convicted is one person in the sex's total), before disclosure
    control. Only :func:`justice_table` lets it out."""
    persons = {  # indicator -> {person id: GLOTIP sex, '' when unknown}
        i: {pk: "" if sex == "Unknown" else sex for pk, sex in seen.items()}
        for i, seen in justice.glotip_persons(year).items()
    }
    cells = tuple(
        Cell((indicator, sex), sum(1 for s in persons[indicator].values() if s == sex))
        for indicator in INDICATORS
        for sex in SEXES
    )
    by_sex: dict[str, set[int]] = defaultdict(set)
    for indicator in INDICATORS:
        for pk, sex in persons[indicator].items():
            by_sex[sex].add(pk)
    everyone = set().union(*by_sex.values()) if by_sex else set()
    margins = (
        *(Margin((i, None), len(persons[i])) for i in INDICATORS),
        *(Margin((None, s), len(by_sex[s])) for s in SEXES),
        Margin((None, None), len(everyone)),
    )
    agencies = tuple(
        sorted(
            set(
                JusticeStep.objects.filter(date__year=year, perpetrator_id__in=everyone)
                .order_by()
                .values_list("agency__code", flat=True)
            )
        )
    )
    return counted(
        ("glotip_indicator",),
        "persons",
        cells,
        len(everyone),
        agencies,
        str(year),
        cols=("unodc_sex",),
        where=(("year", str(year)),),
        margins=margins,
        completeness={"unodc_sex": len(by_sex[""]) / len(everyone) if everyone else 0.0},
        years=(year, year),
    )


def justice_table(year: int, threshold: int | None = None, dp: Privacy | None = None) -> Table:
    """The justice figures of ``year`` as they may leave Lantern: through the one disclosure
    step (``publish``), small counts and their complements withheld, said in the provenance."""
    return publish(count_table(year), threshold, dp)


def justice_rows(table: Table, threshold: int | None = None) -> list[dict[str, str]]:
    """The table as rows a reader (or UNODC's file) reads: indicator, sex, year, value; a
    withheld cell is written as UNODC does (``<5`` at the threshold 5)."""
    year = dict(table.where).get("year", "")
    withheld = mark(threshold)
    return [
        {
            "Indicator": cell.values[0],
            "Sex": cell.values[1] or "Unknown",
            "Year": year,
            "txtVALUE": withheld if cell.suppressed else str(cell.count),
        }
        for cell in table.cells
    ]


def verdict_time(year: int) -> str:
    """The median time from identification to verdict for verdicts in ``year``, in words."""
    days = justice.median_days_to_verdict(year)
    if days is None:
        return _("No verdict in %(year)d.") % {"year": year}
    return _("Median time from identification to verdict: %(days)s days.") % {"days": f"{days:g}"}
