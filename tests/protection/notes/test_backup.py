"""A backup carries the attachments' sealed files (never their clear bytes), and a restore
puts them back, so a restored store's attachments still download."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantern.backup import archive
from lantern.protection.notes import attachments, files
from tests.protection.notes.conftest import TEXT, World

pytestmark = pytest.mark.django_db


def test_a_backup_carries_the_sealed_files_and_a_restore_puts_them_back(
    world: World, tmp_path: Path, attachments_dir: Path
) -> None:
    cw = world.user("caseworker")
    row = attachments.attach(cw, world.case, SimpleUploadedFile("a.txt", TEXT))
    sealed = files.path_of(row.key).read_bytes()
    out = tmp_path / "lantern.backup"
    database = tmp_path / "database.sqlite3"  # the test store is in memory: a stand-in copy
    database.write_bytes(b"SQLite format 3\x00")
    archive._write_atomically(out, archive.Manifest("sqlite", "now", {}, ""), database)
    with tarfile.open(out) as tar:
        member = tar.extractfile(f"attachments/{row.key.hex}.sealed")
        assert member is not None and member.read() == sealed
    assert TEXT not in out.read_bytes()

    shutil.rmtree(attachments_dir)  # the machine is lost with its var/
    assert archive.restore_attachments(out) == 1
    assert files.path_of(row.key).stat().st_mode & 0o077 == 0
    assert attachments.download(cw, world.case, row.key).data == TEXT
