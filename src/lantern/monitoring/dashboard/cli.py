"""`lantern report annual --year Y --lang fr --out FILE.pdf|.xlsx`: the annual report."""

from __future__ import annotations

from pathlib import Path

import typer

from lantern.edges.commands import fail, source


def annual_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write: .pdf or .xlsx."),
    lang: str = typer.Option("en", "--lang", help="The report's language: en, fr or es."),
) -> None:
    """The annual report: the year's published tables with their charts and provenance (small
    counts hidden), as PDF or XLSX, in English, French or Spanish."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.dashboard import report

    fmt = out.suffix.lower().lstrip(".")
    try:
        body = report.render(None, year, lang, fmt, source=source("report annual"))
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    out.write_bytes(body)
    audit.record(
        None,
        "report",
        "statistics",
        "annual",
        reason=f"{year} {lang}",
        source=source("report annual"),
    )
    typer.echo(f"annual report {year} ({lang}) -> {out}")
