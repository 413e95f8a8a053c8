"""`lantern imports run`: run the confirmed web imports still waiting (after a restart)."""

from __future__ import annotations

import typer

imports_app = typer.Typer(help="Imports confirmed on the web pages.", no_args_is_help=True)


@imports_app.command("run")
def run_command() -> None:
    """Run every confirmed import still waiting, and those left running by a process of this
    host that is gone (their import was rolled back with it); each as the user who confirmed
    it, audited as the web import. For cron or systemd after a restart."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.cases.importjobs import service

    jobs = service.run_queued()
    for job in jobs:
        typer.echo(
            f"import {job.pk}: {job.status}: {job.created} created, {job.updated} updated, "
            f"{job.unchanged} unchanged, {job.rejected} rejected"
        )
    typer.echo(f"{len(jobs)} import(s) run")
