"""Who reads and writes the notes: the case's workers write (case update), readers of the
highly sensitive tier read; another agency's worker gets 404, as for a case that does not
exist; roles without the tier are refused; an attachment is served only under its own case."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.protection.notes import attachments, files, service
from lantern.protection.notes.models import Attachment, CaseNote
from tests.protection.notes.conftest import TEXT, World

pytestmark = pytest.mark.django_db

SECRET = "The uncle took her passport at the bus station"


def _seeded(world: World) -> Attachment:
    cw = world.user("caseworker")
    service.add_note(cw, world.case, kind="call", body=SECRET)
    service.write_narrative(cw, world.case, SECRET, 0)
    return attachments.attach(cw, world.case, SimpleUploadedFile("a.txt", TEXT))


def _reads(world: World, column: str, case_id: int, key: str) -> dict[str, int]:
    h, web = world.api(column), world.web(column)
    return {
        "notes": Client().get(f"/api/cases/{case_id}/notes", **h).status_code,
        "narrative": Client().get(f"/api/cases/{case_id}/narrative", **h).status_code,
        "list": Client().get(f"/api/cases/{case_id}/attachments", **h).status_code,
        "file": Client().get(f"/api/cases/{case_id}/attachments/{key}", **h).status_code,
        "page": web.get(f"/cases/{case_id}/notes/").status_code,
        "download": web.get(f"/cases/{case_id}/attachments/{key}/").status_code,
    }


def test_the_childs_caseworker_and_supervisor_read_everything(world: World) -> None:
    row = _seeded(world)
    for column in ("caseworker", "case_supervisor", "system_admin+grant"):
        got = _reads(world, column, world.case.pk, str(row.key))
        assert set(got.values()) == {200}, (column, got)


@pytest.mark.parametrize("column", ["outsider", "auditor", "monitoring_analyst", "system_admin"])
def test_those_who_do_not_view_the_case_get_404(world: World, column: str) -> None:
    row = _seeded(world)
    got = _reads(world, column, world.case.pk, str(row.key))
    assert set(got.values()) == {404}, (column, got)


@pytest.mark.parametrize("column", ["agency_admin", "national_coordinator", "cross_border_liaison"])
def test_those_who_view_the_case_without_the_sensitive_tier_are_refused(
    world: World, column: str
) -> None:
    row = _seeded(world)
    h = world.api(column)
    r = Client().get(f"/api/cases/{world.case.pk}/notes", **h)
    assert r.status_code == 403 and SECRET not in r.content.decode()
    assert "may not read" in r.json()["detail"]
    got = _reads(world, column, world.case.pk, str(row.key))
    assert got["page"] == got["download"] == 404  # the pages answer as if they did not exist
    assert {got["notes"], got["narrative"], got["list"], got["file"]} == {403}
    page = world.web(column).get(f"/cases/{world.case.pk}/")
    assert page.status_code == 200 and b"notes-link" not in page.content


def test_another_cases_attachment_is_not_served_under_this_case(world: World) -> None:
    """A key names one case's file: under another case's URL it is unknown, even to a user
    who reads both cases."""
    mine = _seeded(world)
    sup_other = world.outsider
    other = attachments.attach(sup_other, world.store.case_out, SimpleUploadedFile("o.txt", TEXT))
    grant = "system_admin+grant"  # reads every case
    for column in ("caseworker", grant):
        web, h = world.web(column), world.api(column)
        assert web.get(f"/cases/{world.case.pk}/attachments/{other.key}/").status_code == 404
        r = Client().get(f"/api/cases/{world.case.pk}/attachments/{other.key}", **h)
        assert r.status_code == 404
    assert (
        world.web("caseworker").get(f"/cases/{world.case.pk}/attachments/{mine.key}/").status_code
        == 200
    )
    gone = f"/cases/{world.store.case_out.pk}/attachments/{other.key}/"
    assert world.web("caseworker").get(gone).status_code == 404
    assert world.web(grant).get(gone).status_code == 200
    assert files.path_of(other.key).exists()


def test_only_the_cases_workers_write(world: World) -> None:
    case = world.case.pk
    body = {"kind": "visit", "body": SECRET}
    for column, status in (
        ("caseworker", 201),
        ("case_supervisor", 201),
        ("system_admin+grant", 403),  # reads case content, never changes it
        ("agency_admin", 403),
        ("outsider", 404),
        ("auditor", 404),
    ):
        r = Client().post(
            f"/api/cases/{case}/notes", body, content_type="application/json", **world.api(column)
        )
        assert r.status_code == status, (column, r.content)
        r = Client().post(
            f"/api/cases/{case}/attachments",
            {"file": SimpleUploadedFile("a.txt", TEXT)},
            **world.api(column),
        )
        assert r.status_code == status, (column, r.content)
    assert CaseNote.objects.filter(case=world.case).count() == 2
    assert Attachment.objects.filter(case=world.case).count() == 2


def test_an_outsider_cannot_delete_an_attachment_and_nothing_changes(world: World) -> None:
    row = _seeded(world)
    r = Client().post(
        f"/api/cases/{world.case.pk}/attachments/{row.key}/delete",
        {"reason": "wrong child"},
        content_type="application/json",
        **world.api("outsider"),
    )
    assert r.status_code == 404
    row.refresh_from_db()
    assert row.deleted_at is None and files.path_of(row.key).exists()
