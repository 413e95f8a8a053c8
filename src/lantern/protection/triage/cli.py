"""`lantern triage escalate`: mark overdue triage items escalated to their supervisors (cron)."""

from __future__ import annotations

import typer

triage_app = typer.Typer(help="The triage queue of community reports and hotline calls.")


@triage_app.callback()
def _group() -> None:
    """The triage queue of community reports and hotline calls."""


@triage_app.command("escalate")
def escalate() -> None:
    """Escalate every open item past its due time to its agency's supervisors, each once and
    recorded in the audit trail. Run it from cron every few minutes; it changes nothing twice."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.protection.triage import service as triage

    done = triage.escalate_overdue(source="lantern triage escalate")
    typer.echo(f"{len(done)} overdue item(s) escalated")
