"""Tables in the shapes countries send: UNODC's GLOTIP questionnaire and the C182 / R190 §5
disaggregations, built from :func:`build_table` only.

``publish`` is where disclosure control acts: every table passes through it before a figure is
written (identity by default); a cell it flags ``suppressed`` is written as UNODC's ``<5``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from lantern.monitoring.statistics.dimensions import dimension
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
UNODC_SUPPRESSED = "<5"
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


def _unchanged(table: Table) -> Table:
    return table


def _value(count: int, suppressed: bool) -> str:
    return UNODC_SUPPRESSED if suppressed else f"{count:,}"


def glotip_rows(
    year: int,
    iso3: str,
    *,
    path: Path | None = None,
    unit: Unit = "children",
    publish: Publish = _unchanged,
) -> list[dict[str, str]]:
    """Detected victims in ``year`` as the GLOTIP file's rows: Total, by form of exploitation
    and by citizenship, each by Sex and Age with UNODC's own categories and "Total" margins.
    Citizenship is named as UNODC names countries (M49), where countries' own files use
    nationalities in free text.

    Victims whose primary form is unknown count in the totals, in no form's row (UNODC has no
    such category). Margins are distinct counts of their own, not sums of the cells.
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
    out: list[dict[str, str]] = []

    def emit(dim: str, dims: tuple[str, ...], category: str | None = None) -> None:
        table = publish(build_table(TableSpec(rows=dims, where=where, unit=unit), path))
        margins = {"unodc_sex": "Sex", "unodc_age": "Age"}
        for cell in table.cells:
            values = dict(zip(dims, cell.values, strict=True))
            cat = category if category is not None else values.get("unodc_form", "")
            if "citizenship" in values:
                code = values["citizenship"]
                cat = country_name(code) if code else UNKNOWN
            if not cat:
                continue
            row = {**head, "Dimension": dim, "Category": cat, "Sex": TOTAL, "Age": TOTAL}
            for d, column in margins.items():
                if d in values:
                    row[column] = values[d] or UNKNOWN
            row.update(
                {
                    "Year": str(year),
                    "Unit of measurement": "Counts",
                    "txtVALUE": _value(cell.count, cell.suppressed),
                    "Source": "Lantern",
                }
            )
            out.append(row)

    margins: tuple[tuple[str, ...], ...] = (
        ("unodc_sex",),
        ("unodc_age",),
        ("unodc_sex", "unodc_age"),
    )
    for dims in margins:
        if dims == ("unodc_sex",):
            total = publish(build_table(TableSpec(rows=dims, where=where, unit=unit), path))
            if total.total:
                out.append(
                    {
                        **head,
                        "Dimension": TOTAL,
                        "Category": TOTAL,
                        "Sex": TOTAL,
                        "Age": TOTAL,
                        "Year": str(year),
                        "Unit of measurement": "Counts",
                        "txtVALUE": _value(total.total, False),
                        "Source": "Lantern",
                    }
                )
        emit(TOTAL, dims, TOTAL)
    forms: tuple[tuple[str, ...], ...] = (
        ("unodc_form",),
        ("unodc_form", "unodc_sex"),
        ("unodc_form", "unodc_age"),
        ("unodc_form", "unodc_sex", "unodc_age"),
    )
    for dims in forms:
        emit("by form of exploitation", dims)
    emit("by citizenship", ("citizenship",))
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
    year: int, *, path: Path | None = None, publish: Publish = _unchanged
) -> list[list[str]]:
    """Children identified in ``year`` by form, sector and place, each by sex and age group
    (R190 §5), with labels; the first row is the header."""
    where = (("year", str(year)),)
    sex, age = dimension("sex"), dimension("age")
    header = [_("Dimension"), _("Category"), str(sex.title), str(age.title), _("Children")]
    rows = [header]
    for name in C182_DIMENSIONS:
        d = dimension(name)
        table = publish(build_table(TableSpec(rows=(name, "sex", "age"), where=where), path))
        for cell in table.cells:
            v, s, a = cell.values
            rows.append(
                [
                    str(d.title),
                    d.label(v),
                    sex.label(s),
                    age.label(a),
                    "x" if cell.suppressed else str(cell.count),
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
