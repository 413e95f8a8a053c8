"""`lantern mart build` (refresh the pseudonymised analytics copy of the store), `lantern stats
table` and `lantern report glotip|c182` (tables from it)."""

from __future__ import annotations

from pathlib import Path

import typer

mart_app = typer.Typer(help="The pseudonymised statistics mart.", no_args_is_help=True)


@mart_app.command("build")
def build_command() -> None:
    """Rebuild var/mart/cases.parquet from the store (no names, no dates of birth)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.monitoring import mart

    info = mart.build()
    # the file's name: a path can exceed the trail's 64 characters (PostgreSQL refuses it)
    audit.record(None, "build", "mart", info.path.name, source="cli")
    typer.echo(f"mart: {info.cases:,} cases ({info.linked_cases:,} linked) -> {info.path}")


stats_app = typer.Typer(
    help="Statistics from the mart: counts by any dimensions.", no_args_is_help=True
)
report_app = typer.Typer(help="Tables in the shapes countries send.", no_args_is_help=True)


def _fail(reason: str) -> typer.Exit:
    typer.echo(f"error: {reason}", err=True)
    return typer.Exit(2)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


@stats_app.command("table")
def table_command(
    rows: str = typer.Option(..., "--rows", help="Dimensions for the rows, comma-separated."),
    cols: str = typer.Option("", "--cols", help="Dimensions for the columns, comma-separated."),
    where: list[str] = typer.Option(
        [], "--where", help="Keep one category: DIMENSION=VALUE (a code or a label); repeatable."
    ),
    unit: str = typer.Option("children", "--unit", help="Count distinct children or cases."),
    as_json: bool = typer.Option(False, "--json", help="JSON: codes and labels, provenance."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV, provenance as # lines before it."),
) -> None:
    """Count children (or cases) by rows x columns, with the provenance of the figures.

    Dimensions: year, quarter, month, sex, age, majority, form, primary_form, sector,
    citizenship, origin, origin_province, destination, destination_province, scope, channel,
    agency, agency_type, trafficking_status, recruitment, relationship, control, and UNODC's
    unodc_sex, unodc_age, unodc_form. Unknown is a category of its own.
    """
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import render
    from lantern.monitoring.statistics.table import TableSpec, build_table

    if as_json and as_csv:
        raise _fail("choose one of --json and --csv")
    if unit not in ("children", "cases"):
        raise _fail(f"--unit is children or cases, not {unit!r}")
    filters = []
    for item in where:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _fail(f"--where takes DIMENSION=VALUE, not {item!r}")
        filters.append((name.strip(), value))
    spec = TableSpec(_split(rows), _split(cols), tuple(filters), unit)  # type: ignore[arg-type]
    try:
        table = build_table(spec)
    except ProtectionError as exc:
        raise _fail(exc.reason) from exc
    audit.record(
        None, "table", "statistics", "mart", reason=",".join(spec.dimensions), source="cli"
    )
    out = render.as_json(table) if as_json else render.as_csv(table) if as_csv else None
    typer.echo(out if out is not None else render.as_text(table), nl=out is None)


@report_app.command("glotip")
def glotip_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write (.csv, or .xlsx)."),
    country: str = typer.Option(..., "--country", help="The reporting country, ISO alpha-3."),
) -> None:
    """Detected victims in UNODC's GLOTIP shape (Indicator, Dimension, Category, Sex, Age)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import reports
    from lantern.taxonomy.errors import UnknownCode

    try:
        rows = reports.glotip_rows(year, country)
    except UnknownCode as exc:
        raise _fail(f"{country!r} is not an ISO 3166 country code") from exc
    except ProtectionError as exc:
        raise _fail(exc.reason) from exc
    reports.write_rows(reports.glotip_table(rows), out)
    audit.record(None, "report", "statistics", "glotip", reason=str(year), source="cli")
    typer.echo(f"GLOTIP {year}: {len(rows)} rows -> {out}")


@report_app.command("c182")
def c182_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write (.csv, or .xlsx)."),
) -> None:
    """Children by form, sector and place, each by sex and age group (C182 art. 22, R190 §5)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import reports

    try:
        rows = reports.c182_rows(year)
    except ProtectionError as exc:
        raise _fail(exc.reason) from exc
    reports.write_rows(rows, out)
    audit.record(None, "report", "statistics", "c182", reason=str(year), source="cli")
    typer.echo(f"C182 {year}: {len(rows) - 1} rows -> {out}")


# `lantern report annual` (the dashboard's annual report: lantern.monitoring.dashboard.cli)
def _annual() -> None:
    from lantern.monitoring.dashboard.cli import annual_command

    report_app.command("annual")(annual_command)


_annual()
