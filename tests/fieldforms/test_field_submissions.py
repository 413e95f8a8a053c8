"""Round trip of the screening and follow-up forms: the generated form, a submission shaped as
each tool exports it, `lantern import --format odk|kobo`, and the screening or the visit found
on the case, made through their services (their rules, permission checks and audit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, FieldSubmission, ScreeningResult
from lantern.protection.followup import service as visits
from lantern.protection.followup.models import FollowUpVisit
from tests import factories
from tests.fieldforms import shapes

pytestmark = pytest.mark.django_db

INSTANCE = "uuid:0b6c1e57-3d7f-4c2a-9e0d-5b1a7c9f2e31"
END = "2026-11-20T10:30:00.000+01:00"


@pytest.fixture
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, shapes.Paths]:
    return shapes.export_forms(tmp_path_factory.mktemp("forms"))


@pytest.fixture
def case(tmp_path: Path) -> Case:
    factories.user("cw", Role.CASEWORKER)
    factories.import_records([factories.record(1)], tmp_path)
    return Case.objects.get()


def screening(case: Case) -> dict[str, Any]:
    return {
        "case_reference": case.reference,
        "age": "14",
        "age_basis": "stated",
        "acts": "recruitment transfer",
        "purposes": "forced_labour",
        "D4_hazardous_work": "yes",
        "D1_education": "no",
        "adult": "no",  # the form's calculate: exported with the answers
    }


def visit(case: Case, day: dt.date) -> dict[str, Any]:
    return {
        "case_reference": case.reference,
        "visit_date": day.isoformat(),
        "safety": "3",
        "health": "4",
        "schooling_or_work": "2",
        "family_relations": "3",
        "emotional_wellbeing": "1",
        "retrafficking_risk": "medium",
        "notes": "Met at the aunt's home.",
    }


def odk_csv(tmp: Path, paths: shapes.Paths, answers: dict[str, Any]) -> Path:
    row = {"SubmissionDate": "2026-11-21T08:00:00.000Z", "end": END}
    row |= shapes.flat(paths, answers, "-") | {"meta-instanceID": INSTANCE, "KEY": INSTANCE}
    row |= {"SubmitterID": "7", "SubmitterName": "field-01", "Status": "", "ReviewState": ""}
    return shapes.write_csv(tmp / "submissions.csv", [row])


def odk_json(tmp: Path, paths: shapes.Paths, answers: dict[str, Any]) -> Path:
    sub = {"__id": INSTANCE, "__system": {"submissionDate": "2026-11-21T08:00:00.000Z"}}
    sub |= shapes.nested(paths, answers) | {"end": END, "meta": {"instanceID": INSTANCE}}
    return shapes.write_json(tmp / "submissions.json", {"value": [sub]})


def kobo_csv(tmp: Path, paths: shapes.Paths, answers: dict[str, Any]) -> Path:
    row = {"end": END, **shapes.flat(paths, answers, "/")}
    for name in ("acts", "purposes"):  # Kobo's 0/1 column per choice
        for code in str(answers.get(name, "")).split():
            row[f"{name}/{code}"] = "1"
    row |= {"_id": "91", "_uuid": INSTANCE.removeprefix("uuid:")}
    row |= {"_submission_time": "2026-11-21T08:00:00", "_validation_status": ""}
    return shapes.write_csv(tmp / "submissions.csv", [row], ";")


def kobo_json(tmp: Path, paths: shapes.Paths, answers: dict[str, Any]) -> Path:
    sub = {"end": END, **{k: v for k, v in shapes.flat(paths, answers, "/").items() if v}}
    sub |= {"_id": 91, "_uuid": INSTANCE.removeprefix("uuid:"), "meta/instanceID": INSTANCE}
    sub |= {"_submission_time": "2026-11-21T08:00:00", "_tags": [], "formhub/uuid": "f00d"}
    return shapes.write_json(tmp / "submissions.json", {"count": 1, "results": [sub]})


Shape = Callable[[Path, shapes.Paths, dict[str, Any]], Path]
SHAPES: list[tuple[str, Shape]] = [
    ("odk", odk_csv),
    ("odk", odk_json),
    ("kobo", kobo_csv),
    ("kobo", kobo_json),
]
IDS = ["odk-csv", "odk-json", "kobo-csv", "kobo-json"]


@pytest.mark.parametrize(("fmt", "shape"), SHAPES, ids=IDS)
def test_a_screening_submission_is_a_screening_of_the_case(tmp_path, forms, case, fmt, shape):
    path = shape(tmp_path, forms["lantern_screening"], screening(case))
    res = shapes.run_import(path, fmt, "cw")
    assert res.exit_code == 0, res.output
    assert "1 rows: 1 created" in res.output
    row = ScreeningResult.objects.get(case=case)
    assert row.screened_by.username == "cw" and row.is_child is True
    assert row.input["age"] == {"years": 14, "basis": "stated"}
    assert sorted(row.input["acts"]) == ["recruitment", "transfer"]
    assert row.input["indicators"] == {"D4.hazardous_work": "yes", "D1.education": "no"}
    assert row.screened_at == dt.datetime.fromisoformat(END)  # when the worker finished it
    case.refresh_from_db()
    assert case.trafficking_status == row.trafficking_status != ""
    assert AuditEntry.objects.filter(
        action="screen", record_id=case.reference, source="import (field form)"
    ).exists()
    # Every export holds every submission: the second import changes nothing.
    again = shapes.run_import(path, fmt, "cw")
    assert again.exit_code == 0 and "1 unchanged" in again.output, again.output
    assert ScreeningResult.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(("fmt", "shape"), SHAPES, ids=IDS)
def test_a_followup_submission_records_the_scheduled_visit(tmp_path, forms, case, fmt, shape):
    today = timezone.localdate()
    cw = case.agency.users.get(username="cw")
    planned = visits.schedule(cw, case, on=today + dt.timedelta(days=3))
    path = shape(tmp_path, forms["lantern_followup"], visit(case, today))
    res = shapes.run_import(path, fmt, "cw")
    assert res.exit_code == 0, res.output
    planned.refresh_from_db()
    assert planned.done_at is not None and planned.visited_by == cw
    assert planned.wellbeing == {
        "safety": 3,
        "health": 4,
        "schooling_or_work": 2,
        "family_relations": 3,
        "emotional_wellbeing": 1,
    }
    assert planned.retrafficking_risk == "medium" and planned.notes == "Met at the aunt's home."
    assert FieldSubmission.objects.get().record_id == planned.pk
    again = shapes.run_import(path, fmt, "cw")
    assert "1 unchanged" in again.output and FollowUpVisit.objects.count() == 1


def test_a_visit_with_none_scheduled_is_added_on_its_day(tmp_path, forms, case):
    day = timezone.localdate() - dt.timedelta(days=10)
    path = kobo_json(tmp_path, forms["lantern_followup"], visit(case, day))
    res = shapes.run_import(path, "kobo", "cw")
    assert res.exit_code == 0, res.output
    made = FollowUpVisit.objects.get(case=case)
    assert made.kind == "visit" and made.scheduled_for == day
    assert timezone.localtime(made.done_at).date() == day  # not the day it was imported
    assert AuditEntry.objects.filter(
        action="create", resource="visit", record_id=str(made.pk)
    ).exists()


def test_only_a_role_that_may_screen_imports_a_screening(tmp_path, forms, case):
    factories.user("admin", Role.AGENCY_ADMIN)  # may import cases, may not screen them
    path = kobo_json(tmp_path, forms["lantern_screening"], screening(case))
    res = shapes.run_import(path, "kobo", "admin")
    assert res.exit_code == 1
    assert any(e.startswith("row 1: case_reference: ") for e in shapes.row_errors(res))
    assert not ScreeningResult.objects.exists() and not FieldSubmission.objects.exists()


def test_a_case_outside_the_users_reach_is_not_found(tmp_path, forms, case):
    factories.user("other", Role.CASEWORKER, agency_code="ngo-two")
    path = odk_csv(tmp_path, forms["lantern_followup"], visit(case, timezone.localdate()))
    res = shapes.run_import(path, "odk", "other")
    assert res.exit_code == 1
    assert f"row 1: case_reference: no case {case.reference!r} that you may see" in (
        shapes.row_errors(res)
    )
    assert not FollowUpVisit.objects.exists()


def test_bad_answers_are_row_errors_in_the_forms_terms(tmp_path, forms, case):
    answers = screening(case) | {"D4_hazardous_work": "perhaps"}
    path = kobo_json(tmp_path, forms["lantern_screening"], answers)
    res = shapes.run_import(path, "kobo", "cw")
    assert "row 1: D4_hazardous_work: must be yes, no or unknown" in shapes.row_errors(res)
    data = shapes.flat(forms["lantern_screening"], screening(case), "/")
    data |= {"indicators/D4_hazardus_work": "yes", "_uuid": "abc"}
    res = shapes.run_import(shapes.write_json(tmp_path / "b.json", [data]), "kobo", "cw")
    assert (
        "row 1: indicators/D4_hazardus_work: unknown question; did you mean D4_hazardous_work?"
        in shapes.row_errors(res)
    )
    answers = visit(case, timezone.localdate()) | {"safety": "7", "health": ""}
    path = odk_csv(tmp_path, forms["lantern_followup"], answers)
    res = shapes.run_import(path, "odk", "cw")
    assert any(e.startswith("row 1: wellbeing: ") for e in shapes.row_errors(res)), res.output
    answers = screening(case) | {"case_reference": ""}  # a CSV keeps the blank column
    path = odk_csv(tmp_path, forms["lantern_screening"], answers)
    res = shapes.run_import(path, "odk", "cw")
    assert shapes.row_errors(res) == {"row 1: case_reference: required"}, res.output
    assert not ScreeningResult.objects.exists() and not FollowUpVisit.objects.exists()


def test_a_visit_of_today_sent_before_midday_is_not_in_the_future() -> None:
    # a date-only visit is put at midday, but never later than now: a field worker syncing
    # this morning's visit is not refused; a visit dated tomorrow still is in the future
    from lantern.fieldforms.submissions import _done_at

    today = timezone.localdate()
    assert _done_at(today, "") <= timezone.now()
    assert _done_at(today, "").date() == today
    assert _done_at(today + dt.timedelta(days=1), "") > timezone.now()
    assert _done_at(today - dt.timedelta(days=1), "").hour == 12
