"""Cases in CTDC's k-anonymised dataset shape (`lantern export --format ctdc`).

One row per case, in the 2024 column set CTDC publishes (``taxonomy.ctdc.mapping().fields_2024``)
plus ``majorityStatus``, with CTDC's vocabulary: the inverse of what ``cases.importing.ctdc``
reads, so that `lantern import --format ctdc` takes the file back. Before any row leaves, the
quasi-identifiers CTDC protects (year of registration, gender, age, citizenship, country of
exploitation) pass ``lantern.disclosure.kanonymity`` (Datafly, k = 11 by default, as CTDC):

- the year is never generalised (a CTDC row needs it): records are anonymised year by year,
  so every combination of the quasi-identifiers, year included, occurs at least k times;
- age climbs CTDC band (``ageBroad``) -> minor or adult only (``majorityStatus``) -> suppressed;
- gender, citizenship and country of exploitation are kept or suppressed (CTDC's columns take
  no coarser value than a country);
- a suppressed or unknown value is written blank (CTDC's "not known").

What leaves is codes only: no name, no reference, no date finer than the year, no free text.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.disclosure.kanonymity import (
    SUPPRESSED,
    UNKNOWN,
    Hierarchy,
    Report,
    k_anonymise,
    suppress_only,
)
from lantern.taxonomy.ctdc import ctdc_2024_flags, ctdc_gender, mapping

DEFAULT_K = 11
#: CTDC's age bands (``ageBroad``), lowest and highest age (None: open).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0--8", 0, 8),
    ("9--17", 9, 17),
    ("18--20", 18, 20),
    ("21--23", 21, 23),
    ("24--26", 24, 26),
    ("27--29", 27, 29),
    ("30--38", 30, 38),
    ("39--47", 39, 47),
    ("48+", 48, None),
)
MINOR, ADULT = "Minor", "Adult"
#: The quasi-identifiers, as CTDC chose them: what a neighbour, an employer or a reporter could
#: know of a victim. The year is one too, but kept exact (see the module's docstring).
YEAR = "yearOfRegistration"
AGE = "age"  # ageBroad, or only majorityStatus: one quasi-identifier written in two columns
QUASI_IDENTIFIERS = ("gender", AGE, "citizenship", "CountryOfExploitation")


def columns() -> tuple[str, ...]:
    """The file's header: CTDC's 2024 columns, then ``majorityStatus``."""
    return (*mapping().fields_2024, "majorityStatus")


def age_value(low: int | None, high: int | None) -> str:
    """The most precise age CTDC can say without saying more than Lantern knows: the band
    that holds the whole of [low, high], else only minor or adult, else unknown ('')."""
    if low is None and high is None:
        return ""
    lo = low or 0
    for band, a, b in AGE_BANDS:
        if a <= lo and (b is None or (high is not None and high <= b)):
            return band
    if high is not None and high <= 17:
        return MINOR
    if lo >= 18:
        return ADULT
    return ""


def majority(age: str) -> str:
    """The age's majority status (a band or a status; '' when unknown)."""
    if age in ("", MINOR, ADULT):
        return age
    high = next(b for band, _a, b in AGE_BANDS if band == age)
    return MINOR if high is not None and high <= 17 else ADULT


def hierarchies() -> list[Hierarchy]:
    age = Hierarchy(AGE, (majority,), ("ageBroad band", "majorityStatus only", "suppressed"))
    return [
        suppress_only("gender"),
        age,
        suppress_only("citizenship"),
        suppress_only("CountryOfExploitation"),
    ]


@dataclass(frozen=True)
class YearReport:
    year: int
    report: Report


@dataclass(frozen=True)
class ExportReport:
    """What the export did, for the report beside the file."""

    k: int
    cases: int
    written: int
    years: tuple[YearReport, ...]

    @property
    def suppressed(self) -> int:
        return self.cases - self.written

    def lines(self) -> list[str]:
        out = [
            "CTDC k-anonymised export (Lantern)",
            f"k = {self.k}: every combination of the quasi-identifiers occurs at least k times",
            f"Quasi-identifiers: {YEAR} (kept exact; anonymised year by year), gender, "
            "ageBroad/majorityStatus, citizenship, CountryOfExploitation",
            "Method: Datafly (Sweeney 1998): full-domain generalisation, then record suppression",
            f"Cases read: {self.cases}; rows written: {self.written}; "
            f"rows suppressed (left out): {self.suppressed}",
            "Suppressed and unknown values are written blank (CTDC's 'not known').",
            "Never written: names, references, dates finer than the year, free text.",
        ]
        for y in self.years:
            r = y.report
            levels = "; ".join(
                f"{name}: {'as recorded' if level == name else level}"
                for name, level in r.levels.items()
            )
            out.append(
                f"{y.year}: {r.records_in} cases, {r.suppressed} left out "
                f"(allowance {r.allowance}); {levels}"
            )
        return out


def _row(record: dict[str, Any]) -> dict[str, str]:
    """One anonymised record as a CTDC row: QI values written, flags 1 or blank."""
    age = _written(record[AGE])
    row = {c: "" for c in columns()}
    row.update(record["flags"])
    row[YEAR] = str(record[YEAR])
    row["gender"] = _written(record["gender"])
    row["citizenship"] = _written(record["citizenship"])
    row["CountryOfExploitation"] = _written(record["CountryOfExploitation"])
    row["ageBroad"] = "" if age in (MINOR, ADULT) else age
    row["majorityStatus"] = majority(age)
    return row


def _written(value: Any) -> str:
    return "" if value in (SUPPRESSED, UNKNOWN, None) else str(value)


def anonymise(
    records: Iterable[dict[str, Any]], k: int = DEFAULT_K
) -> tuple[list[dict[str, str]], ExportReport]:
    """The records k-anonymised year by year, as CTDC rows, and what was done."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_year[int(r[YEAR])].append(r)
    rows: list[dict[str, str]] = []
    reports = []
    for year in sorted(by_year):
        done = k_anonymise(by_year[year], hierarchies(), k=k)
        rows += [_row(r) for r in done.records]
        reports.append(YearReport(year, done.report))
    total = sum(len(v) for v in by_year.values())
    return rows, ExportReport(k, total, len(rows), tuple(reports))


def flags(
    forms: Iterable[str],
    controls: Iterable[str],
    sectors: Iterable[str],
    sex_types: Iterable[str],
    relationship: str,
) -> dict[str, str]:
    """CTDC's 2024 flags a case's codes set (1; every other flag blank: not known)."""
    found = ctdc_2024_flags(
        exploitation_forms=forms,
        control_methods=controls,
        isic_sections=sectors,
        sex_exploitation_types=sex_types,
        relationship_to_trafficker=relationship or None,
    )
    return {name: str(v) for name, v in found.items()}


def gender(code: str) -> str:
    return (ctdc_gender(code) or "") if code else ""


def write(path: Path, rows: list[dict[str, str]], report: ExportReport) -> Path:
    """The CSV and, beside it, ``<name>.report.txt``; returns the report's path."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns()))
        writer.writeheader()
        writer.writerows(rows)
    beside = report_path(path)
    beside.write_text("\n".join(report.lines()) + "\n", encoding="utf-8")
    return beside


def report_path(path: Path) -> Path:
    return path.with_name(path.stem + ".report.txt")


def classes(rows: Iterable[dict[str, str]]) -> Iterator[tuple[str, ...]]:
    """Each row's combination of the quasi-identifiers as written (for checks)."""
    for r in rows:
        yield (
            r[YEAR],
            r["gender"],
            r["ageBroad"],
            r["majorityStatus"],
            r["citizenship"],
            r["CountryOfExploitation"],
        )
