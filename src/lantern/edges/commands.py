"""What every `lantern` command acting as a Lantern user shares: the user it acts as, the
audit source naming the shell account, the service's refusal as an exit with the option it
concerns, and files read bounded and written private. Django is set up by the caller."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from lantern.accounts.models import User
    from lantern.errors import ProtectionError


def fail(message: str, code: int = 2) -> typer.Exit:
    """The exit a refused command raises (status 2 unless said, the reason on stderr)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def named(exc: ProtectionError, options: dict[str, str]) -> str:
    """The service's reason, prefixed with the option it concerns."""
    reason = str(exc.reason)
    if exc.field and reason.startswith(f"{exc.field}: "):  # the service names its own field
        reason = reason[len(exc.field) + 2 :]
    name = options.get(exc.field, "") or exc.field
    return f"{name}: {reason}" if name else reason


def source(command: str) -> str:
    """The audit source of a command: the shell account that ran it."""
    try:
        return f"cli {getpass.getuser()} {command}"
    except (KeyError, OSError):
        return f"cli {command}"


def acting(username: str) -> User:
    """The active Lantern user the command acts as (``--user``)."""
    from lantern.accounts.models import User

    who = User.objects.select_related("agency").filter(username=username, is_active=True).first()
    if who is None:
        raise fail(f"--user: no active user {username!r}")
    return who


def read_file(path: Path, option: str, limit: int) -> bytes:
    """The bytes of ``path``, refused past ``limit`` (a packet or report is small)."""
    try:
        if path.stat().st_size > limit:
            raise fail(f"{option}: {path} is larger than {limit} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"{option}: cannot read {path}: {exc.strerror}") from exc


def write_private(path: Path, blob: bytes) -> None:
    """Write ``blob`` readable by the operator only (a packet is sealed, but names its parties)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
