"""A key file of the test's own (rotation writes it), and raw access to stored columns."""

from __future__ import annotations

import base64
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection

from lantern.vault import keys


def raw(table: str, column: str, pk: int) -> Any:
    """The value as stored, without the field's decryption."""
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT {q(column)} FROM {q(table)} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def put(table: str, column: str, pk: int, value: Any) -> None:
    """Write a stored value directly, as someone with write access to the database could."""
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {q(table)} SET {q(column)} = %s WHERE id = %s", [value, pk])


def v1_token(plaintext: str) -> str:
    """A ciphertext as Lantern wrote it before v2: the constant associated data."""
    ring = keys.keyring()
    nonce = os.urandom(12)
    body = AESGCM(ring.keys[ring.active]).encrypt(nonce, plaintext.encode(), b"lantern/v1")
    return f"v1:{ring.active}:{base64.urlsafe_b64encode(nonce + body).decode()}"
