"""Uploads are kept in memory up to LANTERN_UPLOAD_MAX_BYTES for a whole request, never written
to a temporary file; what goes past the limit arrives empty, marked too large, with its size."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import RequestFactory

from lantern.edges.uploads import too_large


def _received(settings: Any, files: dict[str, bytes], limit: int) -> dict[str, Any]:
    settings.LANTERN_UPLOAD_MAX_BYTES = limit
    request: HttpRequest = RequestFactory().post(
        "/", {k: SimpleUploadedFile(f"{k}.txt", v) for k, v in files.items()}
    )
    return {k: request.FILES[k] for k in files}


def test_a_file_within_the_limit_arrives_whole_in_memory(settings: Any) -> None:
    got = _received(settings, {"a": b"x" * 5000}, limit=5000)["a"]
    assert got.read() == b"x" * 5000 and not too_large(got)
    assert not hasattr(got, "temporary_file_path")  # never on disk


def test_past_the_limit_a_file_arrives_empty_marked_with_its_size(settings: Any) -> None:
    got = _received(settings, {"a": b"x" * 5001}, limit=5000)["a"]
    assert too_large(got) and got.size == 5001 and got.read() == b""


def test_the_limit_holds_for_all_the_files_of_a_request(settings: Any) -> None:
    got = _received(settings, {"a": b"x" * 3000, "b": b"y" * 3000}, limit=5000)
    assert got["a"].read() == b"x" * 3000 and not too_large(got["a"])
    assert too_large(got["b"]) and got["b"].read() == b""
