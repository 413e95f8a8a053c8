"""Attachments: the type told by content against an allow-list, the size bounded by a
setting, each refusal a 4xx with its reason; downloads saved, never sniffed or cached;
a deletion keeps who and why and removes the file."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.protection.notes import files
from lantern.protection.notes.models import Attachment
from tests.protection.notes.conftest import EXE, JPEG, PDF, PNG, TEXT, World

pytestmark = pytest.mark.django_db


def _upload(world: World, name: str, data: bytes, column: str = "caseworker") -> Any:
    return Client().post(
        f"/api/cases/{world.case.pk}/attachments",
        {"file": SimpleUploadedFile(name, data, "application/pdf"), "description": "probe"},
        **world.api(column),
    )


@pytest.mark.parametrize(
    ("name", "data", "media_type", "saved_as"),
    [
        ("report.pdf", PDF, "application/pdf", "report.pdf"),
        ("photo.jpeg", JPEG, "image/jpeg", "photo.jpeg"),
        ("scan.png", PNG, "image/png", "scan.png"),
        ("letter", TEXT, "text/plain", "letter.txt"),  # named by what it is
        ("pic.pdf", PNG, "image/png", "pic.pdf.png"),  # the content wins over the name
    ],
)
def test_allowed_types_are_told_by_content_and_download_as_files(
    world: World, name: str, data: bytes, media_type: str, saved_as: str
) -> None:
    r = _upload(world, name, data)
    assert r.status_code == 201, r.content
    assert r.json()["media_type"] == media_type and r.json()["size"] == len(data)
    got = Client().get(
        f"/api/cases/{world.case.pk}/attachments/{r.json()['id']}", **world.api("caseworker")
    )
    assert got.status_code == 200 and got.content == data
    assert got["Content-Type"].startswith(media_type)
    assert got["Content-Disposition"] == f'attachment; filename="{saved_as}"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in got["Cache-Control"] and "private" in got["Cache-Control"]


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        b"<html><script>alert(1)</script></html>\x00",
        b"\x00\x01\x02binary",
        "caf\u00e9".encode("latin-1"),  # not UTF-8
        b"PK\x03\x04zip archive",
    ],
)
def test_other_types_are_refused_with_the_reason(world: World, data: bytes) -> None:
    r = _upload(world, "report.pdf", data)
    assert r.status_code == 422
    assert r.json()["field"] == "file"
    assert "PDF, a JPEG or PNG image, or plain text" in r.json()["detail"]
    assert not Attachment.objects.exists()
    assert not list(files.folder().iterdir())


def test_a_file_over_the_limit_is_refused_naming_the_sizes(world: World, settings: Any) -> None:
    settings.LANTERN_UPLOAD_MAX_BYTES = 1024 * 1024
    r = _upload(world, "big.txt", b"a" * (1024 * 1024 + 1))
    assert r.status_code == 422, r.content
    assert r.json() == {
        "detail": "The file is 1.0 MB; files of at most 1.0 MB are accepted.",
        "field": "file",
    }
    r = _upload(world, "big.txt", b"a" * (3 * 1024 * 1024))
    assert "The file is 3.0 MB" in r.json()["detail"]
    assert _upload(world, "fits.txt", b"a" * (1024 * 1024)).status_code == 201
    assert Attachment.objects.count() == 1


def test_an_empty_file_or_none_is_refused(world: World) -> None:
    assert _upload(world, "empty.txt", b"").json()["detail"] == "The file is empty."
    r = Client().post(f"/api/cases/{world.case.pk}/attachments", {}, **world.api("caseworker"))
    assert r.status_code == 422 and r.json()["detail"] == "Choose a file to attach."


def test_a_deletion_keeps_who_and_why_and_removes_the_file(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    key = _upload(world, "wrong.pdf", PDF).json()["id"]
    path = files.path_of(Attachment.objects.get().key)
    url = f"/api/cases/{world.case.pk}/attachments/{key}"
    h = world.api("case_supervisor")
    r = Client().post(url + "/delete", {"reason": " "}, content_type="application/json", **h)
    assert r.status_code == 422 and r.json()["field"] == "reason"
    assert path.exists()
    why = "Uploaded to the wrong child's case"
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once it commits
        r = Client().post(url + "/delete", {"reason": why}, content_type="application/json", **h)
    assert r.status_code == 200, r.content
    assert r.json()["deleted_by"] == world.user("case_supervisor").username
    assert r.json()["deletion_reason"] == why and r.json()["deleted_at"]
    assert not path.exists()
    assert Client().get(url, **h).status_code == 404
    listed = Client().get(f"/api/cases/{world.case.pk}/attachments", **h).json()
    assert [a["deletion_reason"] for a in listed] == [why]
    r = Client().post(url + "/delete", {"reason": why}, content_type="application/json", **h)
    assert r.status_code == 404  # deleted once
