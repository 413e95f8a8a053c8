"""Every read of notes, narrative and attachments, and every download, is an audit entry on the
case (its access log shows it), naming the fields and never copying their text; no log line
carries it either."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.audit.models import AuditEntry
from lantern.audit.services import for_case, verify
from lantern.protection.notes import attachments, service
from lantern.protection.story.models import CaseChange
from tests.protection.notes.conftest import TEXT, World

pytestmark = pytest.mark.django_db

SECRET = "She was sold to a factory owner in the city"


def _entries(world: World, action: str) -> list[AuditEntry]:
    return list(for_case(world.case).filter(action=action).order_by("seq"))


def test_reads_and_downloads_are_audited_on_the_case(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    cw = world.user("caseworker")
    service.add_note(cw, world.case, kind="observation", body=SECRET)
    service.write_narrative(cw, world.case, SECRET, 0)
    row = attachments.attach(cw, world.case, SimpleUploadedFile("a.txt", TEXT))
    sup = world.user("case_supervisor")
    h, base = world.api("case_supervisor"), f"/api/cases/{world.case.pk}"
    caplog.set_level(logging.DEBUG)
    for path in ("/notes", "/narrative", "/attachments", f"/attachments/{row.key}"):
        assert Client().get(base + path, **h).status_code == 200
    assert world.web("case_supervisor").get(f"/cases/{world.case.pk}/notes/").status_code == 200
    reads = [e for e in _entries(world, "read") if e.username == sup.username]
    assert [e.fields for e in reads] == [
        ["casenote.body"],
        ["narrativeversion.text"],
        ["attachment.filename"],
        ["narrativeversion.text"],  # the page reads all three
        ["attachment.filename"],
        ["casenote.body"],
    ]
    assert all(e.source.startswith(("api", "web")) for e in reads)
    downloads = _entries(world, "download")
    assert len(downloads) == 1 and downloads[0].username == sup.username
    assert str(row.key) in downloads[0].reason
    changes = [e.reason for e in for_case(world.case) if e.username == cw.username]
    assert {r.split(" ")[0] for r in changes if ": change " in r} == {
        "casenote.add",
        "narrative.add",
        "attachment.add",
    }  # each change is a row of the case's history, which audits it
    assert [c.what for c in CaseChange.objects.filter(case=world.case).order_by("pk")] == [
        "casenote.add",
        "narrative.add",
        "attachment.add",
    ]
    trail = " ".join(f"{e.reason} {e.fields}" for e in AuditEntry.objects.all())
    assert "factory" not in trail and "School certificate" not in trail
    assert "factory" not in caplog.text and "School certificate" not in caplog.text
    assert verify() is None


def test_a_refused_read_reads_nothing_and_records_nothing(world: World) -> None:
    service.add_note(world.user("caseworker"), world.case, kind="call", body=SECRET)
    h = world.api("agency_admin")
    before = AuditEntry.objects.count()
    r = Client().get(f"/api/cases/{world.case.pk}/notes", **h)
    assert r.status_code == 403
    assert AuditEntry.objects.count() == before


def test_the_supervisor_sees_who_read_the_notes_in_the_access_log(world: World) -> None:
    service.add_note(world.user("caseworker"), world.case, kind="call", body=SECRET)
    Client().get(f"/api/cases/{world.case.pk}/notes", **world.api("caseworker"))
    page = world.web("case_supervisor").get(f"/cases/{world.case.pk}/access-log/")
    assert page.status_code == 200
    assert "casenote.body" in page.content.decode() and SECRET not in page.content.decode()
