"""HTCDS 2.0 out and back in: `lantern export --format htcds` writes every case the user may
view (identifying fields only for the roles that read them), and `lantern import --format
htcds` reads the file into another installation as the same cases."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lantern.accounts.models import Agency, Role
from lantern.audit.models import AuditEntry
from lantern.cases.importing import import_file
from lantern.cases.importing.writer import CASE_FIELDS, PERSON_FIELDS
from lantern.cases.models import Actor, Case, Person
from tests import factories

pytestmark = pytest.mark.django_db


def _rows() -> list[dict[str, Any]]:
    """Records that use what the mapping must carry: HTCDS values and Lantern-only codes, a
    year-only and a month-only date, an age band, adult-only, actors and labour episodes."""
    rows = [factories.record(i, "ngo-one") for i in range(1, 6)]
    rows[0].update(
        {
            "vic_TypeOfExploitation": "forced_criminality;ForcedLabour",
            "cas_Outcome": "reunited_with_family",
            "cas_Status": "FollowUp",
            "vic_TypeOfSexExploitation": "Prostitution",
            "vic_RelationshipToTrafficker": "Familial",
            "vic_MethodOfRecruitment": "ThroughFamilyOrFamilyEvents",
            "vic_TraffickingStatusDecisionMakingOrg": "Police",
            "vic_AgeWhenTrafficked": "13",
            "ext_Vulnerabilities": "",
            "ext_Smuggled": "yes",
            "ext_Nickname": "Chhori",
            "prs_IdentityNumber": "NP-0000-1234",
            "prs_MailingStreet": "Ward 4",
            "prs_PrimaryLanguage": "nep",
            "prs_Citizenship": "NPL;IND",
            "ext_Exploitations": json.dumps(
                [{"form": "forced_labour", "isic": "C", "start": "2024-01-05", "country": "IND"}]
            ),
        }
    )
    rows[1].update(
        {
            "cas_RegistrationDate": "2019",
            "prs_Birthdate": "",
            "ext_StatedAge": "",
            "ext_AgeMin": "9",
            "ext_AgeMax": "17",
            "ext_AgeEvidence": "",
            "hte_Events": "",
            "per_Actors": "",
            "ext_Exploitations": "",
        }
    )
    rows[2].update(
        {
            "cas_RegistrationDate": "2023-06",
            "prs_Birthdate": "",
            "ext_StatedAge": "",
            "ext_IsMinor": "no",
            "ext_AgeEvidence": "",
            "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        }
    )
    rows[3]["agency"] = "police-two"
    return rows


def _snapshot() -> dict[tuple[str, str], dict[str, Any]]:
    """Every imported field of every case (and its person and related records), by key."""
    out = {}
    for case in Case.objects.select_related("person", "agency").order_by("pk"):
        person = {f: getattr(case.person, f) for f in PERSON_FIELDS}
        fields = {f: getattr(case, f) for f in CASE_FIELDS if f != "source_digest"}
        out[(case.agency.code, case.source_record_id)] = {
            "person": person,
            "case": {**fields, "state": case.state, "agency_type": case.agency.type},
            "events": list(
                case.events.order_by("seq").values(
                    "seq", "type", "date", "country", "state", "city", "transport", "crossing"
                )
            ),
            "exploitations": list(
                case.exploitations.order_by("seq").values(
                    "seq", "form", "isic_section", "start", "end", "country"
                )
            ),
            "actors": sorted(
                case.actor_roles.values_list(
                    "actor__ref", "actor__network_ref", "role", "relationship"
                )
            ),
            "consents": sorted(case.consents.values_list("item", "value")),
        }
    return out


def _fresh_installation() -> None:
    """Forget every case, person and actor, and the agencies no user belongs to: the store of
    another installation where only the agencies of its users exist."""
    Case.objects.all().delete()
    Person.objects.all().delete()
    Actor.objects.all().delete()
    Agency.objects.exclude(users__isnull=False).delete()


@pytest.fixture
def loaded(tmp_path: Path) -> None:
    factories.agency("ngo-one", "ngo_shelter")
    factories.agency("police-two", "police")
    factories.import_records(_rows(), tmp_path)


def _export(cli: Any, username: str, out: Path, *args: str) -> Any:
    return cli("export", "--format", "htcds", "--user", username, "--out", str(out), *args)


def test_an_export_reimports_into_a_fresh_installation_as_the_same_cases(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    factories.user("sup-ngo", Role.SUPERVISOR)
    before = _snapshot()
    ngo_only = {k: v for k, v in before.items() if k[0] == "ngo-one"}
    out = tmp_path / "ngo.json"
    res = _export(cli, "sup-ngo", out)
    assert res.exit_code == 0, res.output
    assert "4 HTCDS 2.0 records" in res.output and "left out" not in res.output

    doc = json.loads(out.read_text())
    assert doc["metadata"]["standard"] == "HTCDS 2.0"
    assert doc["metadata"]["fields_left_out"] == []
    first = next(r for r in doc["records"] if r["source_record_id"] == "R000001")
    # HTCDS 2.0 values where the standard has one; Lantern's id where it has none
    assert first["vic_TypeOfExploitation"] == ["forced_criminality", "ForcedLabour"]
    assert first["vic_ForcedLabourIndustry"] == ["C_Manufacturing"]
    assert first["ext_Exploitations"][0]["isic"] == "C_Manufacturing"
    assert first["prs_Citizenship"] == ["NP", "IN"]
    assert first["hte_Events"][0]["hte_Type"] == "Recruitment"
    assert first["per_Actors"][0]["per_RoleInProcess"] == "RecruiterOrIntermediary"
    assert first["agency_type"] == "ngo_shelter"  # HTCDS org_Type has no shelter: Lantern's id
    year_only = next(r for r in doc["records"] if r["source_record_id"] == "R000002")
    assert year_only["cas_RegistrationDate"] == "2019"  # never more precise than given
    assert (year_only["ext_AgeMin"], year_only["ext_AgeMax"]) == (9, 17)

    # Another installation: the agency and its supervisor, no case; the supervisor imports.
    _fresh_installation()
    sup = factories.User.objects.get(username="sup-ngo")
    res = cli("import", str(out), "--format", "htcds", "--user", "sup-ngo", "-q")
    assert res.exit_code == 0 and "4 created" in res.output, res.output
    after = _snapshot()
    assert set(after) == set(ngo_only)
    for key, was in ngo_only.items():
        assert after[key] == was, key
    # importing the same file again changes nothing
    again = import_file(out, sup, source_format="htcds")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_role_that_may_not_read_identities_exports_without_them_and_says_so(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    factories.user("admin-ngo", Role.AGENCY_ADMIN)
    out = tmp_path / "admin.json"
    res = _export(cli, "admin-ngo", out)
    assert res.exit_code == 0, res.output
    assert "left out" in res.output and "prs_FirstName" in res.output
    text = out.read_text()
    doc = json.loads(text)
    left_out = set(doc["metadata"]["fields_left_out"])
    assert {"prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_IdentityNumber"} <= left_out
    assert "vic_TypeOfSexExploitation" in left_out
    assert doc["metadata"]["left_out_because"]
    for rec in doc["records"]:
        assert not left_out & set(rec), sorted(left_out & set(rec))
    person = Case.objects.get(source_record_id="R000001").person
    for secret in (person.given_name, person.family_name, "NP-0000-1234", "Chhori", "Ward 4"):
        assert secret not in text
    # no identity was read: the export is audited, no case as read
    assert AuditEntry.objects.filter(action="export", resource="htcds").count() == 1
    assert not AuditEntry.objects.filter(action="export", resource="case").exists()
    # and what it has still imports (a fresh store: the cases come back without names)
    _fresh_installation()
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    report = import_file(out, coord, source_format="htcds")
    assert not report.errors and report.created == 4
    assert all(c.person.given_name == "" for c in Case.objects.select_related("person"))


def test_the_export_holds_only_the_cases_in_scope_and_audits_each(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    factories.user("sup-ngo", Role.SUPERVISOR)
    factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    sup, coord = tmp_path / "sup.json", tmp_path / "coord.json"
    assert _export(cli, "sup-ngo", sup).exit_code == 0
    assert _export(cli, "coord", coord, "--agency", "police-two").exit_code == 0
    agencies = {r["agency"] for r in json.loads(sup.read_text())["records"]}
    assert agencies == {"ngo-one"}
    police = json.loads(coord.read_text())["records"]
    assert [r["agency"] for r in police] == ["police-two"]
    read = AuditEntry.objects.filter(action="export", resource="case")
    refs = set(Case.objects.filter(agency__code="ngo-one").values_list("reference", flat=True))
    assert set(read.values_list("record_id", flat=True)) == refs  # the coordinator read none


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ANALYST, Role.LIAISON])
def test_roles_without_the_export_are_refused_and_nothing_is_written(
    loaded: None, tmp_path: Path, cli: Any, role: str
) -> None:
    national = role == Role.ANALYST
    factories.user(
        "u",
        role,
        agency_code=None if national else "ngo-one",
        team=None if national else "casework",
    )
    out = tmp_path / "x.json"
    res = _export(cli, "u", out)
    assert res.exit_code == 2 and "may not export" in res.output
    assert not out.exists()


def test_bad_input_is_refused_clearly_and_leaves_no_file(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    factories.user("sup-ngo", Role.SUPERVISOR)
    res = _export(cli, "sup-ngo", tmp_path / "x.csv")
    assert res.exit_code == 2 and "FILE.json" in res.output
    res = _export(cli, "sup-ngo", tmp_path / "x.json", "--agency", "nowhere")
    assert res.exit_code == 2 and "no agency 'nowhere'" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["load.csv"]  # no file, no part
    assert not AuditEntry.objects.filter(resource__in=("htcds", "case"), action="export").exists()


def _exported(tmp_path: Path, cli: Any) -> dict[str, Any]:
    factories.user("sup-ngo", Role.SUPERVISOR)
    out = tmp_path / "e.json"
    assert _export(cli, "sup-ngo", out).exit_code == 0
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


def test_a_misspelt_field_refuses_the_file_with_the_nearest_name(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    doc = _exported(tmp_path, cli)
    doc["records"][0]["vic_TypeOfExploitaton"] = doc["records"][0].pop("vic_TypeOfExploitation")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    res = cli("import", str(bad), "--format", "htcds", "--user", "sup-ngo", "-q")
    assert res.exit_code == 1
    assert "vic_TypeOfExploitaton: unknown column; did you mean vic_TypeOfExploitation?" in (
        res.output
    )
    assert Case.objects.count() == 5  # nothing changed


def test_a_journey_field_or_value_the_standard_does_not_name_is_the_rows_error(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    doc = _exported(tmp_path, cli)
    events = doc["records"][0]["hte_Events"]
    events[0]["hte_Cuntry"] = events[0].pop("hte_Country")
    events[1]["hte_Type"] = "Transiit"
    doc["records"][0]["per_Actors"][0]["per_RoleInProces"] = "Exploiter"
    doc["records"][0]["prs_Gender"] = "Femenine"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    _fresh_installation()
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    report = import_file(bad, coord, source_format="htcds", strict=True)
    found = {(e.row, e.field): e.reason for e in report.errors}
    assert "did you mean hte_Country?" in found[(1, "hte_Events[1].hte_Cuntry")]
    assert "did you mean Transit?" in found[(1, "hte_Events[2].hte_Type")]
    assert "did you mean per_RoleInProcess?" in found[(1, "per_Actors[1].per_RoleInProces")]
    assert (1, "prs_Gender") in found  # the row's other errors, in the same pass
    assert (1, "hte_Events[2].type") not in found  # one error for one mistake
    assert report.rolled_back and Case.objects.count() == 0  # strict: atomic


def test_the_record_format_with_its_own_journey_keys_still_imports(
    loaded: None, tmp_path: Path
) -> None:
    """The translation leaves Lantern's own rows alone (the simulator's, the specimen files)."""
    assert Case.objects.count() == 5
    assert Case.objects.get(source_record_id="R000001").events.count() == 3


def test_the_same_records_as_a_spreadsheet_import_as_the_same_cases(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    """HTCDS's own templates are sheets, multi-select values joined by ";": the exported
    records flattened so (related records as JSON text in their cell) read back the same."""
    doc = _exported(tmp_path, cli)
    before = _snapshot()
    rows = []
    for rec in doc["records"]:
        rows.append(
            {
                k: (
                    json.dumps(v)
                    if k in ("hte_Events", "per_Actors", "ext_Exploitations")
                    else ";".join(v)
                    if isinstance(v, list)
                    else ""
                    if v is None
                    else str(v)
                )
                for k, v in rec.items()
            }
        )
    sheet = factories.write_csv(tmp_path / "sheet.csv", rows)
    _fresh_installation()
    report = import_file(sheet, factories.User.objects.get(username="sup-ngo"))
    assert not report.errors and report.created == 4, report.errors[:3]
    after = _snapshot()
    assert after == {k: v for k, v in before.items() if k[0] == "ngo-one"}


def test_an_export_without_identities_imported_over_its_cases_keeps_what_it_left_out(
    loaded: None, tmp_path: Path, cli: Any
) -> None:
    """The file says which fields it left out; an update from it keeps them as stored (names,
    identity number and its blind index, sexual exploitation types) and takes the rest."""
    factories.user("admin-ngo", Role.AGENCY_ADMIN)
    out = tmp_path / "admin.json"
    assert _export(cli, "admin-ngo", out).exit_code == 0
    before = _snapshot()
    doc = json.loads(out.read_text())
    first = next(r for r in doc["records"] if r["source_record_id"] == "R000001")
    first["ext_Smuggled"] = "no"  # a change the file does carry
    out.write_text(json.dumps(doc))
    admin = factories.user("admin-2", Role.AGENCY_ADMIN)
    report = import_file(out, admin, source_format="htcds")
    assert not report.errors and report.updated >= 1, report.errors
    after = _snapshot()
    key = ("ngo-one", "R000001")
    kept = ("given_name", "family_name", "nickname", "identity_number", "identity_number_index")
    for f in (*kept, "address", "birthdate"):
        assert after[key]["person"][f] == before[key]["person"][f], f
    assert before[key]["person"]["identity_number"] == "NP-0000-1234"
    assert (
        after[key]["case"]["sex_exploitation_types"]
        == before[key]["case"]["sex_exploitation_types"]
    )
    assert after[key]["case"]["smuggled"] is False  # the rest of the record is taken
    # a file that does not say it left them out is the agency's whole record, as before
    del doc["metadata"]
    out.write_text(json.dumps(doc))
    import_file(out, admin, source_format="htcds")
    assert Case.objects.get(source_record_id="R000001").person.given_name == ""
