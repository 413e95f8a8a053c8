"""`lantern mart build`: refresh the pseudonymised analytics copy of the store."""

from __future__ import annotations

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
    audit.record(None, "build", "mart", str(info.path), source="cli")
    typer.echo(f"mart: {info.cases:,} cases ({info.linked_cases:,} linked) -> {info.path}")
