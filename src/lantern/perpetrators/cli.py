"""`lantern perpetrators link`: link the register's records across agencies and refresh the
review queue (counts only are printed: never a name)."""

from __future__ import annotations

import typer

from lantern.edges.commands import source

perpetrators_app = typer.Typer(help="The perpetrator register.", no_args_is_help=True)


@perpetrators_app.command("link")
def link_command() -> None:
    """Link register records that may be one person; uncertain pairs wait for a reviewer."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.perpetrators import linking

    done = linking.run(source=source("perpetrators link"))
    typer.echo(f"perpetrators: {done.records} records, {done.queued} pairs to review")
