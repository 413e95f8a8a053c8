"""The key ring: AES-256-GCM data keys with ids, and an HMAC key for blind indexes.

Ciphertexts carry the id of the key that made them (``v2:<kid>:<base64>``) so that keys can be
rotated: new writes use the active key, old ciphertexts stay readable until re-encrypted.

A ``v2`` ciphertext is bound to the place it is stored in: its associated data names the column
(``lantern/v2/cases.person.given_name``), so a value copied into another column (a shelter address
pasted over a child's name) fails its check instead of decrypting. ``v1`` ciphertexts, made with
one constant associated data, stay readable until ``lantern keys rotate`` rewrites them as ``v2``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v2"
LEGACY_PREFIX = "v1"
_LEGACY_AAD = b"lantern/v1"  # the constant associated data of v1: not bound to a column


class KeyError_(Exception):
    """A key is missing or malformed (the message never contains key material)."""


class UnreadableValue(KeyError_):
    """A ciphertext fails its check where it is read: moved from another column, or altered."""


def associated_data(context: str) -> bytes:
    """What a v2 ciphertext is bound to: ``context`` names its column (app.model.field)."""
    return f"lantern/v2/{context}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


@dataclass
class KeyRing:
    active: str
    keys: dict[str, bytes]
    index_key: bytes
    _aead: dict[str, AESGCM] = field(default_factory=dict, repr=False)

    @classmethod
    def generate(cls) -> KeyRing:
        kid = "k" + secrets.token_hex(4)
        return cls(
            active=kid,
            keys={kid: AESGCM.generate_key(bit_length=256)},
            index_key=secrets.token_bytes(32),
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            data = json.loads(text)
            ring = cls(
                active=data["active"],
                keys={k: _unb64(v) for k, v in data["keys"].items()},
                index_key=_unb64(data["index_key"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyError_("the key ring is malformed (expected active, keys, index_key)") from exc
        if ring.active not in ring.keys:
            raise KeyError_(f"the active key {ring.active!r} is not in the key ring")
        return ring

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {k: _b64(v) for k, v in self.keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )

    def rotated(self) -> KeyRing:
        """A ring with a fresh active key; older keys stay for reading until re-encryption."""
        kid = "k" + secrets.token_hex(4)
        keys = dict(self.keys)
        keys[kid] = AESGCM.generate_key(bit_length=256)
        return KeyRing(active=kid, keys=keys, index_key=self.index_key)

    def without_unused(self, used: set[str]) -> KeyRing:
        keys = {k: v for k, v in self.keys.items() if k in used or k == self.active}
        return KeyRing(active=self.active, keys=keys, index_key=self.index_key)

    def _cipher(self, kid: str) -> AESGCM:
        if kid not in self._aead:
            if kid not in self.keys:
                raise KeyError_(
                    f"no key {kid!r} in the key ring: was it removed before re-encryption?"
                )
            self._aead[kid] = AESGCM(self.keys[kid])
        return self._aead[kid]

    def encrypt(self, plaintext: str, context: str = "") -> str:
        """A v2 ciphertext of ``plaintext`` bound to ``context`` (the column it is stored in)."""
        nonce = os.urandom(12)
        aad = associated_data(context)
        ct = self._cipher(self.active).encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{PREFIX}:{self.active}:{_b64(nonce + ct)}"

    def sealer(self, context: str) -> Callable[[str], str]:
        """``encrypt`` for many values of one column: the same v2 ciphertexts (a fresh nonce
        each), with the cipher and associated data made once."""
        aad, cipher = associated_data(context), self._cipher(self.active)
        prefix = f"{PREFIX}:{self.active}:"
        nonces, b64 = _nonces(), base64.urlsafe_b64encode

        def seal(plaintext: str) -> str:
            nonce = next(nonces)
            body = nonce + cipher.encrypt(nonce, plaintext.encode("utf-8"), aad)
            return prefix + b64(body).decode("ascii")

        return seal

    def decrypt(self, token: str, context: str = "") -> str:
        """The plaintext of ``token`` read from ``context``; v1 tokens ignore the context."""
        try:
            prefix, kid, body = token.split(":", 2)
        except ValueError as exc:
            raise KeyError_("a stored value is not a Lantern ciphertext") from exc
        if prefix == PREFIX:
            aad = associated_data(context)
        elif prefix == LEGACY_PREFIX:
            aad = _LEGACY_AAD
        else:
            raise KeyError_(f"unknown ciphertext version {prefix!r}")
        cipher = self._cipher(kid)
        try:
            raw = _unb64(body)
            return cipher.decrypt(raw[:12], raw[12:], aad).decode("utf-8")
        except (InvalidTag, ValueError) as exc:
            where = context or "this place"
            raise UnreadableValue(
                f"a stored value fails its integrity check in {where}: it was encrypted for "
                "another column or altered"
            ) from exc

    @staticmethod
    def key_id(token: str) -> str:
        return token.split(":", 2)[1]

    @staticmethod
    def version(token: str) -> str:
        """``v2`` (bound to its column) or ``v1`` (constant associated data)."""
        return token.split(":", 1)[0]

    def derived_key(self, purpose: str) -> bytes:
        """A key for ``purpose`` (e.g. the audit chain), separate from every other use."""
        return hmac.new(
            self.index_key, f"lantern derived key\x00{purpose}".encode(), hashlib.sha256
        ).digest()

    def blind_index(self, value: str, purpose: str) -> str:
        """Keyed hash for exact look-up (identity numbers) without storing the value."""
        norm = unicodedata.normalize("NFKC", value).strip().upper().replace(" ", "")
        mac = hmac.new(self.index_key, f"{purpose}\x00{norm}".encode(), hashlib.sha256)
        return mac.hexdigest()[:40]


def _nonces(batch: int = 4096) -> Iterator[bytes]:
    """Random 96-bit nonces, as ``os.urandom(12)`` gives them, drawn from the system's random
    source ``batch`` at a time (one system call, not one per value)."""
    while True:
        block = os.urandom(12 * batch)
        for i in range(0, len(block), 12):
            yield block[i : i + 12]


_lock = threading.Lock()
_cached: KeyRing | None = None
_cached_stamp: int | None = None


def key_file() -> Path:
    from django.conf import settings

    return Path(settings.LANTERN_KEY_FILE)


def load_keyring(create: bool = True) -> KeyRing:
    """The ring from ``LANTERN_KEYS`` or the key file (created, mode 0600, on first run)."""
    env = os.environ.get("LANTERN_KEYS")
    if env:
        return KeyRing.from_json(env)
    path = key_file()
    if not path.exists():
        if not create:
            raise KeyError_(f"no key file at {path}")
        ring = KeyRing.generate()
        save_keyring(ring, path)
        return ring
    return KeyRing.from_json(path.read_text())


def save_keyring(ring: KeyRing, path: Path | None = None) -> None:
    """Replace the key file atomically and durably: a crash leaves the old file or the new.

    The temporary file is new and 0600 from its first byte (a name of its own, so a stale one
    with laxer modes, or a concurrent writer's, is never reused); it is flushed to disk before
    the rename, and the folder after it, because a lost key file loses every identity.
    """
    from lantern.filemodes import replace_privately

    path = path or key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_privately(path, lambda fh: fh.write(ring.to_json().encode()))


def _stamp() -> int | None:
    """Changes whenever the key file is replaced, so a running server follows a rotation."""
    if os.environ.get("LANTERN_KEYS"):
        return None
    try:
        st = key_file().stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns ^ st.st_ino


def keyring() -> KeyRing:
    global _cached, _cached_stamp
    with _lock:
        stamp = _stamp()
        if _cached is None or stamp != _cached_stamp:
            _cached = load_keyring()
            _cached_stamp = _stamp()
        return _cached


def reset_cache() -> None:
    global _cached, _cached_stamp
    with _lock:
        _cached, _cached_stamp = None, None


def encrypt(plaintext: str, context: str = "") -> str:
    return keyring().encrypt(plaintext, context)


def decrypt(token: str, context: str = "") -> str:
    return keyring().decrypt(token, context)


def blind_index(value: str, purpose: str) -> str:
    return keyring().blind_index(value, purpose)


def derived_key(purpose: str) -> bytes:
    return keyring().derived_key(purpose)
