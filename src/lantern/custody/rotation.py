"""Key rotation as an operation: the vault re-keys the store, the trail records it."""

from __future__ import annotations

from lantern.audit import services as audit
from lantern.vault import rotation


def rotate(source: str = "cli keys") -> tuple[str, int]:
    """Rotate to a fresh key, re-encrypt every value and record it in the audit trail.

    Returns the new key id and the rows rewritten (``lantern.vault.rotation.rotate``); a
    rotation that stops is not recorded, since nothing changed for good.
    """
    kid, rewritten = rotation.rotate()
    audit.record(
        None,
        "rotate",
        "encryption_key",
        kid,
        reason=f"{rewritten} rows re-encrypted; older keys dropped",
        source=source,
    )
    return kid, rewritten
