"""`lantern export --format ctdc --out FILE.csv`: cases as k-anonymised microdata;
`lantern export --format htcds --out FILE.json`: the cases one may view as HTCDS 2.0 records
(``lantern.cases.exporting``), which `lantern import` reads back."""

from __future__ import annotations

from pathlib import Path

import typer

FORMATS = ("ctdc", "htcds")


def export_command(
    out: Path = typer.Option(
        ..., "--out", help="The file to write: FILE.csv (ctdc, its report beside it), FILE.json"
    ),
    user: str = typer.Option(..., "--user", "-u", help="Export as this Lantern user."),
    fmt: str = typer.Option("ctdc", "--format", help="The shape written: ctdc or htcds."),
    k: int = typer.Option(11, "--k", help="ctdc: each combination of quasi-identifiers k times."),
    agency: str | None = typer.Option(None, "--agency", help="Only this agency's cases."),
    year: int | None = typer.Option(None, "--year", help="Only cases registered this year."),
) -> None:
    """Write the cases in CTDC's k-anonymised dataset shape (k = 11 by default, as CTDC),
    with a report of what was generalised or left out beside the file (FILE.report.txt); or,
    with --format htcds, every case you may view as HTCDS 2.0 records (FILE.json, fields your
    role may not read left out and named in the file's metadata).
    Exit status: 0 written, 2 not run (no such user, a role that may not export, bad input)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.accounts.models import User
    from lantern.errors import ProtectionError
    from lantern.monitoring.microdata import ctdc
    from lantern.monitoring.microdata.service import export_ctdc

    if fmt not in FORMATS:
        typer.echo(f"error: --format is one of {', '.join(FORMATS)}, not {fmt!r}", err=True)
        raise typer.Exit(2)
    who = User.objects.select_related("agency").filter(username=user, is_active=True).first()
    if who is None:
        typer.echo(f"error: no active user {user!r}", err=True)
        raise typer.Exit(2)
    if fmt == "htcds":
        _export_htcds(who, out, agency, year)
        return
    try:
        report = export_ctdc(who, out, k=k, agency=agency, year=year)
    except ProtectionError as exc:
        typer.echo(f"error: {exc.reason}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"{report.written} rows written to {out} ({report.suppressed} left out, k = {k}); "
        f"report: {ctdc.report_path(out)}"
    )


def _export_htcds(who: object, out: Path, agency: str | None, year: int | None) -> None:
    from lantern.cases.exporting.service import export_htcds
    from lantern.errors import ProtectionError

    try:
        report = export_htcds(who, out, agency=agency, year=year)
    except ProtectionError as exc:
        typer.echo(f"error: {exc.reason}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{report.written} HTCDS 2.0 records written to {out}")
    if report.left_out:
        typer.echo(f"left out (your role may not read them): {', '.join(report.left_out)}")
