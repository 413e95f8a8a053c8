"""Loading population tables (``lantern population load``) and finding the one a rate needs.

A file is CSV with the columns area, year, sex, age_group, population (sex and age group as a
code or a label of the ``genders`` and ``age_groups`` lists, blank or "total" for all). Every
row is checked before anything is stored; one bad row refuses the whole file with every row's
reason, and a good file is stored in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.monitoring.population.models import Population, PopulationTable
from lantern.monitoring.statistics.dimensions import dimension
from lantern.taxonomy.countries import country_code_list
from lantern.taxonomy.errors import UnknownCode

COLUMNS = ("area", "year", "sex", "age_group", "population")
ALL = ("", "total", "all")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Loaded:
    table: int
    rows: int
    source: str
    years: tuple[int, ...]


def _area(value: str) -> str:
    """An ISO alpha-3 country when the value names one, else the province as written."""
    try:
        return country_code_list().resolve(value).id
    except UnknownCode:
        return value.strip()


def _category(name: str, value: str) -> str:
    if value.strip().casefold() in ALL:
        return ""
    code = dimension(name).parse(value)
    if code == "":
        raise Invalid(_("unknown is no population group"))
    return code


def _row(number: int, row: dict[str, str]) -> Population:
    """One row, checked; Invalid naming the row and the column."""

    def fail(column: str, reason: str) -> Invalid:
        return Invalid(
            _("row %(row)s, %(column)s: %(reason)s")
            % {"row": number, "column": column, "reason": reason},
            column,
        )

    area = (row.get("area") or "").strip()
    if not area:
        raise fail("area", _("the area is missing"))
    try:
        year = int((row.get("year") or "").strip())
    except ValueError:
        raise fail("year", _("%(value)r is not a year") % {"value": row.get("year")}) from None
    if not 1900 <= year <= 2200:
        raise fail("year", _("%(value)s is not a year") % {"value": year})
    text = (row.get("population") or "").strip().replace(",", "").replace("_", "")
    if not text.isdigit() or int(text) <= 0:
        raise fail(
            "population",
            _("%(value)r is not a positive whole number") % {"value": row.get("population")},
        )
    values: dict[str, str] = {}
    for column, dim in (("sex", "sex"), ("age_group", "age")):
        try:
            values[column] = _category(dim, row.get(column) or "")
        except Invalid as exc:
            raise fail(column, exc.reason) from None
    return Population(
        area=_area(area),
        year=year,
        population=int(text),
        sex=values["sex"],
        age_group=values["age_group"],
    )


def read(text: str) -> list[Population]:
    """The rows of a population file, every one checked; Invalid listing every bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().casefold() for h in reader.fieldnames or ()]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise Invalid(
            _("The file lacks the columns %(columns)s (it needs %(needed)s).")
            % {"columns": ", ".join(missing), "needed": ", ".join(COLUMNS)}
        )
    rows: list[Population] = []
    errors: list[str] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    for number, raw in enumerate(reader, start=2):  # the header is row 1
        if number > MAX_ROWS + 1:
            raise Invalid(_("A population file has at most %(n)s rows.") % {"n": MAX_ROWS})
        data = {(k or "").strip().casefold(): (v or "") for k, v in raw.items()}
        try:
            row = _row(number, data)
        except Invalid as exc:
            errors.append(exc.reason)
            continue
        key = (row.area, row.year, row.sex, row.age_group)
        if key in seen:
            errors.append(
                _("row %(row)s repeats row %(first)s") % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(row)
    if errors:
        raise Invalid("\n".join(errors))
    if not rows:
        raise Invalid(_("The file has no population rows."))
    return rows


def load(path: Path, source: str) -> Loaded:
    """Store a population file under its ``source``, all of it or nothing."""
    source = source.strip()
    if not source:
        raise Invalid(_("Say where the figures come from (--source)."), "source")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
    rows = read(text)
    with transaction.atomic():
        table = PopulationTable.objects.create(source=source[:200], file_name=path.name[:200])
        for row in rows:
            row.table = table
        Population.objects.bulk_create(rows, batch_size=2000)
    return Loaded(table.pk, len(rows), table.source, tuple(sorted({r.year for r in rows})))


@dataclass(frozen=True)
class Denominators:
    """The population of one area and year, by (sex, age group), '' for all; and its source."""

    area: str
    year: int
    source: str
    figures: dict[tuple[str, str], int]


def denominators(year: int, area: str | None = None) -> Denominators:
    """The most recently loaded population of ``year`` (in ``area``, or the only area loaded
    for it); Invalid saying what is loaded otherwise."""
    rows = Population.objects.filter(year=year)
    if area:
        rows = rows.filter(area=_area(area))
    areas = sorted(set(rows.values_list("area", flat=True)))
    if not areas:
        raise Invalid(
            _("No population is loaded for %(year)s%(area)s: run `lantern population load`.")
            % {"year": year, "area": f" ({area})" if area else ""}
        )
    if len(areas) > 1:
        raise Invalid(
            _("Population is loaded for several areas in %(year)s (%(areas)s): choose one.")
            % {"year": year, "areas": ", ".join(areas)},
            "area",
        )
    latest = rows.filter(area=areas[0]).order_by("-table__loaded_at", "-table_id").first()
    assert latest is not None
    table = latest.table
    figures = {
        (r.sex, r.age_group): r.population
        for r in Population.objects.filter(table=table, year=year, area=areas[0])
    }
    return Denominators(areas[0], year, table.source, figures)
