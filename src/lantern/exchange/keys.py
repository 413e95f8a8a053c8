"""This installation's packet keys, in a file beside the vault's (never in the database)."""

from __future__ import annotations

import os
from pathlib import Path

from lantern.exchange.packets import InstallationKeys


def key_file() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "installation.json"


def installation_keys(path: Path | None = None, create: bool = True) -> InstallationKeys:
    """The installation's key pairs, made (mode 0600) on first use."""
    path = path or key_file()
    if path.exists():
        return InstallationKeys.from_json(path.read_text())
    if not create:
        raise FileNotFoundError(f"no installation key file at {path}")
    keys = InstallationKeys.generate(os.environ.get("LANTERN_INSTALLATION_NAME", "lantern"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(keys.to_json())
    return keys
