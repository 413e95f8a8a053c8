"""The one import path: row-level errors, atomic strict mode, idempotent re-import."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from lantern import cli
from lantern.accounts.models import Agency, Role
from lantern.audit.models import AuditEntry
from lantern.cases.importing import import_file
from lantern.cases.importing.loader import ImportRefused
from lantern.cases.models import Actor, Case, Exploitation, Person, TraffickingEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def _thousand_with_three_bad(tmp_path: Path) -> Path:
    rows = [factories.record(i) for i in range(1000)]
    rows[10]["cas_RegistrationDate"] = "2024-13-45"  # row 11: not a date
    rows[500]["prs_Gender"] = "Feminin"  # row 501: unknown code
    rows[998]["vic_TypeOfExploitation"] = "sexual_exploitation;slavery_ish"  # row 999
    return factories.write_csv(tmp_path / "records.csv", rows)


def test_bad_rows_are_reported_exactly_and_the_rest_imported(tmp_path, coordinator):
    path = _thousand_with_three_bad(tmp_path)
    report = import_file(path, coordinator)
    assert [(e.row, e.field) for e in report.errors] == [
        (11, "cas_RegistrationDate"),
        (501, "prs_Gender"),
        (999, "vic_TypeOfExploitation"),
    ]
    assert "not a date" in report.errors[0].reason
    assert "Feminin" in report.errors[1].reason and "genders" in report.errors[1].reason
    assert "slavery_ish" in report.errors[2].reason
    assert report.created == 997 and Case.objects.count() == 997
    assert not Case.objects.filter(source_record_id__in=["R000010", "R000500", "R000998"]).exists()
    assert TraffickingEvent.objects.count() == 997 * 3
    assert Exploitation.objects.count() == 997


def test_strict_imports_nothing_when_a_row_fails(tmp_path, coordinator):
    path = _thousand_with_three_bad(tmp_path)
    report = import_file(path, coordinator, strict=True)
    assert report.rolled_back and report.bad_rows == 3
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_reimport_changes_nothing(tmp_path, coordinator):
    path = _thousand_with_three_bad(tmp_path)
    import_file(path, coordinator)
    before = {c.pk: (c.updated_at, c.person_id) for c in Case.objects.all()}
    persons, actors = Person.objects.count(), Actor.objects.count()
    report = import_file(path, coordinator)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 997)
    assert {c.pk: (c.updated_at, c.person_id) for c in Case.objects.all()} == before
    assert Person.objects.count() == persons and Actor.objects.count() == actors


def test_a_changed_row_updates_its_case_in_place(tmp_path, coordinator):
    rows = [factories.record(i) for i in range(5)]
    import_file(factories.write_csv(tmp_path / "a.csv", rows), coordinator)
    case = Case.objects.get(source_record_id="R000002")
    rows[2]["cas_Status"] = "FollowUp"
    rows[2]["prs_FirstName"] = "Renamed"
    report = import_file(factories.write_csv(tmp_path / "b.csv", rows), coordinator)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    case.refresh_from_db()
    assert case.status == "FollowUp" and case.person.given_name == "Renamed"
    assert case.events.count() == 3  # children replaced, not duplicated


def test_json_and_xlsx_take_the_same_records(tmp_path, coordinator):
    rows = [factories.record(i) for i in range(3)]
    jpath = tmp_path / "r.json"
    jpath.write_text(json.dumps({"records": rows}))
    assert import_file(jpath, coordinator).created == 3
    wb = Workbook()
    ws = wb.active
    cols = list(rows[0])
    ws.append(cols)
    for r in [factories.record(i, agency_code="ngo-two") for i in range(3)]:
        ws.append([r[c] for c in cols])
    xpath = tmp_path / "r.xlsx"
    wb.save(xpath)
    report = import_file(xpath, coordinator)
    assert report.created == 3 and not report.errors
    assert Case.objects.filter(agency__code="ngo-two").count() == 3


def test_unknown_is_never_stored_as_no(tmp_path, coordinator):
    row = factories.record(1)
    row["con_TracingConsent"] = ""
    row["prs_Birthdate"] = ""
    row["ext_StatedAge"] = ""
    row["ext_AgeEvidence"] = ""
    import_file(factories.write_csv(tmp_path / "r.csv", [row]), coordinator)
    case = Case.objects.get()
    assert not case.consents.filter(item="family_tracing").exists()
    assert case.age_evidence == "presumed_minor"  # age in doubt: presumed a child
    assert case.age_at_identification is None and case.smuggled is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [("reception_desk", "reception_desk"), ("ngo", "ngo"), ("NGO", "ngo"), ("", "")],
)
def test_an_agency_the_import_creates_has_the_kind_its_records_give(
    tmp_path, coordinator, given, stored
):
    row = factories.record(1, "desk-one")
    row["agency_type"] = given
    report = import_file(factories.write_csv(tmp_path / "records.csv", [row]), coordinator)
    assert report.agencies_created == ["desk-one"]
    assert Agency.objects.get(code="desk-one").type == stored  # an id of agency_types, or blank


def test_identifying_fields_are_encrypted_in_the_database(tmp_path, coordinator):
    from django.db import connection

    row = factories.record(1)
    row["prs_FirstName"], row["prs_IdentityNumber"] = "Zyxwandu", "NP-998877"
    import_file(factories.write_csv(tmp_path / "r.csv", [row]), coordinator)
    with connection.cursor() as cur:
        cur.execute("SELECT given_name, identity_number, birthdate FROM cases_person")
        given, number, born = cur.fetchone()
    assert (
        "Zyxwandu" not in given and "NP-998877" not in number and row["prs_Birthdate"] not in born
    )
    assert Person.objects.get().given_name == "Zyxwandu"


def test_a_caseworker_cannot_import_into_another_agency(tmp_path):
    worker = factories.user("cw", Role.CASEWORKER, agency_code="ngo-one")
    factories.agency("ngo-two")
    rows = [factories.record(1, agency_code="ngo-two")]
    with pytest.raises(ImportRefused):
        import_file(factories.write_csv(tmp_path / "r.csv", rows), worker)
    assert Case.objects.count() == 0


def test_an_analyst_may_not_import(tmp_path):
    analyst = factories.user("an", Role.ANALYST, agency_code=None, team=None)
    with pytest.raises(ImportRefused):
        import_file(factories.write_csv(tmp_path / "r.csv", [factories.record(1)]), analyst)


def test_cli_reports_rows_and_exit_codes(tmp_path, coordinator):
    path = _thousand_with_three_bad(tmp_path)
    cli._register()
    runner = CliRunner()
    res = runner.invoke(cli.app, ["import", str(path), "--user", "coord", "--strict", "-q"])
    assert res.exit_code == 1 and "nothing imported" in res.output
    assert Case.objects.count() == 0
    errors = tmp_path / "errors.csv"
    res = runner.invoke(
        cli.app, ["import", str(path), "--user", "coord", "-q", "--errors", str(errors)]
    )
    assert res.exit_code == 1 and "997 created" in res.output
    assert errors.read_text().count("\n") == 4
    # each case's entry says the import came through a command, and which shell account ran it
    sources = set(AuditEntry.objects.filter(action="create").values_list("source", flat=True))
    assert sources == {f"cli {getpass.getuser()} import"}
    res = runner.invoke(cli.app, ["import", str(tmp_path / "missing.csv"), "--user", "coord"])
    assert res.exit_code == 2 and "no such file" in res.output


def test_an_unknown_source_format_is_refused_naming_the_known_ones(tmp_path, coordinator):
    path = factories.write_csv(tmp_path / "a.csv", [factories.record(1)])
    with pytest.raises(ImportRefused, match=r"unknown format 'ctdx'; use one of .*htcds"):
        import_file(path, coordinator, source_format="ctdx")
    assert not Case.objects.exists()
    report = import_file(path, coordinator, source_format="htcds")  # Lantern's own shape
    assert report.created == 1
