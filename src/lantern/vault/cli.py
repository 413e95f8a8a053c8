"""`lantern keys rotate`."""

from __future__ import annotations

import typer

keys_app = typer.Typer(help="Encryption keys (kept outside the database).", no_args_is_help=True)


@keys_app.command("rotate")
def rotate_command() -> None:
    """Make a new active key, re-encrypt every protected value, drop the old key."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.vault.keys import KeyError_
    from lantern.vault.rotation import rotate

    try:
        kid, n = rotate()
    except KeyError_ as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"active key is now {kid}; {n} records re-encrypted")
