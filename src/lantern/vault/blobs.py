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

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
