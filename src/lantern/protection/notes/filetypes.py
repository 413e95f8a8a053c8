"""What a file is, told by its first bytes: PDF, JPEG, PNG or plain text, nothing else.

The name and the type a browser claims are the sender's word; the content is checked against
the formats' own signatures (PDF: ``%PDF-``, ISO 32000-1 7.5.2; JPEG: the SOI marker ``FF D8``
and a following marker ``FF``; PNG: its eight-byte signature, ISO/IEC 15948 5.2). Plain text has
no signature: it is UTF-8 without control characters other than tab, line breaks and form feed.
Four signatures and a decode are all this needs, so no libmagic (which would also name types
the allow-list refuses anyway).
"""

from __future__ import annotations

import re

from lantern.protection.notes.models import FileType

SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", FileType.PDF),
    (b"\xff\xd8\xff", FileType.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileType.PNG),
)
EXTENSIONS = {
    FileType.PDF: ".pdf",
    FileType.JPEG: ".jpg",
    FileType.PNG: ".png",
    FileType.TEXT: ".txt",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and _CONTROL.search(text) is None


def detect(data: bytes) -> FileType | None:
    """The allowed type ``data`` is, or None when it is none of them."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    return FileType.TEXT if _is_text(data) else None


def download_name(name: str, kind: FileType) -> str:
    """``name`` as a download offers it: the extension of what the file really is."""
    extension = EXTENSIONS[kind]
    aliases = {".jpeg"} if kind is FileType.JPEG else set()
    lower = name.lower()
    if lower.endswith(extension) or any(lower.endswith(a) for a in aliases):
        return name
    return name + extension
