"""`lantern backup --out FILE` and `lantern restore FILE`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from lantern.edges.commands import fail, source


def backup_command(
    out: Path = typer.Option(..., "--out", help="The backup file to write (must not exist)"),
) -> None:
    """Back up the database (consistent while Lantern runs). The keys are NOT in the backup:
    keep a copy of the key file apart from it."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.backup.archive import BackupError, make_backup
    from lantern.vault.keys import KeyError_, key_file

    try:
        manifest = make_backup(out, source=source("backup"))
    except (BackupError, KeyError_) as exc:
        raise fail(str(exc)) from exc
    rows = sum(manifest.tables.values())
    typer.echo(
        f"backup written to {out}: {len(manifest.tables)} tables, {rows} rows; it needs key(s) "
        f"{', '.join(manifest.keys) or '(none)'} to be read"
    )
    if not os.environ.get("LANTERN_KEYS") and key_file().parent.resolve() == out.parent.resolve():
        typer.echo(
            "warning: the backup sits beside the key file; store them in separate places",
            err=True,
        )


def restore_command(
    file: Path = typer.Argument(..., help="A file written by `lantern backup`"),
    force: bool = typer.Option(False, "--force", help="Overwrite a database that holds data"),
) -> None:
    """Restore a backup into the configured database, with the key file kept for it.

    Refuses a non-empty database unless --force, and keys that cannot read the backup. Then
    checks that every table has its rows, the audit chain verifies and every value decrypts.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    from lantern.backup.archive import (
        BackupError,
        count_mismatches,
        restore_backup,
        unreadable,
    )
    from lantern.boot import setup_django

    if not file.is_file():
        raise fail(f"no such file: {file}")
    try:
        manifest = restore_backup(file, force=force)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    problems = count_mismatches(manifest)
    setup_django()  # an older backup's schema is brought up to date (SQLite)
    problems += unreadable()
    if problems:
        for problem in problems:
            typer.echo(f"restore check: {problem}", err=True)
        raise fail("the restored store failed its checks (see above)", code=1)
    from lantern.audit import services as audit

    audit.record(None, "restore", "database", file.name, source=source("restore"))
    rows = sum(manifest.tables.values())
    typer.echo(
        f"restored {file} (made {manifest.created_at}): {len(manifest.tables)} tables, "
        f"{rows} rows; every value decrypts and the audit trail verifies"
    )
