"""Strict columns (#16 item 4): a misspelt column refuses the file, naming it and the column
it probably meant, instead of importing its values as unknown; every unknown code value says
what it probably meant."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.importing import import_file
from lantern.cases.importing.columns import known_columns
from lantern.cases.importing.rows import parse_row
from lantern.cases.models import Case, Person
from lantern.simulation.codes import RECORD_COLUMNS
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

MISSPELT = {
    "prs_Gender": "prs_gender",
    "vic_TypeOfExploitation": "vic_TypeOfExploitaton",
    "prs_Citizenship": "citizenship",
}
EXPECTED = [
    "prs_gender: unknown column; did you mean prs_Gender?",
    "citizenship: unknown column; did you mean prs_Citizenship?",
    "vic_TypeOfExploitaton: unknown column; did you mean vic_TypeOfExploitation?",
]


@pytest.fixture
def coordinator():
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def _misspelt(i: int) -> dict[str, str]:
    row = factories.record(i)
    return {MISSPELT.get(k, k): v for k, v in row.items()}


def _file(tmp_path: Path, rows: int = 30) -> Path:
    return factories.write_csv(tmp_path / "records.csv", [_misspelt(i) for i in range(rows)])


def _counts() -> tuple[int, int, int]:
    return Case.objects.count(), Person.objects.count(), AuditEntry.objects.count()


def test_the_known_columns_are_the_documented_ones():
    documented = set(
        re.findall(r"^\| `(\w+)` \|", (ROOT / "docs/record-format.md").read_text(), re.M)
    )
    assert known_columns() == documented == set(RECORD_COLUMNS)


def test_a_full_row_reads_no_column_outside_the_known_ones():
    class Reads(dict):
        asked: set[str] = set()

        def get(self, key, default=None):
            self.asked.add(key)
            return super().get(key, default)

    row = Reads(factories.record(1))
    assert not isinstance(parse_row(1, row), list)
    assert {k for k in Reads.asked if k and not k.startswith("__")} <= known_columns()


def test_misspelt_columns_refuse_the_file_once_naming_the_meant_columns(tmp_path, coordinator):
    factories.import_records([factories.record(900)], tmp_path)  # a store that is not empty
    before = _counts()
    report = import_file(_file(tmp_path), coordinator)
    assert [str(u) for u in report.unknown_columns] == EXPECTED  # once per file, not per row
    assert report.refused_columns and report.rolled_back
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert _counts() == before


def test_ignoring_unknown_columns_imports_without_them_and_says_so(tmp_path, coordinator):
    report = import_file(_file(tmp_path), coordinator, ignore_unknown_columns=True)
    assert [str(u) for u in report.unknown_columns] == EXPECTED
    assert not report.refused_columns and report.created == 30
    case = Case.objects.get(source_record_id="R000001")
    assert case.gender == "" and case.forms_of_exploitation == [] and case.citizenship == ""


def test_a_json_file_is_refused_for_a_column_of_any_record(tmp_path, coordinator):
    rows = [factories.record(i) for i in range(1500)]  # a first chunk is written, then undone
    rows[1400]["prs_gender"] = rows[1400].pop("prs_Gender")
    rows[1450]["Vic_typeofexploitation"] = rows[1450].pop("vic_TypeOfExploitation")
    path = tmp_path / "records.json"
    path.write_text(json.dumps(rows))
    report = import_file(path, coordinator)
    assert [str(u) for u in report.unknown_columns] == [
        "prs_gender: unknown column; did you mean prs_Gender?",
        "Vic_typeofexploitation: unknown column; did you mean vic_TypeOfExploitation?",
    ]
    assert report.rolled_back and _counts() == (0, 0, 0)


def test_the_command_refuses_names_the_columns_and_imports_nothing(tmp_path, coordinator):
    path = _file(tmp_path)
    cli._register()
    runner = CliRunner()
    res = runner.invoke(cli.app, ["import", str(path), "--user", "coord", "-q"])
    assert res.exit_code == 1
    for line in EXPECTED:
        assert res.output.count(f"error: {line}") == 1
    assert "nothing imported" in res.output and Case.objects.count() == 0
    res = runner.invoke(
        cli.app, ["import", str(path), "--user", "coord", "-q", "--ignore-unknown-columns"]
    )
    assert res.exit_code == 0, res.output
    assert "warning: citizenship: unknown column; did you mean prs_Citizenship?" in res.output
    assert "30 rows: 30 created" in res.output and Case.objects.count() == 30


BAD_CODES = {
    "agency_type": ("ngo_shelterr", "ngo_shelter"),
    "cas_IntakeChannel": ("hotlin", "hotline"),
    "cas_Status": ("closed", "Closed"),
    "cas_Outcome": ("ran_awy", "ran_away"),
    "prs_Gender": ("Feminin", "Feminine"),
    "ext_AgeEvidence": ("documentd", "documented"),
    "prs_Citizenship": ("NPL;NLP", "NPL"),
    "prs_MailingCountry": ("Nepl", "NPL"),
    "vic_TraffickingStatus": ("PossibleVictim", "PossibleVictimOfTrafficking"),
    "vic_TraffickingStatusDecisionMakingOrg": ("Polic", "Police"),
    "vic_RelationshipToTrafficker": ("Familiar", "Familial"),
    "vic_MethodOfRecruitment": ("Abducton", "Abduction"),
    "vic_MethodsOfControl": ("PhysicalThreats;PhysicalThreat", "PhysicalThreats"),
    "vic_TypeOfExploitation": ("forced_labour;forced_begin", "forced_begging"),
    "vic_TypeOfSexExploitation": ("Prostitusion", "Prostitution"),
    "ext_Vulnerabilities": ("poverty;povety", "poverty"),
    "hte_Events[1].type": ("recruitmnt", "recruitment"),
    "hte_Events[1].crossing": ("ilegal", "illegal"),
    "hte_Events[1].transport": ("buss", "bus"),
    "hte_Events[1].country": ("INDD", "IND"),
    "ext_Exploitations[1].form": ("forced_labor", "forced_labour"),
    "per_Actors[1].role": ("recruter", "recruiter"),
    "per_Actors[1].relationship": ("Familal", "Familial"),
}


def test_every_unknown_code_says_what_it_probably_meant():
    row = factories.record(1)
    nested: dict[str, dict[str, str]] = {
        "hte_Events": {},
        "ext_Exploitations": {},
        "per_Actors": {},
    }
    for column, (value, _meant) in BAD_CODES.items():
        top, _, key = column.partition("[1].")
        if key:
            nested[top][key] = value
        else:
            row[column] = value
    for top, keys in nested.items():
        items = json.loads(row[top])
        items[0].update(keys)
        row[top] = json.dumps(items)
    errors = parse_row(1, row)
    assert isinstance(errors, list)
    by_field: dict[str, str] = {}
    for e in errors:  # an unknown episode form is also reported as missing: keep the first
        by_field.setdefault(e.field, e.reason)
    for column, (_value, meant) in BAD_CODES.items():
        assert column in by_field, column
        _, _, suggested = by_field[column].partition("; did you mean ")
        assert re.search(rf"(^|[ ']){re.escape(meant)}\b", suggested), (column, by_field[column])
