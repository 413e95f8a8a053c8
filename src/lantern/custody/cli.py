"""`lantern audit verify|export` and `lantern keys rotate`: the trail checked and exported (as
an auditor, asked of the policy), the encryption keys rotated (and the rotation recorded)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from lantern.edges.commands import acting, fail, source

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys (kept outside the database).", no_args_is_help=True)


@audit_app.command("verify")
def verify_command(
    anchor: str | None = typer.Option(
        None,
        "--anchor",
        help="SEQ:HASH printed by an earlier verify and kept off the server; "
        "catches a trail cut back to an earlier point",
    ),
) -> None:
    """Exit 0 when the hash chain is intact; otherwise exit 1 naming the first broken entry."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.audit.models import AuditEntry
    from lantern.audit.services import check_anchor, head, verify

    expected: tuple[int, str] | None = None
    if anchor:
        seq_text, _, hash_text = anchor.partition(":")
        if not seq_text.isdigit() or len(hash_text) != 64:
            raise fail(f"--anchor {anchor!r} must be SEQ:HASH as `lantern audit verify` prints it")
        expected = (int(seq_text), hash_text)
    broken = verify()
    if broken is None and expected is not None:
        broken = check_anchor(*expected)
    if broken is not None:
        typer.echo(f"audit trail BROKEN at {broken}", err=True)
        raise typer.Exit(1)
    seq, last = head()
    typer.echo(f"audit trail intact: {AuditEntry.objects.count()} entries; anchor {seq}:{last}")


def _date(name: str, raw: str | None) -> dt.date | None:
    from lantern.edges.bounds import optional_date
    from lantern.errors import Unreadable

    try:
        return optional_date(name, raw)
    except Unreadable as e:
        raise fail(e.reason) from None


@audit_app.command("export")
def export_command(
    user: str = typer.Option(..., "--user", "-u", help="Export as this Lantern user (an auditor)"),
    out: Annotated[Path | None, typer.Option("--out", help="CSV file (default stdout)")] = None,
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)"),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)"),
    record: str | None = typer.Option(None, "--record", help="Only entries about this record id"),
    who: str | None = typer.Option(None, "--who", help="Only entries by this username"),
) -> None:
    """Export the trail as CSV (asked of the policy layer; the export is itself audited)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.accounts import policy
    from lantern.audit.services import TrailFilters, filtered, write_csv
    from lantern.audit.services import record as audit_record

    actor = acting(user)
    if not policy.allows(actor, "audit", "export"):
        raise fail(f"{user} ({actor.role}) may not export the audit trail")
    filters = TrailFilters(
        username=who or "",
        record_id=record or "",
        since=_date("--since", since),
        until=_date("--until", until),
    )
    entries = filtered(filters).order_by("seq")
    fh = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        n = write_csv(entries.iterator(), fh)
    finally:
        if out:
            fh.close()
    audit_record(actor, "export", "audit", "", reason=f"{n} entries", source=source("audit export"))
    if out:
        typer.echo(f"{n} entries written to {out}", err=True)


@keys_app.command("rotate")
def rotate_command() -> None:
    """Make a new active key, re-encrypt every protected value, drop the old key."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.custody.rotation import rotate
    from lantern.vault.keys import KeyError_

    try:
        kid, n = rotate()
    except KeyError_ as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"active key is now {kid}; {n} records re-encrypted")
