"""`lantern audit verify` and `lantern audit export`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify_command() -> None:
    """Exit 0 when the hash chain is intact; otherwise name the first broken entry."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.audit.models import AuditEntry
    from lantern.audit.services import verify

    broken = verify()
    if broken is not None:
        typer.echo(f"audit trail BROKEN at {broken}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {AuditEntry.objects.count()} entries")


@audit_app.command("export")
def export_command(out: Path | None = typer.Option(None, "--out", help="CSV file (default stdout)")
                   ) -> None:
    """Export the trail as CSV."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.audit.models import AuditEntry

    fh = out.open("w", newline="") if out else sys.stdout
    w = csv.writer(fh)
    cols = ["seq", "at", "username", "role", "agency", "action", "resource", "record_id",
            "fields", "reason", "source", "hash"]
    w.writerow(cols)
    for e in AuditEntry.objects.order_by("seq").iterator():
        w.writerow([e.seq, e.at.isoformat(), e.username, e.role, e.agency, e.action, e.resource,
                    e.record_id, ";".join(e.fields or []), e.reason, e.source, e.hash])
    if out:
        fh.close()
