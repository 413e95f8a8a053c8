"""GLOTIP: records derived from UNODC's published cells come back as the same cells, through
`lantern import`, `lantern mart build`, `lantern stats table` and `lantern report glotip`.

One synthetic record per counted victim (tests/paths.REAL's GLOTIP file: United Kingdom, 2022,
detected victims by form of exploitation). A victim's age is what GLOTIP knows of it, minor or
adult (``ext_IsMinor``), and the registration date only its year: both come in through the
importer as given, never as an exact age or a January registration.
"""

from __future__ import annotations

import csv
import gzip
import io

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from lantern.monitoring.statistics.reports import GLOTIP_COLUMNS
from tests import factories
from tests.paths import REFERENCE

pytestmark = pytest.mark.django_db

GLOTIP = REFERENCE / "real" / "unodc_data_glotip_2025-04-14.csv.gz"
FORMS = {
    "Forced labour": "forced_labour",
    "Sexual exploitation": "sexual_exploitation",
    "Other forms of exploitation": "other",
}
SEXES = {"Female": "Feminine", "Male": "Masculine", "Other": "NonConforming"}
MINOR, ADULT = "0 to 17 years", "18 years or over"


def _published(iso3: str, year: str) -> list[dict[str, str]]:
    with gzip.open(GLOTIP, "rt", encoding="utf-8") as fh:
        return [
            r
            for r in csv.DictReader(fh)
            if r["Iso3_code"] == iso3
            and r["Year"] == year
            and r["Indicator"] == "Detected trafficking victims"
            and r["Dimension"] == "by form of exploitation"
        ]


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def victims(cells: list[dict[str, str]]) -> list[dict[str, str]]:
    """One record per victim the cells count: each sex x age cell, and for each form the
    victims its total has beyond its age margins (sex and age unknown)."""
    rows: list[dict[str, str]] = []

    def add(n: int, form: str, sex: str, age: str) -> None:
        for _ in range(n):
            rows.append(
                {
                    "agency": "gbr-nrm",
                    "agency_type": "government",
                    "source_record_id": f"{age}{len(rows):06d}",
                    "cas_RegistrationDate": "2022",
                    "prs_Gender": sex,
                    "vic_TypeOfExploitation": form,
                    "ext_IsMinor": {"m": "yes", "a": "no"}.get(age, ""),
                }
            )

    margins: dict[tuple[str, str], int] = {}
    for c in cells:
        if c["txtVALUE"] == "<5":
            continue
        if c["Sex"] in SEXES and c["Age"] in (MINOR, ADULT):
            add(
                _number(c["txtVALUE"]),
                FORMS[c["Category"]],
                SEXES[c["Sex"]],
                "m" if c["Age"] == MINOR else "a",
            )
        elif c["Sex"] == "Total":
            margins[(c["Category"], c["Age"])] = _number(c["txtVALUE"])
    for form, code in FORMS.items():
        unknown = margins[(form, "Total")] - margins[(form, MINOR)] - margins[(form, ADULT)]
        add(unknown, code, "NonSpecifiedUnknown", "u")
    return rows


def _csv_cells(output: str) -> list[list[str]]:
    return list(csv.reader(line for line in output.splitlines() if not line.startswith("#")))


def test_britain_2022_by_form_sex_and_age_reproduces_the_published_cells(
    tmp_path, settings, cli, fast_passwords
):
    settings.VAR_DIR = tmp_path / "var"
    cells = _published("GBR", "2022")
    rows = victims(cells)
    factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    path = factories.write_csv(tmp_path / "gbr.csv", rows)
    assert cli("import", str(path), "--user", "coord", "-q").exit_code == 0
    assert Case.objects.count() == len(rows) == 15_099
    assert not Case.objects.exclude(registration_date_precision="year").exists()
    assert not Case.objects.filter(source_record_id__startswith="a", age_min__lt=18).exists()
    assert cli("mart", "build").exit_code == 0

    out = cli(
        "stats",
        "table",
        "--rows",
        "unodc_form,unodc_sex,unodc_age",
        "--where",
        "year=2022",
        "--csv",
    )
    assert out.exit_code == 0, out.output
    header, *body = _csv_cells(out.output)
    assert header == ["Form of exploitation (UNODC)", "Sex (UNODC)", "Age (UNODC)", "Children"]
    ours = {(f, s, a): int(n) for f, s, a, n in body if "Unknown" not in (s, a)}
    theirs = {
        (c["Category"], c["Sex"], c["Age"]): _number(c["txtVALUE"])
        for c in cells
        if c["Sex"] != "Total" and c["Age"] != "Total"
    }
    assert ours == theirs
    assert len(ours) == 13 and sum(ours.values()) == 14_666
    assert "# Unit: distinct children" in out.output

    # adults whose exact age is unknown are not children
    majority = _csv_cells(cli("stats", "table", "--rows", "majority", "--csv").output)
    assert dict(majority[1:]) == {
        "Children (under 18)": "6246",
        "Adults (18 and over)": "8420",
        "Unknown": "433",
    }

    report = tmp_path / "glotip.csv"
    result = cli("report", "glotip", "--year", "2022", "--country", "GBR", "--out", str(report))
    assert result.exit_code == 0, result.output
    with report.open(encoding="utf-8") as fh:
        sent = list(csv.DictReader(fh))
    assert tuple(sent[0]) == GLOTIP_COLUMNS
    by_key = {(r["Dimension"], r["Category"], r["Sex"], r["Age"]): r for r in sent}
    differ = {}
    for c in cells:  # every published cell, margins included, as UNODC wrote it
        mine = by_key[(c["Dimension"], c["Category"], c["Sex"], c["Age"])]
        if mine["txtVALUE"] != c["txtVALUE"]:
            differ[(c["Category"], c["Sex"], c["Age"])] = (mine["txtVALUE"], c["txtVALUE"])
        for column in ("Iso3_code", "Country", "Indicator", "Year", "Unit of measurement"):
            assert mine[column] == c[column]
    # UNODC's own margins leave out the 7 adult victims of sex "Other" that its cells count
    # (740 + 105 + 7 = 852 adults, published 845): Lantern's margins count every victim.
    assert differ == {
        ("Sexual exploitation", "Total", ADULT): ("852", "845"),
        ("Sexual exploitation", "Total", "Total"): ("1,524", "1,517"),
    }
    assert by_key[("Total", "Total", "Total", "Total")]["txtVALUE"] == "15,099"


def test_the_glotip_report_speaks_unodc_vocabulary_only(tmp_path, settings, cli, fast_passwords):
    """Every Indicator, Dimension, Sex and Age the report writes is one the UNODC file uses."""
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 13)], tmp_path)
    Case.objects.filter(pk__in=Case.objects.order_by("id")[:3]).update(
        age_at_identification=None, age_min=None, age_max=None, gender="", primary_form=""
    )
    assert cli("mart", "build").exit_code == 0
    out = tmp_path / "glotip.xlsx"
    assert (
        cli("report", "glotip", "--year", "2024", "--country", "NPL", "--out", str(out)).exit_code
        == 0
    )
    from openpyxl import load_workbook

    sent = list(load_workbook(out).active.iter_rows(values_only=True))
    assert sent[0] == GLOTIP_COLUMNS
    with gzip.open(GLOTIP, "rt", encoding="utf-8") as fh:
        unodc = list(csv.DictReader(fh))
    for i, column in enumerate(GLOTIP_COLUMNS):
        if column in ("Indicator", "Dimension", "Sex", "Age", "Unit of measurement"):
            assert {r[i] for r in sent[1:]} <= {r[column] for r in unodc}, column
    forms = {r[6] for r in sent[1:] if r[5] == "by form of exploitation"}
    assert forms <= {"Total", *FORMS}
    assert any(r[7] == "Unknown" for r in sent[1:]) and any(r[8] == "Unknown" for r in sent[1:])
    assert {r[0] for r in sent[1:]} == {"NPL"}


def test_the_c182_report_gives_each_dimension_by_sex_and_age_group(
    tmp_path, settings, cli, fast_passwords
):
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 9)], tmp_path)
    assert cli("mart", "build").exit_code == 0
    out = tmp_path / "c182.csv"
    assert cli("report", "c182", "--year", "2024", "--out", str(out)).exit_code == 0
    header, *rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert header == ["Dimension", "Category", "Sex", "Age group", "Children"]
    dims = {r[0] for r in rows}
    assert {"Form of exploitation (primary)", "Country of exploitation", "Sector (ISIC)"} <= dims
    assert not any("_" in r[1] or "_" in r[3] for r in rows)  # labels, never codes
