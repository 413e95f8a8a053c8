"""Web imports' jobs: the dry run writes nothing, the confirmed job imports and audits, the
job and its sealed file outlive the request, and another agency's job does not exist."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.importjobs import files, service
from lantern.cases.importjobs.models import ImportJob, ImportStatus
from lantern.cases.models import Case, Person
from lantern.errors import NotFound
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    settings.LANTERN_IMPORT_RUNNER = "command"  # the job waits for `lantern imports run`


@pytest.fixture
def admin() -> Any:
    factories.agency("ngo-one")
    return factories.user("aadm", Role.AGENCY_ADMIN, team=None)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    cols = list(rows[0])
    w = csv.DictWriter(out, fieldnames=cols)
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode()


def _file(n: int = 5, bad: tuple[int, ...] = (2,)) -> bytes:
    rows = [factories.record(i) for i in range(n)]
    for i in bad:
        rows[i - 1]["cas_RegistrationDate"] = "2024-13-45"
    return _csv(rows)


def test_the_dry_run_writes_nothing_and_lists_every_row_error(admin: Any) -> None:
    job = service.check(admin, _file(5, bad=(2, 4)), "ngo records.csv", source="test")
    assert job.status == ImportStatus.CHECKED
    assert (job.rows, job.created, job.rejected) == (5, 3, 2)
    assert [(r, f) for r, f, _ in job.error_rows] == [
        (2, "cas_RegistrationDate"),
        (4, "cas_RegistrationDate"),
    ]
    assert "not a date" in job.error_rows[0][2]
    assert Case.objects.count() == 0 and Person.objects.count() == 0
    # the file waits sealed: its bytes are not in it in clear
    sealed = files.path_of(job.key).read_bytes()
    assert b"cas_RegistrationDate" not in sealed and b"R000001" not in sealed
    assert [p.name for p in files.folder().iterdir()] == [f"{job.key.hex}.sealed"]  # no clear copy
    assert [e.action for e in AuditEntry.objects.all()] == ["upload"]


def test_a_confirmed_job_outlives_the_request_and_the_runner_completes_it(
    admin: Any, cli: Any
) -> None:
    client = factories.verified_login(Client(), admin)
    upload = io.BytesIO(_file(5))
    upload.name = "records.csv"
    r = client.post(
        reverse("web:imports"), {"file": upload, "source_format": "htcds", "for_agency": ""}
    )
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("web:import_job", args=[job.pk])
    r = client.post(reverse("web:import_job", args=[job.pk]))
    assert r.status_code == 302
    job.refresh_from_db()
    # after the request: the job waits, its sealed file kept, nothing imported yet
    assert job.status == ImportStatus.QUEUED and job.confirmed_by == admin
    assert files.path_of(job.key).exists() and Case.objects.count() == 0
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 2s"' in page and "Refresh" in page

    res = cli("imports", "run")
    assert res.exit_code == 0, res.output
    assert f"import {job.pk}: done: 4 created" in res.output
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and (job.created, job.rejected) == (4, 1)
    assert Case.objects.count() == 4
    assert not files.path_of(job.key).exists() and job.data_key == ""
    # the import's audit is the command's; the job adds who uploaded and who confirmed
    actions = list(AuditEntry.objects.values_list("action", "resource"))
    assert ("upload", "import_job") in actions and ("confirm", "import_job") in actions
    assert actions.count(("create", "case")) == 4 and ("import", "import_job") in actions
    # the cases' entries name the job they came through, not a command
    sources = AuditEntry.objects.filter(action="create", resource="case")
    assert set(sources.values_list("source", flat=True)) == {f"web import job {job.key}"}
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert "4 created" in page and "hx-trigger" not in page


def test_progress_is_shown_while_the_job_runs(admin: Any) -> None:
    job = service.check(admin, _file(5, bad=()), "a.csv")
    service.confirm(admin, job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    files.write_progress(job.key, 3)
    client = factories.verified_login(Client(), admin)
    r = client.get(reverse("web:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert '<progress id="job-progress" max="5" value="3">' in body
    assert "3 of 5 rows read" in body and "HX-Refresh" not in r.headers


def test_a_finished_job_refreshes_the_polling_page(admin: Any) -> None:
    job = service.check(admin, _file(3, bad=()), "a.csv")
    service.confirm(admin, job.pk)
    service.run(job.pk)
    client = factories.verified_login(Client(), admin)
    r = client.get(reverse("web:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"


def test_all_row_errors_download_as_csv_and_the_page_shows_the_first_200(admin: Any) -> None:
    job = service.check(admin, _file(230, bad=tuple(range(1, 231))), "many.csv")
    client = factories.verified_login(Client(), admin)
    page = client.get(reverse("web:import_job", args=[job.pk])).content.decode()
    assert page.count('<td data-label="Row">') == 200 and "30 more errors are in the file" in page
    r = client.get(reverse("web:import_job_errors", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == ["row", "field", "reason"] and len(rows) == 231
    assert ("export", "import_job") in AuditEntry.objects.values_list("action", "resource")


def test_a_file_refused_as_a_whole_is_a_failed_job_with_the_reason(admin: Any) -> None:
    data = _csv([factories.record(1, "police-two")])
    factories.agency("police-two", "police")
    job = service.check(admin, data, "theirs.csv")
    assert job.status == ImportStatus.FAILED and "police-two" in job.failure
    assert not files.path_of(job.key).exists() and Case.objects.count() == 0
    broken = service.check(admin, b"[not json", "broken.json")
    assert broken.status == ImportStatus.FAILED
    assert broken.failure.startswith("broken.json: not valid JSON")


def test_a_job_left_running_by_a_dead_process_runs_again(admin: Any) -> None:
    job = service.check(admin, _file(3, bad=()), "a.csv")
    service.confirm(admin, job.pk)
    dead = f"{service.runner_name().rpartition(':')[0]}:{2**22 + 7}"
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, runner=dead)
    assert [j.pk for j in service.run_queued()] == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Case.objects.count() == 3


def test_a_job_is_confirmed_once(admin: Any) -> None:
    job = service.check(admin, _file(3, bad=()), "a.csv")
    service.confirm(admin, job.pk)
    client = factories.verified_login(Client(), admin)
    client.post(reverse("web:import_job", args=[job.pk]))
    assert AuditEntry.objects.filter(action="confirm").count() == 1


def test_another_agencys_job_does_not_exist(admin: Any) -> None:
    factories.agency("police-two", "police")
    theirs = factories.user("other", Role.AGENCY_ADMIN, agency_code="police-two", team=None)
    job = service.check(admin, _file(3, bad=()), "a.csv")
    with pytest.raises(NotFound):
        service.get(theirs, job.pk)
    client = factories.verified_login(Client(), theirs)
    for name in ("web:import_job", "web:import_job_errors"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("web:import_job", args=[job.pk])).status_code == 404
    assert "Import " + str(job.pk) not in client.get(reverse("web:imports")).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    coordinator = factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    assert service.get(coordinator, job.pk) == job


def test_the_upload_form_refuses_a_file_of_another_kind_keeping_the_choices(admin: Any) -> None:
    client = factories.verified_login(Client(), admin)
    upload = io.BytesIO(b"hello")
    upload.name = "notes.txt"
    r = client.post(
        reverse("web:imports"),
        {"file": upload, "source_format": "htcds", "for_agency": "ngo-one"},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "not CSV, JSON, XLSX or Parquet" in body
    assert 'value="ngo-one"' in body and not ImportJob.objects.exists()


def test_the_menu_shows_imports_to_importers_only(admin: Any) -> None:
    analyst = factories.user("ma", Role.ANALYST, agency_code=None, team=None)
    home, url = reverse("web:home"), reverse("web:imports")
    shown = factories.verified_login(Client(), admin).get(home, follow=True).content.decode()
    hidden = factories.verified_login(Client(), analyst).get(home, follow=True).content.decode()
    assert f'href="{url}"' in shown and "Import records" in shown
    assert f'href="{url}"' not in hidden


def test_a_file_over_the_limit_is_refused_with_the_sizes(admin: Any, settings: Any) -> None:
    settings.LANTERN_UPLOAD_MAX_BYTES = 1024
    client = factories.verified_login(Client(), admin)
    upload = io.BytesIO(_file(20))
    upload.name = "big.csv"
    r = client.post(reverse("web:imports"), {"file": upload, "source_format": "htcds"})
    assert r.status_code == 400 and "the largest accepted is 1.0\xa0KB" in r.content.decode()
    assert not ImportJob.objects.exists()


def test_row_errors_are_read_in_the_readers_language(admin: Any) -> None:
    rows = [factories.record(i) for i in range(3)]
    rows[0]["cas_RegistrationDate"] = "2024-13-45"
    rows[1]["prs_Citizenship"] = "Nepl"  # a country misspelt: the reason quotes a suggestion
    job = service.check(admin, _csv(rows), "records.csv")
    client = factories.verified_login(Client(), admin)
    url = reverse("web:import_job", args=[job.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "&#x27;2024-13-45&#x27; is not a date (YYYY, YYYY-MM, YYYY-MM-DD)" in english
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "&#x27;2024-13-45&#x27; n’est pas une date (AAAA, AAAA-MM, AAAA-MM-JJ)" in french
    assert "n’est pas un code de pays ISO 3166-1 ; vouliez-vous dire" in french
    spanish = client.get(reverse("web:import_job_errors", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="es")
    reasons = [row[2] for row in csv.reader(io.StringIO(spanish.content.decode()))][1:]
    assert "'2024-13-45' no es una fecha (AAAA, AAAA-MM, AAAA-MM-DD)" in reasons
    # the job keeps each reason's message and values, never a rendering in one language
    assert "n’est pas" not in job.errors and "no es una" not in job.errors
