"""`lantern import FILE`: the one way data comes in; `lantern cases`: reviews of case data."""

from __future__ import annotations

import csv
from pathlib import Path

import typer

from lantern.edges.commands import acting, fail, source

cases_app = typer.Typer(help="Reviews of case data (audited).", no_args_is_help=True)


def import_command(
    file: Path = typer.Argument(
        ..., help="HTCDS-shaped CSV, JSON, XLSX or Parquet file; an ODK or Kobo export"
    ),
    user: str = typer.Option(..., "--user", "-u", help="Import as this Lantern user"),
    strict: bool = typer.Option(False, "--strict", help="Import nothing if any row fails"),
    team: str | None = typer.Option(None, "--team", help="Team that receives new cases"),
    errors_csv: Path | None = typer.Option(None, "--errors", help="Write row errors to a CSV"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
    source_format: str = typer.Option(
        "htcds", "--format", help="The rows' shape: htcds (Lantern's own) or a source's"
    ),
    agency: str | None = typer.Option(
        None, "--agency", help="Agency whose records these are, for shapes with no agency column"
    ),
    ignore_unknown_columns: bool = typer.Option(
        False,
        "--ignore-unknown-columns",
        help="Import a file whose columns Lantern does not know, dropping them (with a warning)",
    ),
) -> None:
    """Import agency records; valid rows go in, each bad row is reported (row, field, reason).

    A column Lantern does not know refuses the file (a misspelt column would otherwise be lost).
    Exit status: 0 all imported, 1 the file has bad rows or unknown columns, 2 not run."""
    from lantern.boot import setup_django

    setup_django()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from lantern.cases.importing import import_file
    from lantern.cases.importing.loader import ImportRefused
    from lantern.cases.importing.readers import UnreadableFile, count_rows

    err = Console(stderr=True, soft_wrap=True)
    who = acting(user)
    try:
        total = count_rows(file) if file.exists() else None
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=quiet or (total or 0) < 2000,
        ) as bar:
            task = bar.add_task("importing", total=total)
            report = import_file(
                file,
                who,
                strict=strict,
                team=team,
                progress=lambda n: bar.advance(task, n),
                source_format=source_format,
                agency=agency,
                ignore_unknown_columns=ignore_unknown_columns,
                audit_source=source("import"),
            )
    except UnreadableFile as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    except ImportRefused as exc:
        err.print(f"[red]refused:[/red] {exc}; nothing was imported")
        raise typer.Exit(2) from exc

    for column in report.unknown_columns:
        label = "warning" if report.columns_ignored else "error"
        err.print(f"{label}: {column}", markup=False, highlight=False)
    if report.refused_columns:
        typer.echo(
            f"unknown columns: nothing imported (fix the file's header, or use "
            f"--ignore-unknown-columns to import without {len(report.unknown_columns)} column(s))"
        )
        raise typer.Exit(1)
    for e in report.errors[:200]:
        err.print(f"row {e.row}: {e.field}: {e.reason}", markup=False, highlight=False)
    if len(report.errors) > 200:
        err.print(f"… and {len(report.errors) - 200} more errors (use --errors FILE)")
    for warned in report.warnings:
        err.print(f"warning: {warned}", markup=False, highlight=False)
    if errors_csv:
        with errors_csv.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["row", "field", "reason"])
            w.writerows([e.row, e.field, e.reason] for e in report.errors)
    if report.rolled_back:
        typer.echo(f"strict: {report.bad_rows} of {report.rows} rows failed; nothing imported")
        raise typer.Exit(1)
    typer.echo(
        f"{report.rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.bad_rows} rejected"
        + (
            f"; new agencies: {', '.join(report.agencies_created)}"
            if report.agencies_created
            else ""
        )
    )
    for what, worker in report.background:
        if worker.is_alive():  # the process waits for it: say so, rather than seem to hang
            err.print(f"{what} before exiting (Ctrl-C leaves it as it was)")
    if report.errors:
        raise typer.Exit(1)


@cases_app.command("review-actual")
def review_actual_command(
    user: str = typer.Option(..., "--user", "-u", help="Review as this supervisor"),
    apply: bool = typer.Option(False, "--apply", help="Set the cases found back to Possible"),
) -> None:
    """List the cases whose status says "Actual victim" without a formal determination (a
    deciding body and date, or an agency's own record); with --apply, set each back to
    "Possible" with the reason recorded in the audit trail."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.cases.status_review import review_actual
    from lantern.errors import ProtectionError

    who = acting(user)
    try:
        found = review_actual(who, apply=apply, source=source("review-actual"))
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    for r in found:
        typer.echo(
            f"{r.reference}\t{r.decided_by or '-'}\t{'set to Possible' if r.changed else 'Actual'}"
        )
    verb = "set back to Possible" if apply else "found (dry run: --apply changes them)"
    typer.echo(f"{len(found)} case(s) with Actual and no formal determination {verb}")
