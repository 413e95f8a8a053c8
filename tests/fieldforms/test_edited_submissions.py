"""Edited submissions: a submission edited in ODK Central or KoboToolbox comes back with a new
instance id, naming the version it replaces (``meta/deprecatedID``) and keeping the
submission's first id (ODK's ``KEY`` and ``__id``, Kobo's ``meta/rootUuid``). An edit updates
the case, corrects the screening, corrects the visit its predecessor became; it never adds a
second one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, FieldSubmission, ScreeningResult
from lantern.protection.followup.models import FollowUpVisit
from tests import factories
from tests.fieldforms import shapes
from tests.fieldforms.test_field_submissions import END, screening, visit

pytestmark = pytest.mark.django_db

A = "uuid:0a000000-0000-4000-8000-00000000000a"
B = "uuid:0b000000-0000-4000-8000-00000000000b"
C = "uuid:0c000000-0000-4000-8000-00000000000c"
INTAKE = {
    "registration_date": "2026-03-14",
    "intake_channel": "transit_reception",
    "given_name": "Zyxwandu",
    "family_name": "Qorrimat",
    "age": "14",
    "age_evidence": "stated",
    "gender": "Feminine",
    "citizenship": "NPL",
    "smuggled": "no",
}


@pytest.fixture
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, shapes.Paths]:
    return shapes.export_forms(tmp_path_factory.mktemp("forms"))


@pytest.fixture
def coordinator():
    factories.agency("ngo-one")
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


def odk(paths: shapes.Paths, answers: dict[str, Any], instance: str, first: str) -> dict:
    """A row of ODK Central's CSV: ``KEY`` is the submission's first instance id, whatever
    version ``meta-instanceID`` holds (Central exports only the current one)."""
    row = {"SubmissionDate": "2026-11-21T08:00:00.000Z", "end": END}
    row |= shapes.flat(paths, answers, "-")
    return row | {"meta-instanceID": instance, "KEY": first, "SubmitterID": "7", "Status": ""}


def odk_json(paths: shapes.Paths, answers: dict[str, Any], instance: str, first: str) -> dict:
    """A submission of ODK Central's OData feed: ``__id`` is the first instance id."""
    sub = {"__id": first, "__system": {"submissionDate": "2026-11-21T08:00:00.000Z"}}
    return sub | shapes.nested(paths, answers) | {"end": END, "meta": {"instanceID": instance}}


def kobo(
    paths: shapes.Paths,
    answers: dict[str, Any],
    instance: str,
    deprecated: str = "",
    root: str | None = None,
) -> dict:
    """A submission of Kobo's data API: ``_uuid`` the current version, ``meta/deprecatedID``
    the one it replaces, ``meta/rootUuid`` the first (left out: an older Kobo's export)."""
    sub = {"end": END, **{k: v for k, v in shapes.flat(paths, answers, "/").items() if v}}
    sub |= {"_id": 91, "_uuid": instance.removeprefix("uuid:"), "meta/instanceID": instance}
    sub |= {"_submission_time": "2026-11-21T08:00:00"}
    if deprecated:
        sub["meta/deprecatedID"] = deprecated
    if root is not None:
        sub["meta/rootUuid"] = root
    return sub


def kobo_file(tmp: Path, name: str, subs: list[dict]) -> Path:
    name = name if name.endswith(".json") else f"{name}.json"
    return shapes.write_json(tmp / name, {"count": len(subs), "results": subs})


def warnings(res: Any) -> set[str]:
    return {line for line in res.output.splitlines() if line.startswith("warning: ")}


# The intake form: an edit updates the case.


def test_an_odk_edit_updates_the_case_its_first_version_made(tmp_path, forms, coordinator):
    paths = forms["lantern_intake"]
    first = shapes.write_csv(tmp_path / "a.csv", [odk(paths, INTAKE, A, A)])
    assert "1 created" in shapes.run_import(first, "odk").output
    case = Case.objects.get()
    edited = INTAKE | {"given_name": "Zyxwandi", "age": "13"}
    second = shapes.write_csv(tmp_path / "b.csv", [odk(paths, edited, B, A)])
    res = shapes.run_import(second, "odk")
    assert res.exit_code == 0, res.output
    assert "1 rows: 0 created, 1 updated" in res.output
    case.refresh_from_db()
    assert Case.objects.count() == 1 and case.source_record_id == A.removeprefix("uuid:")
    assert case.person.given_name == "Zyxwandi" and case.age_at_identification == 13
    assert AuditEntry.objects.filter(action="update", record_id=case.reference).exists()
    link = FieldSubmission.objects.get()
    assert (link.form, link.instance_id, link.root_id) == (
        "lantern_intake",
        B.removeprefix("uuid:"),
        A.removeprefix("uuid:"),
    )
    # The next export holds the edit again; and an old export holding the first version
    # does not undo the edit.
    assert "1 unchanged" in shapes.run_import(second, "odk").output
    assert "1 unchanged" in shapes.run_import(first, "odk").output
    case.refresh_from_db()
    assert case.person.given_name == "Zyxwandi"


def test_a_kobo_chain_of_edits_in_one_file_is_one_case(tmp_path, forms, coordinator):
    """A→B→C: the file holds A, then C before B, with only meta/deprecatedID to link them
    (an older Kobo, no rootUuid): C waits for B, B for A, and the case ends as C has it."""
    paths = forms["lantern_intake"]
    subs = [
        kobo(paths, INTAKE, A),
        kobo(paths, INTAKE | {"given_name": "Third"}, C, deprecated=B),
        kobo(paths, INTAKE | {"given_name": "Second"}, B, deprecated=A),
    ]
    res = shapes.run_import(kobo_file(tmp_path, "abc.json", subs), "kobo")
    assert res.exit_code == 0, res.output
    assert not warnings(res), res.output
    case = Case.objects.get()
    assert case.person.given_name == "Third"
    assert sorted(FieldSubmission.objects.values_list("instance_id", flat=True)) == [
        B.removeprefix("uuid:"),
        C.removeprefix("uuid:"),
    ]
    again = shapes.run_import(kobo_file(tmp_path, "abc.json", subs), "kobo")
    assert "0 created, 0 updated, 3 unchanged" in again.output, again.output


def test_an_edit_whose_predecessor_was_never_imported_finds_the_first(tmp_path, forms, coordinator):
    paths = forms["lantern_intake"]
    shapes.run_import(kobo_file(tmp_path, "a.json", [kobo(paths, INTAKE, A)]), "kobo")
    c = kobo(paths, INTAKE | {"given_name": "Third"}, C, deprecated=B, root=A)
    res = shapes.run_import(kobo_file(tmp_path, "c.json", [c]), "kobo")
    assert "1 updated" in res.output and not warnings(res), res.output
    assert Case.objects.get().person.given_name == "Third"
    # B arrives late (an older export): C replaced it, so it changes nothing.
    b = kobo(paths, INTAKE | {"given_name": "Second"}, B, deprecated=A, root=A)
    assert "1 unchanged" in shapes.run_import(kobo_file(tmp_path, "b.json", [b]), "kobo").output
    assert Case.objects.get().person.given_name == "Third"


def test_an_edit_of_an_unknown_submission_is_a_new_case_with_a_warning(
    tmp_path, forms, coordinator
):
    paths = forms["lantern_intake"]
    b = kobo(paths, INTAKE, B, deprecated=A, root=A)
    res = shapes.run_import(kobo_file(tmp_path, "b.json", [b]), "kobo")
    assert res.exit_code == 0 and "1 created" in res.output, res.output
    assert warnings(res) == {
        f"warning: row 1: meta/deprecatedID: this edits submission {A.removeprefix('uuid:')!r}, "
        "which Lantern has not imported: imported as a new case"
    }
    assert Case.objects.get().source_record_id == B.removeprefix("uuid:")
    assert "1 unchanged" in shapes.run_import(kobo_file(tmp_path, "b.json", [b]), "kobo").output


def test_an_edit_of_another_agencys_case_is_a_row_error(tmp_path, forms, coordinator):
    paths = forms["lantern_intake"]
    shapes.run_import(shapes.write_csv(tmp_path / "a.csv", [odk(paths, INTAKE, A, A)]), "odk")
    factories.user("admin2", Role.AGENCY_ADMIN, agency_code="ngo-two")
    edited = INTAKE | {"given_name": "Changed"}
    path = shapes.write_csv(tmp_path / "b.csv", [odk(paths, edited, B, A)])
    res = shapes.run_import(path, "odk", "admin2")
    assert res.exit_code == 1
    assert shapes.row_errors(res) == {
        "row 1: meta/deprecatedID: this edits a submission imported as a case of agency "
        "'ngo-one', which you may not change"
    }
    assert Case.objects.get().person.given_name == "Zyxwandu"
    assert not FieldSubmission.objects.exists()


# Screenings and follow-up visits: an edit corrects what its predecessor became.


@pytest.fixture
def case(tmp_path: Path) -> Case:
    factories.user("cw", Role.CASEWORKER)
    factories.import_records([factories.record(1)], tmp_path)
    return Case.objects.get()


@pytest.mark.parametrize("shape", ["odk-csv", "odk-json", "kobo"])
def test_an_edited_screening_is_a_correction(tmp_path, forms, case, shape):
    paths = forms["lantern_screening"]
    first = screening(case)
    second = first | {"D4_hazardous_work": "no", "acts": "recruitment"}
    third = first | {"D1_education": "yes"}

    def write(name: str, answers: dict[str, Any], instance: str, previous: str) -> Path:
        if shape == "odk-csv":
            return shapes.write_csv(tmp_path / f"{name}.csv", [odk(paths, answers, instance, A)])
        if shape == "odk-json":
            return shapes.write_json(
                tmp_path / f"{name}.json", {"value": [odk_json(paths, answers, instance, A)]}
            )
        sub = kobo(paths, answers, instance, deprecated=previous, root=A)
        return kobo_file(tmp_path, name, [sub])

    fmt = "kobo" if shape == "kobo" else "odk"
    assert "1 created" in shapes.run_import(write("a", first, A, ""), fmt, "cw").output
    res = shapes.run_import(write("b", second, B, A), fmt, "cw")
    assert res.exit_code == 0 and "1 updated" in res.output, res.output
    original, correction = ScreeningResult.objects.filter(case=case).order_by("pk")
    assert correction.corrects == original and correction.previous == original
    assert correction.input["indicators"]["D4.hazardous_work"] == "no"
    assert AuditEntry.objects.filter(
        action="screen", reason__contains=f"corrects screening {original.pk}"
    ).exists()
    assert "1 unchanged" in shapes.run_import(write("b", second, B, A), fmt, "cw").output
    # An edit of the edit corrects the correction.
    res = shapes.run_import(write("c", third, C, B), fmt, "cw")
    assert "1 updated" in res.output, res.output
    latest = ScreeningResult.objects.filter(case=case).order_by("pk").last()
    assert latest is not None and latest.corrects == correction
    assert ScreeningResult.objects.filter(case=case).count() == 3
    assert FieldSubmission.objects.filter(root_id=A.removeprefix("uuid:")).count() == 3


def test_the_screening_page_shows_the_correction(client, tmp_path, forms, case):
    paths = forms["lantern_screening"]
    shapes.run_import(kobo_file(tmp_path, "a", [kobo(paths, screening(case), A)]), "kobo", "cw")
    edit = kobo(paths, screening(case) | {"D4_hazardous_work": "no"}, B, deprecated=A)
    shapes.run_import(kobo_file(tmp_path, "b", [edit]), "kobo", "cw")
    factories.verified_login(client, case.agency.users.get(username="cw"))
    page = client.get(f"/cases/{case.pk}/screening/")
    assert page.status_code == 200
    assert "corrects the screening of" in page.content.decode()


@pytest.mark.parametrize("fmt", ["odk", "kobo"])
def test_an_edited_visit_corrects_the_visit(tmp_path, forms, case, fmt):
    paths = forms["lantern_followup"]
    day = timezone.localdate() - dt.timedelta(days=2)
    first, second = visit(case, day), visit(case, day) | {"safety": "1", "notes": "Corrected."}

    def write(name: str, answers: dict[str, Any], instance: str, previous: str) -> Path:
        if fmt == "odk":
            return shapes.write_csv(tmp_path / f"{name}.csv", [odk(paths, answers, instance, A)])
        return kobo_file(tmp_path, name, [kobo(paths, answers, instance, previous, A)])

    shapes.run_import(write("a", first, A, ""), fmt, "cw")
    res = shapes.run_import(write("b", second, B, A), fmt, "cw")
    assert res.exit_code == 0 and "1 updated" in res.output, res.output
    made = FollowUpVisit.objects.get(case=case)
    assert made.wellbeing["safety"] == 1 and made.notes == "Corrected."
    assert AuditEntry.objects.filter(
        action="update", resource="visit", record_id=str(made.pk), reason="corrected"
    ).exists()
    assert "1 unchanged" in shapes.run_import(write("b", second, B, A), fmt, "cw").output


def test_an_edit_naming_another_case_is_refused(tmp_path, forms, case):
    paths = forms["lantern_screening"]
    shapes.run_import(kobo_file(tmp_path, "a", [kobo(paths, screening(case), A)]), "kobo", "cw")
    factories.import_records([factories.record(2)], tmp_path)
    other = Case.objects.exclude(pk=case.pk).get()
    edit = kobo(paths, screening(other), B, deprecated=A)
    res = shapes.run_import(kobo_file(tmp_path, "b", [edit]), "kobo", "cw")
    assert res.exit_code == 1
    assert shapes.row_errors(res) == {
        f"row 1: case_reference: this edit names {other.reference}, but the submission it "
        "edits was recorded on another case: correct it there, or submit it anew"
    }
    assert not ScreeningResult.objects.filter(case=other).exists()


def test_a_screening_edit_by_a_role_that_may_not_screen_is_a_row_error(tmp_path, forms, case):
    paths = forms["lantern_screening"]
    shapes.run_import(kobo_file(tmp_path, "a", [kobo(paths, screening(case), A)]), "kobo", "cw")
    factories.user("admin", Role.AGENCY_ADMIN)
    edit = kobo(paths, screening(case) | {"D4_hazardous_work": "no"}, B, deprecated=A)
    res = shapes.run_import(kobo_file(tmp_path, "b", [edit]), "kobo", "admin")
    assert res.exit_code == 1
    assert shapes.row_errors(res) == {
        f"row 1: case_reference: your role may not record this on {case}"
    }
    assert ScreeningResult.objects.filter(case=case).count() == 1


def test_a_screening_edit_of_an_unknown_submission_is_a_new_screening(tmp_path, forms, case):
    paths = forms["lantern_screening"]
    edit = kobo(paths, screening(case), B, deprecated=A)
    res = shapes.run_import(kobo_file(tmp_path, "b", [edit]), "kobo", "cw")
    assert res.exit_code == 0 and "1 created" in res.output, res.output
    assert warnings(res) == {
        f"warning: row 1: meta/deprecatedID: this edits submission {A.removeprefix('uuid:')!r}, "
        "which Lantern has not imported: imported as a new screening"
    }
    assert ScreeningResult.objects.get(case=case).corrects is None
    # The version it replaced, arriving late, is not screened again.
    first = kobo(paths, screening(case), A)
    assert (
        "1 unchanged" in shapes.run_import(kobo_file(tmp_path, "a", [first]), "kobo", "cw").output
    )
    assert ScreeningResult.objects.filter(case=case).count() == 1


def test_a_web_import_shows_its_warnings_in_the_readers_language(tmp_path, forms, coordinator):
    from django.test import Client
    from django.urls import reverse

    from lantern.cases.importjobs import service

    b = kobo(forms["lantern_intake"], INTAKE, B, deprecated=A, root=A)
    data = kobo_file(tmp_path, "b.json", [b]).read_bytes()
    job = service.check(coordinator, data, "b.json", source_format="kobo", for_agency="ngo-one")
    client = factories.verified_login(Client(), coordinator)
    page = client.get(reverse("web:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert 'id="row-warnings"' in html and "meta/deprecatedID" in html
    assert "que Lantern n’a pas importée : importée comme un nouveau dossier" in html
    assert Case.objects.count() == 0  # the check imported nothing
