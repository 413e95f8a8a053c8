"""Files encrypted at rest: each file sealed with a key of its own, that key sealed by the vault.

A file is too large to re-encrypt inside a key rotation's transaction, so it gets a random
AES-256-GCM data key of its own (envelope encryption). The data key is stored in an encrypted
column (``EncryptedTextField``), i.e. sealed with the vault's active key and bound to its
column; ``lantern keys rotate`` re-seals that column with every other one, so a file stays
readable after the old vault key is dropped, and its bytes are never rewritten. The file's own
ciphertext is bound to ``context`` (e.g. the attachment's id): a file swapped for another
fails its check instead of opening.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.filemodes import replace_privately
from lantern.vault.keys import UnreadableValue

_NONCE = 12
_MAGIC = b"LNTB1"  # a sealed file's first bytes: format version 1


def new_data_key() -> str:
    """A fresh data key, as text for an encrypted column."""
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")


def _aad(context: str) -> bytes:
    return f"lantern/blob/{context}".encode()


def seal(data: bytes, data_key: str, context: str) -> bytes:
    """``data`` encrypted with ``data_key``, bound to ``context``."""
    nonce = os.urandom(_NONCE)
    cipher = AESGCM(base64.urlsafe_b64decode(data_key))
    return _MAGIC + nonce + cipher.encrypt(nonce, data, _aad(context))


def open_sealed(blob: bytes, data_key: str, context: str) -> bytes:
    """The clear bytes of ``blob``; UnreadableValue when it was altered, swapped or the key is
    not its own."""
    if not blob.startswith(_MAGIC):
        raise UnreadableValue(f"{context}: the stored file is not a Lantern sealed file")
    body = blob[len(_MAGIC) :]
    try:
        cipher = AESGCM(base64.urlsafe_b64decode(data_key))
        return cipher.decrypt(body[:_NONCE], body[_NONCE:], _aad(context))
    except (InvalidTag, ValueError) as exc:
        raise UnreadableValue(
            f"{context}: the stored file fails its integrity check (altered or swapped)"
        ) from exc


class SealedFolder:
    """A private folder of files sealed one by one, each named by its record's random key and
    bound to it (``kind/key``): attachments, files waiting for an import. The caller's row
    keeps each file's data key in an encrypted column."""

    def __init__(self, where: Callable[[], Path], kind: str) -> None:
        self._where, self.kind = where, kind  # where: read from settings when first used

    def folder(self) -> Path:
        path = self._where()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def path_of(self, key: uuid.UUID, suffix: str = ".sealed") -> Path:
        return self.folder() / f"{key.hex}{suffix}"

    def store(self, key: uuid.UUID, data: bytes) -> str:
        """Seal ``data`` as ``key``'s file (0600, written atomically); its data key."""
        data_key = new_data_key()
        sealed = seal(data, data_key, f"{self.kind}/{key}")
        replace_privately(self.path_of(key), lambda fh: fh.write(sealed))
        return data_key

    def load(self, key: uuid.UUID, data_key: str) -> bytes:
        """The clear bytes of ``key``'s file; FileNotFoundError or UnreadableValue."""
        return open_sealed(self.path_of(key).read_bytes(), data_key, f"{self.kind}/{key}")

    def remove(self, key: uuid.UUID) -> None:
        self.path_of(key).unlink(missing_ok=True)
