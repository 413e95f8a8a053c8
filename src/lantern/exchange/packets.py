"""Cross-border referral packets: sealed for one installation, signed by another.

Pure (no Django): keys and bytes in, bytes out. The sealed part is HPKE (RFC 9180, base mode,
DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) to the recipient installation's X25519
key, with the header (format, version, agreement, both key fingerprints) as HPKE ``info``;
the sending installation signs the header and the sealed bytes with Ed25519. A packet cannot
be re-addressed, re-labelled with another agreement or passed off as another sender's
without failing. Only the recipient's private key opens it; only the sender's public key,
pinned on the agreement by the receiving installation, vouches for it. Which keys those are
is the caller's decision (the agreement's pinned keys), never the packet's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

FORMAT = "lantern-referral-packet"
VERSION = 2
SUITE_NAME = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_INFO = b"lantern referral packet v2\n"  # domain separation, before the header
_SIGNED = b"lantern referral packet v2 signature\n"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw

# The fixed reasons a packet is refused for; callers translate them (see the services).
NOT_A_PACKET = "not a Lantern referral packet"
OLD_VERSION = (
    "packet version 1 is no longer accepted: ask the partner to send it again from an "
    "up-to-date installation"
)
UNKNOWN_VERSION = "this packet version is not supported"
WRONG_RECIPIENT = "the packet is addressed to another installation"
WRONG_SENDER = (
    "the packet was not signed by the partner installation whose key is pinned on the agreement"
)
BAD_SIGNATURE = "the signature does not verify: the packet was altered"
UNDECRYPTABLE = "the packet cannot be decrypted with this installation's key"
NOT_A_RECORD = "the packet's content is not a record"


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

    @property
    def spoken_fingerprint(self) -> str:
        """The fingerprint in groups of four, as it is read aloud."""
        fp = self.fingerprint
        return " ".join(fp[i : i + 4] for i in range(0, len(fp), 4))

    @classmethod
    def from_json(cls, text: str) -> PublicKeys:
        try:
            data = json.loads(text)
            keys = cls(str(data["name"]), _unb64(data["sign"], "sign"), _unb64(data["box"], "box"))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise PacketError("not a Lantern public key file (name, sign, box)") from exc
        keys.check()
        if "fingerprint" in data and data["fingerprint"] != keys.fingerprint:
            raise PacketError("public key file: the fingerprint does not match the keys")
        return keys

    @classmethod
    def from_b64(cls, name: str, sign: str, box: str) -> PublicKeys:
        """Keys as an agreement stores them (base64 of the raw 32 bytes)."""
        keys = cls(name, _unb64(sign, "sign"), _unb64(box, "box"))
        keys.check()
        return keys

    def b64(self) -> tuple[str, str]:
        """The signing and box keys in base64, as an agreement stores them."""
        return _b64(self.sign), _b64(self.box)

    def check(self) -> None:
        """Refuse keys that are not a usable Ed25519 / X25519 pair."""
        if len(self.sign) != 32 or len(self.box) != 32:
            raise PacketError("public key file: keys must be 32 bytes each")
        try:
            Ed25519PublicKey.from_public_bytes(self.sign)
            # a low-order X25519 point gives an all-zero secret: refuse it here, not at sealing
            X25519PrivateKey.generate().exchange(X25519PublicKey.from_public_bytes(self.box))
        except ValueError as exc:
            raise PacketError("public key file: not a valid Ed25519 / X25519 key") from exc


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


def digest(blob: bytes) -> str:
    """SHA-256 of the packet as sent: both installations record it to refer to one packet."""
    return hashlib.sha256(blob).hexdigest()


def _signed(header: dict[str, Any], sealed: bytes) -> bytes:
    """What the sender signs: the header and the sealed bytes, unambiguously framed."""
    return _SIGNED + _canonical({"header": header, "sealed": _b64(sealed)})


def seal(
    payload: dict[str, Any], *, agreement: str, sender: InstallationKeys, recipient: PublicKeys
) -> bytes:
    """Seal ``payload`` for ``recipient`` (HPKE) and sign it as ``sender``."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "suite": SUITE_NAME,
        "agreement": agreement,
        "sender": sender.public().fingerprint,
        "sender_name": sender.name,
        "recipient": recipient.fingerprint,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    box = X25519PublicKey.from_public_bytes(recipient.box)
    sealed = _SUITE.encrypt(_canonical(payload), box, info=_INFO + _canonical(header))
    signature = sender.sign_private.sign(_signed(header, sealed))
    envelope = {"header": header, "sealed": _b64(sealed), "signature": _b64(signature)}
    return json.dumps(envelope, indent=1).encode()


def _envelope(blob: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    try:
        envelope = json.loads(blob)
        header = envelope["header"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, RecursionError) as exc:
        raise PacketError(NOT_A_PACKET) from exc  # (RecursionError: nested thousands deep)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise PacketError(NOT_A_PACKET)
    if header.get("version") == 1:
        raise PacketError(OLD_VERSION)
    if header.get("version") != VERSION or header.get("suite") != SUITE_NAME:
        raise PacketError(UNKNOWN_VERSION)
    try:
        sealed = _unb64(envelope["sealed"], "sealed")
        signature = _unb64(envelope["signature"], "signature")
    except (KeyError, PacketError) as exc:
        raise PacketError(NOT_A_PACKET) from exc
    return header, sealed, signature


def read_header(blob: bytes) -> dict[str, Any]:
    """The packet's header, NOT yet verified: only to find which agreement (and so which
    pinned key) to verify it with. Refuses what is not a version-2 packet."""
    return _envelope(blob)[0]


def open_packet(blob: bytes, *, recipient: InstallationKeys, sender: PublicKeys) -> Opened:
    """Verify ``blob`` was signed by ``sender`` (the pinned key) and addressed to us, then
    decrypt it. ``sender`` comes from the receiving side's agreement, never from the packet."""
    header, sealed, signature = _envelope(blob)
    if header.get("recipient") != recipient.public().fingerprint:
        raise PacketError(WRONG_RECIPIENT)
    if header.get("sender") != sender.fingerprint:
        raise PacketError(WRONG_SENDER)
    try:
        Ed25519PublicKey.from_public_bytes(sender.sign).verify(signature, _signed(header, sealed))
    except InvalidSignature as exc:
        raise PacketError(BAD_SIGNATURE) from exc
    try:
        plain = _SUITE.decrypt(sealed, recipient.box_private, info=_INFO + _canonical(header))
        payload = json.loads(plain)
    except (InvalidTag, ValueError) as exc:
        raise PacketError(UNDECRYPTABLE) from exc
    if not isinstance(payload, dict):
        raise PacketError(NOT_A_RECORD)
    return Opened(header, payload, digest(blob))
