"""SDG 16.2.2: population tables loaded with their source (every row checked, all or nothing)
and detected victims per 100,000 by sex, age and form, withheld counts without their rates."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.monitoring.population.models import Population, PopulationTable
from tests import factories

pytestmark = pytest.mark.django_db

POPULATION = """area,year,sex,age_group,population
NPL,2024,total,total,"30,000,000"
NPL,2024,Feminine,total,15500000
NPL,2024,Masculine,total,14500000
NPL,2024,Feminine,15-17 years,400000
NPL,2024,Masculine,child_15_17,380000
NPL,2024,,child_12_14,1000000
"""


def _write(tmp_path, text: str, name: str = "pop.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_population_file_is_stored_with_its_source(tmp_path, cli):
    out = cli("population", "load", str(_write(tmp_path, POPULATION)), "--source", "CBS census")
    assert out.exit_code == 0, out.output
    assert "6 rows (2024)" in out.output
    table = PopulationTable.objects.get()
    assert table.source == "CBS census"
    rows = {(r.sex, r.age_group): r.population for r in Population.objects.filter(table=table)}
    assert rows[("", "")] == 30_000_000
    assert rows[("Feminine", "child_15_17")] == 400_000  # a label, read as its code
    assert rows[("", "child_12_14")] == 1_000_000
    assert AuditEntry.objects.filter(action="load", resource="population").exists()


def test_bad_rows_are_named_and_nothing_is_stored(tmp_path, cli):
    bad = POPULATION + "NPL,20x4,total,total,5\nNPL,2024,Martian,total,5\nNPL,2024,total,total,-3\n"
    bad += "NPL,2024,Feminine,total,15500000\n"
    out = cli("population", "load", str(_write(tmp_path, bad)), "--source", "x")
    assert out.exit_code == 2
    assert "row 8, year: '20x4' is not a year" in out.output
    assert "row 9, sex: Sex has no category 'Martian'" in out.output
    assert "row 10, population: '-3' is not a positive whole number" in out.output
    assert "row 11 repeats row 3" in out.output
    assert not PopulationTable.objects.exists() and not Population.objects.exists()
    missing = cli(
        "population", "load", str(_write(tmp_path, "area,year\nNPL,2024\n")), "--source", "x"
    )
    assert (
        missing.exit_code == 2 and "lacks the columns sex, age_group, population" in missing.output
    )


def test_sdg_gives_rates_per_100000_with_the_population_source(
    tmp_path, settings, cli, fast_passwords
):
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 31)], tmp_path)
    Case.objects.update(
        age_at_identification=16, age_min=16, age_max=16, registration_date=dt.date(2024, 5, 1)
    )
    assert cli("mart", "build").exit_code == 0
    out = tmp_path / "sdg.csv"
    assert cli("report", "sdg", "--year", "2024", "--out", str(out)).exit_code == 2  # no population
    assert (
        cli("population", "load", str(_write(tmp_path, POPULATION)), "--source", "CBS").exit_code
        == 0
    )
    result = cli("report", "sdg", "--year", "2024", "--out", str(out))
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(out.open(encoding="utf-8")))
    assert header[:4] == ["Form of exploitation (primary)", "Sex", "Age group", "Victims"]
    assert header[-2:] == ["Population source", "Population year"]
    assert {(r[-2], r[-1]) for r in rows} == {("CBS", "2024")}
    total = next(r for r in rows if r[:3] == ["Total", "Total", "Total"])
    assert total[3] == "30" and total[4] == "30000000" and total[5] == "0.10"
    girls = [r for r in rows if r[:3] == ["Total", "Feminine", "15-17 years"]]
    for r in girls:
        if r[3] == "x":
            assert r[5] == "x"  # a withheld count withholds its rate
        else:
            assert float(r[5]) == pytest.approx(int(r[3]) * 100_000 / 400_000, abs=0.01)
    assert all(r[3] == "x" or int(r[3]) >= 5 or int(r[3]) == 0 for r in rows)
