"""The Notes page: saves come back to their section with a confirmation; a refused form keeps
what was typed and says why in the user's words; the narrative keeps its versions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.protection.notes.models import Attachment, CaseNote, NarrativeVersion
from tests.protection.notes.conftest import EXE, PDF, World

pytestmark = pytest.mark.django_db


def _url(world: World) -> str:
    return f"/cases/{world.case.pk}/notes/"


def _post(web: Client, world: World, form: str, **data: Any) -> Any:
    return web.post(_url(world), {"form": form, **data})


def test_the_case_page_links_to_the_notes(world: World) -> None:
    page = world.web("caseworker").get(f"/cases/{world.case.pk}/")
    assert page.status_code == 200
    assert f'href="{_url(world)}"' in page.content.decode()


def test_a_note_is_saved_and_listed_newest_first(world: World) -> None:
    web = world.web("caseworker")
    r = _post(web, world, "note", kind="visit", body="First visit at the shelter")
    assert r.status_code == 302 and r["Location"] == _url(world) + "#notes"
    _post(web, world, "note", kind="call", body="Called the school", follow_up_on="2099-01-31")
    page = web.get(r["Location"]).content.decode()
    assert "Note saved." in page
    assert page.index("Called the school") < page.index("First visit at the shelter")
    assert "2099-01-31" in page and ">Call<" in page  # the kind's label, not its code


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"kind": "", "body": "Kept text of the note"}, "Choose what kind of note this is"),
        ({"kind": "visit", "body": "   "}, "Write the note before saving."),
        (
            {"kind": "visit", "body": "Kept text of the note", "follow_up_on": "2001-01-01"},
            "The follow-up date cannot be in the past.",
        ),
    ],
)
def test_a_refused_note_keeps_what_was_typed(
    world: World, data: dict[str, str], reason: str
) -> None:
    r = _post(world.web("caseworker"), world, "note", **data)
    page = r.content.decode()
    assert r.status_code == 400 and reason in page
    if data["body"].strip():
        assert data["body"] in page
    assert "body:" not in page and "kind:" not in page  # no field names
    assert not CaseNote.objects.exists()


def test_the_narrative_keeps_its_versions(world: World) -> None:
    web = world.web("caseworker")
    r = _post(web, world, "narrative", text="She left home in March.", base_version="0")
    assert r.status_code == 302 and r["Location"].endswith("#narrative")
    r = _post(web, world, "narrative", text="She left home in March 2024.", base_version="1")
    page = web.get(r["Location"]).content.decode()
    assert "Narrative saved as version 2." in page
    assert "1 earlier version" in page and "She left home in March.</p>" in page
    assert re.search(r"<textarea[^>]*>\s*She left home in March 2024.</textarea>", page)
    assert list(NarrativeVersion.objects.values_list("version", flat=True)) == [2, 1]


def test_an_edit_over_someone_elses_is_refused_with_the_text_kept(world: World) -> None:
    mine, theirs = world.web("caseworker"), world.web("case_supervisor")
    _post(mine, world, "narrative", text="Version one.", base_version="0")
    _post(theirs, world, "narrative", text="The supervisor's version.", base_version="1")
    r = _post(mine, world, "narrative", text="My late edit.", base_version="1")
    page = r.content.decode()
    assert r.status_code == 409 and "changed by someone else" in page
    assert "My late edit." in page
    assert re.search(r'name="base_version" value="2"', page)  # saving again goes through
    r = _post(mine, world, "narrative", text="My late edit.", base_version="2")
    assert r.status_code == 302
    assert NarrativeVersion.objects.count() == 3


def test_an_upload_through_the_page(world: World) -> None:
    web = world.web("caseworker")
    r = web.post(
        _url(world),
        {"form": "upload", "file": SimpleUploadedFile("x.pdf", EXE), "description": "Kept"},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "only these can be attached" in page
    assert 'value="Kept"' in page and "Choose the file again" in page
    r = web.post(
        _url(world),
        {"form": "upload", "file": SimpleUploadedFile("report.pdf", PDF), "description": "Medical"},
    )
    assert r.status_code == 302 and r["Location"].endswith("#attachments")
    row = Attachment.objects.get()
    page = web.get(r["Location"]).content.decode()
    assert "File attached." in page
    assert f'href="/cases/{world.case.pk}/attachments/{row.key}/"' in page
    assert web.get(f"/cases/{world.case.pk}/attachments/{row.key}/").content == PDF


def test_a_deletion_through_the_page_needs_a_reason(world: World) -> None:
    web = world.web("case_supervisor")
    web.post(_url(world), {"form": "upload", "file": SimpleUploadedFile("a.pdf", PDF)})
    key = str(Attachment.objects.get().key)
    r = _post(web, world, "delete", attachment=key, reason="")
    assert r.status_code == 400 and "Say why the attachment is deleted." in r.content.decode()
    r = _post(web, world, "delete", attachment=key, reason="A duplicate of the scan")
    assert r.status_code == 302
    page = web.get(r["Location"]).content.decode()
    assert "Attachment deleted." in page and "A duplicate of the scan" in page
    assert Attachment.objects.get().deleted_at is not None


def test_readers_who_may_not_write_see_no_forms(world: World) -> None:
    _post(world.web("caseworker"), world, "narrative", text="The story.", base_version="0")
    page = world.web("system_admin+grant").get(_url(world)).content.decode()
    assert "The story." in page
    assert 'name="form"' not in page
    r = _post(world.web("system_admin+grant"), world, "note", kind="visit", body="x")
    assert r.status_code == 403 and not CaseNote.objects.exists()
