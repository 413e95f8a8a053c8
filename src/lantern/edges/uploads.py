"""Uploaded files stay in memory, bounded: a child's document never lands in a temporary file.

Django's default handlers write any upload over 2.5 MB to a temporary file, in clear, before a
view can encrypt it. This handler (``FILE_UPLOAD_HANDLERS`` in the settings) keeps every file
in memory up to ``LANTERN_UPLOAD_MAX_BYTES`` and reads the rest of a larger one without keeping
it: such a file arrives empty, marked ``too_large`` with the size that was sent, so that the
service refuses it with the sizes in its reason instead of a form saying "no file".
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file any page or API operation accepts (a setting)."""
    return int(getattr(settings, "LANTERN_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


class BoundedMemoryUploadHandler(FileUploadHandler):
    """In memory, never on disk; beyond the limit the bytes are counted and dropped.

    The limit holds for all the files of one request together (a handler serves one
    request), so that a request carrying many files cannot fill the memory either.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.kept = 0  # bytes of this request's earlier files held in memory

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer: BytesIO | None = BytesIO()
        self.received = 0
        self.limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.buffer is not None and self.kept + self.received > self.limit:
            self.buffer = None  # too large: what came is forgotten, the rest is only counted
        if self.buffer is not None:
            self.buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        content = self.buffer if self.buffer is not None else BytesIO()
        content.seek(0)
        upload = InMemoryUploadedFile(
            file=content,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size if self.buffer is not None else self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.too_large = self.buffer is None  # type: ignore[attr-defined]
        if self.buffer is not None:
            self.kept += self.received
        return upload


def too_large(upload: Any) -> bool:
    """Whether ``upload`` went past the limit (its bytes were dropped on the way in)."""
    return bool(getattr(upload, "too_large", False)) or int(upload.size or 0) > max_upload_bytes()
