"""The narrative, notes and attachments are encrypted at rest: the database columns and the
stored files hold no plaintext, and a key rotation keeps every attachment readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from lantern.custody.rotation import rotate
from lantern.errors import Refused
from lantern.protection.notes import attachments, files, service
from lantern.protection.notes.models import Attachment, CaseNote, NarrativeVersion
from lantern.vault import keys
from tests.protection.notes.conftest import TEXT, World

pytestmark = pytest.mark.django_db

SECRET = "Sunita described the brick kiln near the border"


def _raw(table: str, column: str, pk: int) -> str:
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {q(column)} FROM {q(table)} WHERE id = %s", [pk])
        return str(cur.fetchone()[0])


def test_note_and_narrative_columns_hold_ciphertext_only(world: World) -> None:
    cw = world.user("caseworker")
    note = service.add_note(cw, world.case, kind="visit", body=SECRET)
    version = service.write_narrative(cw, world.case, SECRET + " (narrative)", 0)
    for table, column, pk in (
        (CaseNote._meta.db_table, "body", note.pk),
        (NarrativeVersion._meta.db_table, "text", version.pk),
    ):
        raw = _raw(table, column, pk)
        assert raw.startswith("v2:") and "brick" not in raw and "Sunita" not in raw
    assert CaseNote.objects.get(pk=note.pk).body == SECRET


def test_an_attachment_is_sealed_on_disk_under_var_and_its_name_encrypted(
    world: World, attachments_dir: Path, settings: object
) -> None:
    cw = world.user("caseworker")
    upload = SimpleUploadedFile("sunita-school.txt", TEXT)
    row = attachments.attach(cw, world.case, upload, description="school record")
    stored = files.path_of(row.key)
    assert stored.parent == attachments_dir and stored.exists()
    sealed = stored.read_bytes()
    assert b"School certificate" not in sealed and b"teacher" not in sealed
    assert stored.stat().st_mode & 0o077 == 0
    table = Attachment._meta.db_table
    for column in ("filename", "description", "data_key"):
        raw = _raw(table, column, row.pk)
        assert raw.startswith("v2:") and "sunita" not in raw and "school" not in raw
    got = attachments.download(cw, world.case, row.key)
    assert got.data == TEXT and got.filename == "sunita-school.txt"


def test_a_sealed_file_swapped_or_missing_answers_a_reason_not_a_crash(world: World) -> None:
    cw = world.user("caseworker")
    one = attachments.attach(cw, world.case, SimpleUploadedFile("a.txt", TEXT))
    two = attachments.attach(cw, world.case, SimpleUploadedFile("b.txt", b"another text\n"))
    files.path_of(one.key).write_bytes(files.path_of(two.key).read_bytes())
    with pytest.raises(Refused, match="fails its integrity check"):
        attachments.download(cw, world.case, one.key)
    files.path_of(two.key).unlink()  # e.g. a store restored without its files
    r = Client().get(f"/api/cases/{world.case.pk}/attachments/{two.key}", **world.api("caseworker"))
    assert r.status_code == 409 and "missing from the store" in r.json()["detail"]
    web = world.web("caseworker")
    r = web.get(f"/cases/{world.case.pk}/attachments/{two.key}/", follow=True)
    assert r.status_code == 200 and "missing from the store" in r.content.decode()


def test_key_rotation_keeps_attachments_readable_without_the_old_key(
    key_file: Path, world: World
) -> None:
    cw = world.user("caseworker")
    row = attachments.attach(cw, world.case, SimpleUploadedFile("a.txt", TEXT))
    sealed_before = files.path_of(row.key).read_bytes()
    old = keys.load_keyring().active
    kid, rewritten = rotate()
    assert kid != old and rewritten > 0
    assert old not in keys.load_keyring(create=False).keys  # the old key is gone
    raw = _raw(Attachment._meta.db_table, "data_key", row.pk)
    assert keys.KeyRing.key_id(raw) == kid  # the file's key is re-sealed with the new one
    assert files.path_of(row.key).read_bytes() == sealed_before  # the file is not rewritten
    assert attachments.download(cw, world.case, row.key).data == TEXT
