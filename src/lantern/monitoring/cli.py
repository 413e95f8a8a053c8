"""`lantern mart build` (refresh the pseudonymised analytics copy of the store), `lantern stats
table` and `lantern report glotip|c182` (tables from it)."""

from __future__ import annotations

from pathlib import Path

import typer

from lantern.edges.commands import fail
from lantern.edges.commands import source as command_source

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
    audit.record(None, "build", "mart", info.path.name, source=command_source("mart build"))
    typer.echo(f"mart: {info.cases:,} cases ({info.linked_cases:,} linked) -> {info.path}")


stats_app = typer.Typer(
    help="Statistics from the mart: counts by any dimensions.", no_args_is_help=True
)
report_app = typer.Typer(help="Tables in the shapes countries send.", no_args_is_help=True)


THRESHOLD_HELP = (
    "Withhold counts below N, with enough others that none can be worked out "
    "(default LANTERN_DISCLOSURE_THRESHOLD, 5); 0 publishes every count as it is."
)
EPSILON_HELP = "Differentially private counts (OpenDP) with this privacy budget, not suppression."


def _privacy(epsilon: float | None) -> object:
    from lantern.monitoring.statistics.publish import Privacy

    if epsilon is None:
        return None
    if not epsilon > 0:
        raise fail("--epsilon must be a positive number")
    return Privacy(epsilon)


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
    threshold: int | None = typer.Option(None, "--threshold", min=0, help=THRESHOLD_HELP),
    epsilon: float | None = typer.Option(None, "--epsilon", help=EPSILON_HELP),
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
    from lantern.monitoring.statistics.publish import publish
    from lantern.monitoring.statistics.table import TableSpec, build_table

    if as_json and as_csv:
        raise fail("choose one of --json and --csv")
    if unit not in ("children", "cases"):
        raise fail(f"--unit is children or cases, not {unit!r}")
    filters = []
    for item in where:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise fail(f"--where takes DIMENSION=VALUE, not {item!r}")
        filters.append((name.strip(), value))
    spec = TableSpec(_split(rows), _split(cols), tuple(filters), unit)  # type: ignore[arg-type]
    dp = _privacy(epsilon)
    try:
        table = publish(build_table(spec), threshold, dp)  # type: ignore[arg-type]
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    audit.record(
        None,
        "table",
        "statistics",
        "mart",
        reason=",".join(spec.dimensions),
        source=command_source("stats table"),
    )
    out = render.as_json(table) if as_json else render.as_csv(table) if as_csv else None
    typer.echo(out if out is not None else render.as_text(table), nl=out is None)


@stats_app.command("justice")
def justice_command(
    year: int = typer.Option(..., "--year", help="The year counted."),
    as_json: bool = typer.Option(False, "--json", help="JSON: the cells and provenance."),
    threshold: int | None = typer.Option(None, "--threshold", min=0, help=THRESHOLD_HELP),
    epsilon: float | None = typer.Option(None, "--epsilon", help=EPSILON_HELP),
) -> None:
    """GLOTIP's persons brought into formal contact, prosecuted and convicted, by sex (#17),
    through the one disclosure step (small counts withheld as UNODC's "<5")."""
    from lantern.boot import setup_django

    setup_django()
    import json

    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import justice, render

    try:
        table = justice.justice_table(year, threshold, _privacy(epsilon))  # type: ignore[arg-type]
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    rows = justice.justice_rows(table, threshold)
    audit.record(
        None,
        "report",
        "statistics",
        "justice",
        reason=str(year),
        source=command_source("report justice"),
    )
    if as_json:
        body = json.loads(render.as_json(table))
        body["rows"] = rows
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['Indicator']}\t{row['Sex']}\t{row['Year']}\t{row['txtVALUE']}")
    typer.echo(justice.verdict_time(year))
    for line in render.provenance_lines(table):
        typer.echo(line)


@report_app.command("glotip")
def glotip_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write (.csv, or .xlsx)."),
    country: str = typer.Option(..., "--country", help="The reporting country, ISO alpha-3."),
    threshold: int | None = typer.Option(None, "--threshold", min=0, help=THRESHOLD_HELP),
    epsilon: float | None = typer.Option(None, "--epsilon", help=EPSILON_HELP),
) -> None:
    """Detected victims in UNODC's GLOTIP shape (Indicator, Dimension, Category, Sex, Age)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import reports
    from lantern.taxonomy.errors import UnknownCode

    dp = _privacy(epsilon)
    try:
        rows = reports.glotip_rows(year, country, threshold=threshold, dp=dp)  # type: ignore[arg-type]
    except UnknownCode as exc:
        raise fail(f"{country!r} is not an ISO 3166 country code") from exc
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    reports.write_rows(reports.glotip_table(rows), out)
    audit.record(
        None,
        "report",
        "statistics",
        "glotip",
        reason=str(year),
        source=command_source("report glotip"),
    )
    typer.echo(f"GLOTIP {year}: {len(rows)} rows -> {out}")


@report_app.command("c182")
def c182_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write (.csv, or .xlsx)."),
    threshold: int | None = typer.Option(None, "--threshold", min=0, help=THRESHOLD_HELP),
    epsilon: float | None = typer.Option(None, "--epsilon", help=EPSILON_HELP),
) -> None:
    """Children by form, sector and place, each by sex and age group (C182 art. 22, R190 §5)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import reports

    dp = _privacy(epsilon)
    try:
        rows = reports.c182_rows(year, threshold=threshold, dp=dp)  # type: ignore[arg-type]
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    reports.write_rows(rows, out)
    audit.record(
        None, "report", "statistics", "c182", reason=str(year), source=command_source("report c182")
    )
    typer.echo(f"C182 {year}: {len(rows) - 1} rows -> {out}")


@report_app.command("sdg")
def sdg_command(
    year: int = typer.Option(..., "--year", help="The year reported."),
    out: Path = typer.Option(..., "--out", help="The file to write (.csv, or .xlsx)."),
    area: str = typer.Option("", "--area", help="The population's area, if several are loaded."),
    threshold: int | None = typer.Option(None, "--threshold", min=0, help=THRESHOLD_HELP),
    epsilon: float | None = typer.Option(None, "--epsilon", help=EPSILON_HELP),
) -> None:
    """SDG 16.2.2: detected victims per 100,000 population by sex, age and form, with the
    population's source and year (load it first: `lantern population load`)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.statistics import reports, sdg

    dp = _privacy(epsilon)
    try:
        rows = sdg.sdg_rows(year, area=area or None, threshold=threshold, dp=dp)  # type: ignore[arg-type]
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    reports.write_rows(rows, out)
    audit.record(
        None, "report", "statistics", "sdg", reason=str(year), source=command_source("report sdg")
    )
    typer.echo(f"SDG 16.2.2 {year}: {len(rows) - 1} rows -> {out}")


population_app = typer.Typer(
    help="Population tables: the denominators of rates (SDG 16.2.2).", no_args_is_help=True
)


@population_app.command("load")
def population_load_command(
    file: Path = typer.Argument(..., help="CSV: area, year, sex, age_group, population."),
    source: str = typer.Option(..., "--source", help="Where the figures come from."),
) -> None:
    """Store a population table with its source: every row checked, all of it or nothing."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.monitoring.population import service

    try:
        loaded = service.load(file, source)
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    audit.record(
        None,
        "load",
        "population",
        loaded.table,
        reason=loaded.source,
        source=command_source("population load"),
    )
    years = ", ".join(str(y) for y in loaded.years)
    typer.echo(f"population: {loaded.rows} rows ({years}) from {loaded.source!r}")


# `lantern report annual` (the dashboard's annual report: lantern.monitoring.dashboard.cli)
def _annual() -> None:
    from lantern.monitoring.dashboard.cli import annual_command

    report_app.command("annual")(annual_command)


_annual()
