"""Tables in the shapes countries send: UNODC's GLOTIP questionnaire and the C182 / R190 §5
disaggregations, built from :func:`build_table` only.

Every table passes disclosure control (``publish.publish_all``, the tables of a report as one
release) before a figure is written; a withheld count is written as UNODC's ``<5`` (GLOTIP) or
``x`` (C182).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.utils.translation import gettext as _

from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.publish import Privacy, mark, publish_all
from lantern.monitoring.statistics.render import SUPPRESSED
from lantern.monitoring.statistics.table import Table, TableSpec, Unit, build_table
from lantern.taxonomy.countries import country

Publish = Callable[[Table], Table]

GLOTIP_COLUMNS = (
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "txtVALUE",
    "Source",
)
DETECTED = "Detected trafficking victims"
TOTAL = "Total"
UNKNOWN = "Unknown"


#: UN M49 names (UNODC's Country column) where they differ from ISO 3166's short names.
M49_NAMES = {
    "BOL": "Bolivia (Plurinational State of)",
    "CIV": "Côte d’Ivoire",
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia (Federated States of)",
    "GBR": "United Kingdom of Great Britain and Northern Ireland",
    "HKG": "China, Hong Kong Special Administrative Region",
    "IRN": "Iran (Islamic Republic of)",
    "KOR": "Republic of Korea",
    "MAC": "China, Macao Special Administrative Region",
    "MDA": "Republic of Moldova",
    "NLD": "Netherlands (Kingdom of the)",
    "TZA": "United Republic of Tanzania",
    "USA": "United States of America",
    "VAT": "Holy See",
    "VEN": "Venezuela (Bolivarian Republic of)",
}


def country_name(iso3: str) -> str:
    """The country as UNODC's file names it."""
    place = country(iso3)
    return M49_NAMES.get(place.alpha3, place.english_name)


def _value(count: int, suppressed: bool, threshold: int | None) -> str:
    return mark(threshold) if suppressed else f"{count:,}"


def _release(
    specs: Sequence[TableSpec],
    path: Path | None,
    publish: Publish | None,
    threshold: int | None,
    dp: Privacy | None,
) -> list[Table]:
    """A report's tables, through disclosure control as one release (``publish_all``), or
    through the caller's own ``publish`` when given."""
    tables = [build_table(spec, path) for spec in specs]
    if publish is not None:
        return [publish(t) for t in tables]
    return publish_all(tables, threshold, dp)


GLOTIP_CUBE = ("unodc_form", "unodc_sex", "unodc_age")


def glotip_rows(
    year: int,
    iso3: str,
    *,
    path: Path | None = None,
    unit: Unit = "children",
    publish: Publish | None = None,
    threshold: int | None = None,
    dp: Privacy | None = None,
) -> list[dict[str, str]]:
    """Detected victims in ``year`` as the GLOTIP file's rows: Total, by form of exploitation
    and by citizenship, each by Sex and Age with UNODC's own categories and "Total" margins.
    Citizenship is named as UNODC names countries (M49), where countries' own files use
    nationalities in free text.

    The form x sex x age rows are one table and its totals, suppressed together (a withheld
    count is UNODC's "<5"); victims whose primary form is unknown count in the totals, in no
    form's row (UNODC has no such category). Totals are distinct counts, not sums of cells.
    """
    # Region and Subregion are left for UNODC: its file uses the M49 regions, which Lantern's
    # taxonomy (GLOTIP's report regions) does not hold.
    head = {
        "Iso3_code": country(iso3).alpha3,
        "Country": country_name(iso3),
        "Region": "",
        "Subregion": "",
        "Indicator": DETECTED,
    }
    where = (("year", str(year)),)
    cube, by_country = _release(
        [
            TableSpec(rows=GLOTIP_CUBE, where=where, unit=unit),
            TableSpec(rows=("citizenship",), where=where, unit=unit),
        ],
        path,
        publish,
        threshold,
        dp,
    )
    out: list[dict[str, str]] = []

    def row(dim: str, cat: str, sex: str, age: str, count: int, hidden: bool) -> None:
        out.append(
            {
                **head,
                "Dimension": dim,
                "Category": cat,
                "Sex": sex,
                "Age": age,
                "Year": str(year),
                "Unit of measurement": "Counts",
                "txtVALUE": _value(count, hidden, threshold),
                "Source": "Lantern",
            }
        )

    entries = {e.values: e for e in cube.entries()}
    if cube.total:
        grand = entries[(None, None, None)]
        row(TOTAL, TOTAL, TOTAL, TOTAL, grand.count, grand.suppressed)
    dims = [dimension(n) for n in GLOTIP_CUBE]

    def order(values: tuple[str | None, ...]) -> tuple[object, ...]:
        return tuple(
            (0, (0, 0, "")) if v is None else (1, d.sort_key(v))
            for d, v in zip(dims, values, strict=True)
        )

    def shape(values: tuple[str | None, ...]) -> tuple[bool, ...]:
        return tuple(v is not None for v in values)

    # UNODC's order: the totals by sex, by age, by both; then each form, by sex, age and both
    groupings = [
        (False, True, False),
        (False, False, True),
        (False, True, True),
        (True, False, False),
        (True, True, False),
        (True, False, True),
        (True, True, True),
    ]
    for grouping in groupings:
        for values in sorted((v for v in entries if shape(v) == grouping), key=order):
            form, sex, age = values
            e = entries[values]
            if form == "" or not (e.count or e.suppressed):
                continue  # no form known: in the totals only; nobody counted: no row

            row(
                TOTAL if form is None else "by form of exploitation",
                TOTAL if form is None else form,
                TOTAL if sex is None else sex or UNKNOWN,
                TOTAL if age is None else age or UNKNOWN,
                e.count,
                e.suppressed,
            )
    for cell in by_country.cells:
        (code,) = cell.values
        name = country_name(code) if code else UNKNOWN
        row("by citizenship", name, TOTAL, TOTAL, cell.count, cell.suppressed)
    return out


#: C182 art. 22 / R190 §5: each dimension by sex and age group.
C182_DIMENSIONS = (
    "primary_form",
    "form",
    "sector",
    "citizenship",
    "destination",
    "destination_province",
    "scope",
)


def c182_rows(
    year: int,
    *,
    path: Path | None = None,
    publish: Publish | None = None,
    threshold: int | None = None,
    dp: Privacy | None = None,
) -> list[list[str]]:
    """Children identified in ``year`` by form, sector and place, each by sex and age group
    (R190 §5), with labels; the first row is the header. The tables share their sex x age
    totals, so they are published as one release (``publish_all``)."""
    where = (("year", str(year)),)
    sex, age = dimension("sex"), dimension("age")
    header = [_("Dimension"), _("Category"), str(sex.title), str(age.title), _("Children")]
    rows = [header]
    specs = [TableSpec(rows=(name, "sex", "age"), where=where) for name in C182_DIMENSIONS]
    tables = _release(specs, path, publish, threshold, dp)
    for name, table in zip(C182_DIMENSIONS, tables, strict=True):
        d = dimension(name)
        for cell in table.cells:
            v, s, a = cell.values
            rows.append(
                [
                    str(d.title),
                    d.label(v),
                    sex.label(s),
                    age.label(a),
                    SUPPRESSED if cell.suppressed else str(cell.count),
                ]
            )
    return rows


def write_rows(rows: Iterable[list[str]], out: Path) -> None:
    """CSV, or XLSX when ``out`` ends in .xlsx."""
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(list(row))
        book.save(out)
        return
    with out.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def glotip_table(rows: list[dict[str, str]]) -> list[list[str]]:
    return [list(GLOTIP_COLUMNS), *([r[c] for c in GLOTIP_COLUMNS] for r in rows)]
