"""Intake submissions whose repeats come in tables of their own: ODK Central's CSV zip and
KoboToolbox's XLSX; a repeat entry with no parent, a count the file does not hold, Kobo's
legacy columns, and unknown keys inside groups and repeats."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lantern.accounts.models import Role
from lantern.cases.models import Case
from tests import factories
from tests.fieldforms import shapes
from tests.fieldforms.test_roundtrip import ANSWERS, EPISODE, INSTANCE, STEP

pytestmark = pytest.mark.django_db

UUID = INSTANCE.removeprefix("uuid:")
SECOND_STEP = {"step_type": "exploitation", "step_country": "IND", "step_city": "Delhi"}


@pytest.fixture
def intake(tmp_path_factory: pytest.TempPathFactory) -> shapes.Paths:
    return shapes.export_forms(tmp_path_factory.mktemp("forms"))["lantern_intake"]


@pytest.fixture
def coordinator():
    factories.agency("ngo-one")
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def odk_zip(tmp: Path, paths: shapes.Paths, parent: str = INSTANCE) -> Path:
    main = {"SubmissionDate": "2026-03-15T09:12:00.000Z", **shapes.flat(paths, ANSWERS, "-")}
    main |= {"journey_count": "2", "episodes_count": "1", "adult": "no"}
    main |= {"meta-instanceID": INSTANCE, "KEY": INSTANCE, "SubmitterID": "7"}
    main |= {"SubmitterName": "field-01", "Status": "", "ReviewState": "", "FormVersion": "1"}
    steps = [
        {**STEP, "PARENT_KEY": parent, "KEY": f"{parent}/journey[1]"},
        {**SECOND_STEP, "PARENT_KEY": INSTANCE, "KEY": f"{INSTANCE}/journey[2]"},
    ]
    episodes = [{**EPISODE, "PARENT_KEY": INSTANCE, "KEY": f"{INSTANCE}/episodes[1]"}]
    return shapes.write_zip(
        tmp / "lantern_intake.zip",
        {
            "lantern_intake.csv": [main],
            "lantern_intake-journey.csv": steps,
            "lantern_intake-episodes.csv": episodes,
        },
    )


def kobo_xlsx(tmp: Path, paths: shapes.Paths, parent_index: int = 1) -> Path:
    main = {**shapes.flat(paths, ANSWERS, "/"), "journey_count": 2, "episodes_count": 1}
    main |= {"_id": 4411, "_uuid": UUID, "_submission_time": "2026-03-15T09:12:00"}
    main |= {"_validation_status": "", "_status": "submitted_via_web", "__version__": "vA"}
    main |= {"_index": 1}
    link = {"_parent_table_name": "Lantern: intake", "_submission__uuid": UUID}

    def entry(answers: dict[str, Any], repeat: str, index: int) -> dict[str, Any]:
        row = {f"{repeat}/{k}": v for k, v in answers.items()}
        return {**row, **link, "_parent_index": index, "_submission__id": 4411}

    return shapes.write_xlsx(
        tmp / "lantern_intake.xlsx",
        {
            "Lantern intake": [main],  # Excel allows no ':' in a sheet's name
            "journey": [entry(STEP, "journey", parent_index), entry(SECOND_STEP, "journey", 1)],
            "episodes": [entry(EPISODE, "episodes", 1)],
        },
    )


def _journey(case: Case) -> list[tuple[str, str]]:
    return list(case.events.order_by("seq").values_list("type", "country"))


@pytest.mark.parametrize(("fmt", "shape"), [("odk", odk_zip), ("kobo", kobo_xlsx)])
def test_repeats_in_tables_of_their_own_come_back_in_order(
    tmp_path, intake, coordinator, fmt, shape
):
    res = shapes.run_import(shape(tmp_path, intake), fmt)
    assert res.exit_code == 0, res.output
    assert "1 created" in res.output
    case = Case.objects.get()
    assert case.source_record_id == UUID
    assert case.person.given_name == "Zyxwandu"
    assert _journey(case) == [("recruitment", "NPL"), ("exploitation", "IND")]
    assert list(case.exploitations.values_list("form", "country")) == [
        ("domestic_servitude", "IND")
    ]


def test_the_zip_and_the_json_of_one_submission_are_one_case(tmp_path, intake, coordinator):
    (tmp_path / "a").mkdir()
    assert shapes.run_import(odk_zip(tmp_path / "a", intake), "odk").exit_code == 0
    res = shapes.run_import(kobo_xlsx(tmp_path, intake), "kobo")
    assert res.exit_code == 0, res.output
    assert Case.objects.count() == 1


def test_an_odk_repeat_row_whose_parent_is_missing_is_a_row_error(tmp_path, intake, coordinator):
    res = shapes.run_import(odk_zip(tmp_path, intake, parent="uuid:not-in-the-file"), "odk")
    assert res.exit_code == 1
    errors = shapes.row_errors(res)
    assert (
        "row 2: lantern_intake-journey.csv line 2: PARENT_KEY: no row of lantern_intake.csv has "
        "KEY 'uuid:not-in-the-file': this repeat entry belongs to no submission in the file"
    ) in errors
    # The submission lost a step: its count says so, rather than importing half a journey.
    assert any(
        e.startswith("row 1: journey: the form has 2 entries and the file 1") for e in errors
    )
    assert not Case.objects.exists()


def test_a_kobo_repeat_row_whose_parent_is_missing_is_a_row_error(tmp_path, intake, coordinator):
    path = kobo_xlsx(tmp_path, intake, parent_index=9)
    wb = load_workbook(path)
    header = [c.value for c in wb["journey"][1]]
    wb["journey"].cell(2, header.index("_submission__uuid") + 1).value = None  # nor this
    wb.save(path)
    res = shapes.run_import(path, "kobo")
    assert res.exit_code == 1
    assert any(
        e.startswith(
            "row 2: journey line 2: _parent_index: no row of Lantern intake has _index '9'"
        )
        for e in shapes.row_errors(res)
    ), res.output


def test_a_csv_without_the_repeats_its_form_counted_is_refused(tmp_path, intake, coordinator):
    row = {**shapes.flat(intake, ANSWERS, "/"), "journey_count": "1", "episodes_count": "0"}
    row |= {"_uuid": UUID, "_submission_time": "2026-03-15T09:12:00", "_index": "1"}
    res = shapes.run_import(shapes.write_csv(tmp_path / "k.csv", [row], ";"), "kobo")
    assert res.exit_code == 1
    assert any(
        e.startswith("row 1: journey: the form has 1 entries and the file 0")
        for e in shapes.row_errors(res)
    )
    assert not Case.objects.exists()


def test_kobo_legacy_columns_carry_the_repeats(tmp_path, intake, coordinator):
    row = {**shapes.flat(intake, ANSWERS, "/"), "_uuid": UUID}
    row |= {f"journey[1]/{k}": v for k, v in STEP.items()}
    row |= {f"journey[2]/{k}": v for k, v in SECOND_STEP.items()}
    res = shapes.run_import(shapes.write_csv(tmp_path / "legacy.csv", [row]), "kobo")
    assert res.exit_code == 0, res.output
    assert _journey(Case.objects.get()) == [("recruitment", "NPL"), ("exploitation", "IND")]


def test_unknown_keys_in_groups_and_repeats_are_refused_unless_ignored(
    tmp_path, intake, coordinator
):
    path = odk_zip(tmp_path, intake)
    with zipfile.ZipFile(path) as zf:
        tables = {n: zf.read(n).decode() for n in zf.namelist()}
    tables["lantern_intake.csv"] = tables["lantern_intake.csv"].replace(
        "child-family_name", "child-famly_name"
    )
    tables["lantern_intake-journey.csv"] = tables["lantern_intake-journey.csv"].replace(
        "step_city", "step_town"
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in tables.items():
            zf.writestr(name, text)
    res = shapes.run_import(path, "odk")
    assert res.exit_code == 1
    errors = shapes.row_errors(res)
    assert "row 1: child/famly_name: unknown question; did you mean family_name?" in errors
    assert any(
        e.startswith("row 1: journey[1].step_town: unknown question; did you mean step_")
        for e in errors
    )
    assert not Case.objects.exists()
    res = shapes.run_import(path, "odk", "coord", "--ignore-unknown-columns")
    assert res.exit_code == 0, res.output
    # what was dropped is said, once per question (not per repeat entry), with the nearest name
    assert "warning: child/famly_name: unknown column; did you mean family_name?" in res.output
    assert res.output.count("journey[].step_town: unknown column") == 1
    case = Case.objects.get()
    assert case.person.family_name == "" and _journey(case)[0] == ("recruitment", "NPL")


def test_a_zip_without_one_submissions_file_is_unreadable(tmp_path, coordinator):
    path = shapes.write_zip(tmp_path / "x.zip", {"a-journey.csv": [{"PARENT_KEY": "k"}]})
    res = shapes.run_import(path, "odk")
    assert res.exit_code == 2 and "expected one submissions CSV" in res.output


def test_the_web_import_checks_then_imports_the_zip(tmp_path, intake, coordinator, settings):
    """The import page runs the same path: its dry run counts the submission, its job imports
    it with both journey steps."""
    from lantern.cases.importjobs import service
    from lantern.cases.importjobs.models import ImportStatus

    settings.VAR_DIR = tmp_path / "var"
    settings.LANTERN_IMPORT_RUNNER = "command"
    data = odk_zip(tmp_path, intake).read_bytes()
    job = service.check(coordinator, data, "lantern_intake.zip", "odk", "ngo-one")
    assert job.status == ImportStatus.CHECKED, job.failure
    assert (job.rows, job.created, job.rejected) == (1, 1, 0)
    assert not Case.objects.exists()
    service.confirm(coordinator, job.pk)
    done = service.run(job.pk)
    assert done is not None and done.status == ImportStatus.DONE, done and done.failure
    assert _journey(Case.objects.get()) == [("recruitment", "NPL"), ("exploitation", "IND")]
