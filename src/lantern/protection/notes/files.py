"""Where attachments' bytes are kept: sealed files under ``LANTERN_ATTACHMENTS_DIR`` (var/).

Never under static or media: nothing serves this folder; the download view reads a file
through the policy. Each file is named by its attachment's random key and sealed with a key of
its own (``lantern.vault.blobs``), which the attachment's row keeps encrypted by the vault.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings

from lantern.filemodes import replace_privately
from lantern.vault import blobs


def folder() -> Path:
    path = Path(settings.LANTERN_ATTACHMENTS_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(key: uuid.UUID) -> Path:
    return folder() / f"{key.hex}.sealed"


def _context(key: uuid.UUID) -> str:
    return f"cases.attachment/{key}"


def store(key: uuid.UUID, data: bytes) -> str:
    """Seal ``data`` as attachment ``key``'s file (0600, written atomically); its data key."""
    data_key = blobs.new_data_key()
    sealed = blobs.seal(data, data_key, _context(key))
    replace_privately(path_of(key), lambda fh: fh.write(sealed))
    return data_key


def load(key: uuid.UUID, data_key: str) -> bytes:
    """The clear bytes of attachment ``key``; FileNotFoundError or UnreadableValue."""
    return blobs.open_sealed(path_of(key).read_bytes(), data_key, _context(key))


def remove(key: uuid.UUID) -> None:
    path_of(key).unlink(missing_ok=True)
