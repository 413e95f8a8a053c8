"""`lantern forms export --out DIR`: the XLSForms for ODK Central and KoboToolbox."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

forms_app = typer.Typer(help="Forms for offline field capture (ODK, Kobo).", no_args_is_help=True)


@forms_app.command("export")
def export_command(
    out: Path = typer.Option(..., "--out", help="Directory to write the .xlsx forms into"),
    version: str = typer.Option(
        "", "--version", help="Form version (default: today, YYYYMMDD01); raise it to replace"
    ),
) -> None:
    """Write the intake, screening and follow-up XLSForms (labels in en, fr, es)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.fieldforms.export import export

    try:
        written = export(out, version or dt.date.today().strftime("%Y%m%d01"))
    except OSError as exc:
        typer.echo(f"error: cannot write the forms into {out}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc
    for path in written:
        typer.echo(str(path))
