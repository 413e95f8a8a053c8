"""CTDC's files through `lantern import --format ctdc`: the real 2020 specimen rows, the 2024
shape, and what the mapping must never do (lose a row silently, read NA as missing, turn an
adult into a presumed minor, drop a misspelt column)."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.accounts.models import Role
from lantern.cases.importing import import_file
from lantern.cases.models import Case, Exploitation, TraffickingEvent
from lantern.cases.screening_services import case_age_answers
from lantern.screening import parse_input, screen
from lantern.taxonomy.ctdc import mapping
from tests import factories
from tests.paths import REFERENCE

pytestmark = pytest.mark.django_db

# The exact header and seven real rows of CTDC's "The Global Dataset 14 Apr 2020.csv", read
# where the shared reference keeps them (its README gives the origin), not copied into the repo:
# CTDC's terms of use are not an open licence.
SPECIMEN = REFERENCE / "real" / "ctdc_global_2020-04-14_specimen.csv"


@pytest.fixture
def coordinator():
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def _legacy_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SPECIMEN.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _one_legacy(tmp_path: Path, **cells: str) -> Path:
    """The specimen's first row (an adult woman from Colombia, 2002) with ``cells`` changed."""
    header, rows = _legacy_rows()
    return _write(tmp_path / "ctdc.csv", header, [{**rows[0], **cells}])


def _cases() -> list[Case]:
    return list(Case.objects.order_by("pk"))


def test_the_specimen_is_the_reference_copy():
    digest = hashlib.sha256(SPECIMEN.read_bytes()).hexdigest()
    assert digest.startswith("bf9a324a24a42f96")  # sha256 in reference/real/README.md


def test_the_real_specimen_rows_import_field_by_field(coordinator):
    report = import_file(SPECIMEN, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == [] and report.rows == 7 and report.created == 7
    cases = _cases()
    assert [c.agency.code for c in cases] == ["ctdc-global"] * 7
    assert [(c.registration_date.year, c.registration_date_precision) for c in cases] == [
        (2002, "year")
    ] * 3 + [(2016, "year")] * 4
    assert all(c.registration_date.month == 1 and c.registration_date.day == 1 for c in cases)
    assert [c.gender for c in cases] == ["Feminine"] * 7
    assert [c.citizenship for c in cases] == ["COL", "MDA", "MDA"] + ["PHL"] * 4
    assert [c.forms_of_exploitation for c in cases] == [
        ["sexual_exploitation"],
        [],  # every form flag is 0 or -99: no form is known
        ["sexual_exploitation"],
    ] + [["other"]] * 4
    # Rows 1-3: ageBroad 18--20 and majorityStatus Adult; rows 4-7: no age at all.
    assert [(c.age_min, c.age_max, c.age_group) for c in cases[:3]] == [
        (18, 20, "child_18_plus")
    ] * 3
    assert [c.age_evidence for c in cases[:3]] == [""] * 3  # adults, never presumed minors
    assert [(c.age_min, c.age_max, c.age_group) for c in cases[3:]] == [(None, None, "")] * 4
    assert all(c.age_at_identification is None for c in cases)
    # Recruiter: Friend -> Acquainted, Family -> Familial, Other and Unknown -> unknown.
    assert [c.relationship_to_trafficker for c in cases[3:]] == ["Acquainted", "Familial", "", ""]
    assert all(c.methods_of_control == [] for c in cases)  # only "NotSpecified" in the file
    assert all(c.intake_channel == "" for c in cases)  # Datasource: Case Management
    assert TraffickingEvent.objects.count() == 0  # CountryOfExploitation is -99 throughout


def test_the_same_file_again_changes_nothing_and_ids_are_stable(coordinator):
    first = import_file(SPECIMEN, coordinator, source_format="ctdc", agency="ctdc-global")
    ids = sorted(Case.objects.values_list("source_record_id", flat=True))
    again = import_file(SPECIMEN, coordinator, source_format="ctdc", agency="ctdc-global")
    assert first.created == 7 and again.unchanged == 7 and again.created == again.updated == 0
    assert sorted(Case.objects.values_list("source_record_id", flat=True)) == ids
    assert len(set(ids)) == 7 and all(i.startswith("ctdc-") for i in ids)


def test_na_is_namibia_and_00_is_an_unknown_country(tmp_path, coordinator):
    path = _one_legacy(tmp_path, citizenship="NA", CountryOfExploitation="00")
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == []
    (case,) = _cases()
    assert case.citizenship == "NAM" and case.person.citizenship == ["NAM"]
    assert not TraffickingEvent.objects.exists()

    Case.objects.all().delete()
    path = _one_legacy(tmp_path, citizenship="00", CountryOfExploitation="NA")
    import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    (case,) = _cases()
    assert case.citizenship == ""
    assert list(case.events.values_list("type", "country")) == [("exploitation", "NAM")]


def test_minus_99_is_unknown_never_no(tmp_path, coordinator):
    path = _one_legacy(
        tmp_path, gender="-99", isSexualExploit="-99", ageBroad="-99", majorityStatus="-99"
    )
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == []
    (case,) = _cases()
    assert case.gender == "" and case.forms_of_exploitation == []
    assert case.age_min is None and case.age_max is None and case.age_group == ""


@pytest.mark.parametrize(
    ("age_broad", "majority", "expected"),
    [
        ("-99", "Adult", (18, None, "child_18_plus")),  # only "adult": an adult
        ("48+", "-99", (48, None, "child_18_plus")),
        ("9--17", "Minor", (9, 17, "minor_unknown")),  # a child, band unknown
        ("-99", "Minor", (0, 17, "minor_unknown")),
        ("0--8", "-99", (0, 8, "child_0_11")),  # fits one child band
    ],
)
def test_age_bands_and_majority_are_kept_as_given(
    tmp_path, coordinator, age_broad, majority, expected
):
    path = _one_legacy(tmp_path, ageBroad=age_broad, majorityStatus=majority)
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == []
    (case,) = _cases()
    assert (case.age_min, case.age_max, case.age_group) == expected
    assert case.age_evidence == "" and case.age_at_identification is None


def test_an_adult_of_unknown_age_is_screened_as_an_adult(tmp_path, coordinator):
    path = _one_legacy(tmp_path, ageBroad="-99", majorityStatus="Adult")
    import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    (case,) = _cases()
    assert case_age_answers(case) == {"years": 18}
    assert screen(parse_input({"age": case_age_answers(case)})).is_child is False

    case.age_min, case.age_max = 9, 17  # a child of CTDC's 9-17 band
    case.save()
    assert case_age_answers(case) == {"years": 17}
    assert screen(parse_input({"age": case_age_answers(case)})).is_child is True


def test_a_band_that_contradicts_the_majority_status_is_the_rows_error(tmp_path, coordinator):
    path = _one_legacy(tmp_path, ageBroad="9--17", majorityStatus="Adult")
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert [(e.row, e.field) for e in report.errors] == [(1, "ext_IsMinor")]
    assert "ext_AgeMax is 17" in report.errors[0].reason
    assert not Case.objects.exists()


def test_a_misspelt_column_is_an_error_naming_the_right_one(tmp_path, coordinator):
    header, rows = _legacy_rows()
    header = [("citizenshp" if h == "citizenship" else h) for h in header]
    rows = [{("citizenshp" if k == "citizenship" else k): v for k, v in r.items()} for r in rows]
    path = _write(tmp_path / "ctdc.csv", header, rows)
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.bad_rows == 7 and report.created == 0 and not Case.objects.exists()
    assert {(e.field, e.reason) for e in report.errors} == {
        ("citizenshp", "unknown column; did you mean citizenship?")
    }


def test_legacy_flags_map_to_lantern_codes(tmp_path, coordinator):
    path = _one_legacy(
        tmp_path,
        gender="Male",
        CountryOfExploitation="TH",
        isForcedLabour="1",
        typeOfLabourAgriculture="1",
        typeOfLabourBegging="1",
        meansOfControlDebtBondage="1",
        meansOfControlThreatOfLawEnforcement="1",
        meansOfControlWithholdsDocuments="0",
        isAbduction="1",
        recruiterRelationFamily="1",
        recruiterRelationFriend="1",
        Datasource="Hotline",
    )
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == []
    (case,) = _cases()
    assert case.gender == "Masculine" and case.intake_channel == "hotline"
    assert case.forms_of_exploitation == ["forced_labour", "sexual_exploitation", "forced_begging"]
    assert case.methods_of_control == ["DebtBondage", "ThreatsLawEnforcement"]
    assert case.method_of_recruitment == "Abduction"
    assert case.relationship_to_trafficker == "Familial"  # the closest relation is kept
    assert list(Exploitation.objects.values_list("form", "isic_section", "country")) == [
        ("forced_labour", "A", "THA")
    ]


def test_bad_cells_are_row_errors_and_the_other_rows_import(tmp_path, coordinator):
    header, rows = _legacy_rows()
    rows[1]["gender"] = "Femme"
    rows[2]["ageBroad"] = "18-20"
    rows[3]["citizenship"] = "XQ"
    rows[4]["isOtherExploit"] = "maybe"
    rows[5]["yearOfRegistration"] = "-99"
    path = _write(tmp_path / "ctdc.csv", header, rows)
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert [(e.row, e.field) for e in report.errors] == [
        (2, "gender"),
        (3, "ageBroad"),
        (4, "citizenship"),
        (5, "isOtherExploit"),
        (6, "yearOfRegistration"),
    ]
    assert report.created == 2 and Case.objects.count() == 2


def test_without_an_agency_every_row_says_so(coordinator):
    report = import_file(SPECIMEN, coordinator, source_format="ctdc")
    assert report.bad_rows == 7 and {e.field for e in report.errors} == {"agency"}
    assert "--agency" in report.errors[0].reason


def test_the_2024_shape(tmp_path, coordinator):
    header = list(mapping().fields_2024)
    row = dict.fromkeys(header, "")
    row.update(
        yearOfRegistration="2021",
        gender="Woman",
        ageBroad="9--17",
        citizenship="NA",
        CountryOfExploitation="ZA",
        traffickMonths="0--12 (0-1 yr)",
        isForcedLabour="1",
        sectorOfLabourAgriculture="1",
        meansThreats="1",  # a composite: never expanded into its parts
        meansFalsePromises="1",
        recruiterRelationFamily="1",
    )
    adult = dict.fromkeys(header, "") | {"yearOfRegistration": "2022", "gender": "Man"}
    adult |= {"ageBroad": "30--38", "isOtherExploit": "1"}
    path = _write(tmp_path / "ctdc2024.csv", header, [row, adult])
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert report.errors == [] and report.created == 2
    child, man = _cases()
    assert (child.gender, child.citizenship, child.registration_date_precision) == (
        "Feminine",
        "NAM",
        "year",
    )
    assert (child.age_min, child.age_max, child.age_group) == (9, 17, "minor_unknown")
    assert child.forms_of_exploitation == ["forced_labour"]
    assert child.methods_of_control == ["FalsePromises"]
    assert child.relationship_to_trafficker == "Familial"
    assert list(child.exploitations.values_list("isic_section", "country")) == [("A", "ZAF")]
    assert (man.gender, man.age_min, man.age_max, man.age_group) == (
        "Masculine",
        30,
        38,
        "child_18_plus",
    )
    assert man.forms_of_exploitation == ["other"] and man.age_evidence == ""


def test_a_2024_file_with_a_legacy_typo_suggests_the_2024_name(tmp_path, coordinator):
    header = [*mapping().fields_2024, "meansThreat"]
    row = dict.fromkeys(header, "") | {"yearOfRegistration": "2021"}
    path = _write(tmp_path / "ctdc2024.csv", header, [row])
    report = import_file(path, coordinator, source_format="ctdc", agency="ctdc-global")
    assert [(e.field, e.reason) for e in report.errors] == [
        ("meansThreat", "unknown column; did you mean meansThreats?")
    ]


def test_the_command(tmp_path, coordinator):
    cli._register()
    args = ["import", str(SPECIMEN), "--format", "ctdc", "--agency", "ctdc-global"]
    res = CliRunner().invoke(cli.app, [*args, "--user", "coord", "-q"])
    assert res.exit_code == 0, res.output
    assert "7 created" in res.output and Case.objects.count() == 7
