"""Cross-border referral packets: encrypted for one installation, signed by another.

Pure (no Django): keys and bytes in, bytes out. The construction is the usual sealed-box one
built from ``cryptography`` primitives: an ephemeral X25519 key agreement with the recipient's
installation key, HKDF-SHA256 to an AES-256-GCM key, and an Ed25519 signature by the sending
installation over the header, nonce and ciphertext. The header (format, agreement, both key
fingerprints, ephemeral key) is authenticated as AES-GCM associated data and signed, so a
packet cannot be re-addressed, re-labelled with another agreement or replayed from another
sender without failing. Only the recipient's private key opens it; only the sender's public
key, obtained out of band, vouches for it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "lantern-referral-packet"
VERSION = 1
_INFO = b"lantern referral packet v1"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class PacketError(ValueError):
    """A packet or key that cannot be used; the message says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError) as exc:
        raise PacketError(f"{what}: not base64") from exc


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class PublicKeys:
    """An installation's public keys, as exchanged out of band between the two countries."""

    name: str
    sign: bytes
    box: bytes

    @property
    def fingerprint(self) -> str:
        """Short, stable id of the key pair: read it aloud to check a key file by phone."""
        return hashlib.sha256(self.sign + self.box).hexdigest()[:32]

    def to_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "sign": _b64(self.sign),
                "box": _b64(self.box),
                "fingerprint": self.fingerprint,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> PublicKeys:
        try:
            data = json.loads(text)
            keys = cls(str(data["name"]), _unb64(data["sign"], "sign"), _unb64(data["box"], "box"))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise PacketError("not a Lantern public key file (name, sign, box)") from exc
        if len(keys.sign) != 32 or len(keys.box) != 32:
            raise PacketError("public key file: keys must be 32 bytes each")
        if "fingerprint" in data and data["fingerprint"] != keys.fingerprint:
            raise PacketError("public key file: the fingerprint does not match the keys")
        return keys


@dataclass(frozen=True)
class InstallationKeys:
    """This installation's private signing and decryption keys (kept outside the database)."""

    name: str
    sign_private: Ed25519PrivateKey
    box_private: X25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> InstallationKeys:
        return cls(name, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    def public(self) -> PublicKeys:
        return PublicKeys(
            self.name,
            self.sign_private.public_key().public_bytes(*_RAW),
            self.box_private.public_key().public_bytes(*_RAW),
        )

    def to_json(self) -> str:
        raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw
        none = serialization.NoEncryption()
        return json.dumps(
            {
                "name": self.name,
                "sign_private": _b64(self.sign_private.private_bytes(*raw, none)),
                "box_private": _b64(self.box_private.private_bytes(*raw, none)),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> InstallationKeys:
        try:
            data = json.loads(text)
            return cls(
                str(data["name"]),
                Ed25519PrivateKey.from_private_bytes(_unb64(data["sign_private"], "sign_private")),
                X25519PrivateKey.from_private_bytes(_unb64(data["box_private"], "box_private")),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise PacketError(f"installation key file unreadable: {exc}") from exc


@dataclass(frozen=True)
class Opened:
    """A verified, decrypted packet."""

    header: dict[str, Any]
    payload: dict[str, Any]
    digest: str


def _key(shared: bytes, ephemeral: bytes, recipient_box: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient_box, info=_INFO)
    return hkdf.derive(shared)


def digest(blob: bytes) -> str:
    """SHA-256 of the packet as sent: both installations record it to refer to one packet."""
    return hashlib.sha256(blob).hexdigest()


def seal(
    payload: dict[str, Any], *, agreement: str, sender: InstallationKeys, recipient: PublicKeys
) -> bytes:
    """Encrypt ``payload`` for ``recipient`` and sign it as ``sender``."""
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(*_RAW)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "agreement": agreement,
        "sender": sender.public().fingerprint,
        "sender_name": sender.name,
        "recipient": recipient.fingerprint,
        "ephemeral": _b64(eph_pub),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    aad = _canonical(header)
    key = _key(
        eph.exchange(X25519PublicKey.from_public_bytes(recipient.box)), eph_pub, recipient.box
    )
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, _canonical(payload), aad)
    signature = sender.sign_private.sign(aad + nonce + ciphertext)
    envelope = {
        "header": header,
        "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
        "signature": _b64(signature),
    }
    return json.dumps(envelope, indent=1).encode()


def open_packet(blob: bytes, *, recipient: InstallationKeys, sender: PublicKeys) -> Opened:
    """Verify ``blob`` came from ``sender`` and was addressed to us, then decrypt it."""
    try:
        envelope = json.loads(blob)
        header = envelope["header"]
        nonce = _unb64(envelope["nonce"], "nonce")
        ciphertext = _unb64(envelope["ciphertext"], "ciphertext")
        signature = _unb64(envelope["signature"], "signature")
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise PacketError("not a Lantern referral packet") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise PacketError("not a Lantern referral packet")
    if header.get("version") != VERSION:
        raise PacketError(f"packet version {header.get('version')!r} is not supported")
    if header.get("recipient") != recipient.public().fingerprint:
        raise PacketError("the packet is addressed to another installation")
    if header.get("sender") != sender.fingerprint:
        raise PacketError("the packet was not sent by the installation whose key you gave")
    aad = _canonical(header)
    try:
        Ed25519PublicKey.from_public_bytes(sender.sign).verify(signature, aad + nonce + ciphertext)
    except InvalidSignature as exc:
        raise PacketError("the signature does not verify: the packet was altered") from exc
    eph_pub = _unb64(header.get("ephemeral"), "ephemeral")
    own_box = recipient.public().box
    try:
        shared = recipient.box_private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        plain = AESGCM(_key(shared, eph_pub, own_box)).decrypt(nonce, ciphertext, aad)
        payload = json.loads(plain)
    except (InvalidTag, ValueError) as exc:
        raise PacketError("the packet cannot be decrypted with this installation's key") from exc
    if not isinstance(payload, dict):
        raise PacketError("the packet's content is not a record")
    return Opened(header, payload, digest(blob))
