"""`lantern committees`: vigilance committees from the host, for a facilitator whose group
sends its reports by other means (a paper form typed up, a partner's phone app exporting JSON).
Each command acts as a named Lantern user through the same service and policy checks as the
pages (``response.community.committees``); a report enters the triage queue and is audited."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lantern.edges.commands import acting, fail, named, read_file, source

committees_app = typer.Typer(
    help="Vigilance committees and watch groups, and their reports.", no_args_is_help=True
)

REPORT_MAX = 64_000


@committees_app.command("list")
def list_command(
    user: str = typer.Option(..., "--user", "-u", help="List as this Lantern user"),
) -> None:
    """The committees you may see: id, kind, area code, area in words, name, and how many
    reports each sent."""
    from lantern.boot import setup_django

    setup_django()
    from django.db.models import Count

    from lantern.errors import ProtectionError
    from lantern.response.community import committees

    who = acting(user)
    try:
        rows = list(committees.committees(who).annotate(n=Count("reports"))[:500])
    except ProtectionError as exc:
        raise fail(str(exc.reason)) from exc
    for c in rows:
        area = c.area_code or "(area to choose)"
        typer.echo(f"{c.pk}\t{c.kind}\t{area}\t{c.area}\t{c.name}\t{c.n} report(s)")
    typer.echo(f"{len(rows)} committee(s)")


@committees_app.command("report")
def report_command(
    committee_id: int = typer.Argument(..., help="The committee whose report this is"),
    file: Path = typer.Argument(
        ...,
        help="A JSON object with the API's fields: seen, seen_on (YYYY-MM-DD), place, "
        "severity, concerns, and if known child_name, child_age, child_gender",
    ),
    user: str = typer.Option(..., "--user", "-u", help="Record as this Lantern user"),
) -> None:
    """Record a committee's report from a file: it opens a case in the triage queue by its
    severity. Prints what comes back to the group: the report's status, never the case."""
    from pydantic import ValidationError

    from lantern.response.community.schemas import ReportIn

    raw = read_file(file, "FILE", REPORT_MAX)
    try:
        body = ReportIn.model_validate(json.loads(raw))
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, ValidationError):
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "FILE"
            raise fail(f"FILE: {where}: {first['msg']}") from exc
        raise fail(f"FILE: not a JSON object ({exc.__class__.__name__})") from exc
    from lantern.boot import setup_django

    setup_django()
    from lantern.errors import NotFound, ProtectionError
    from lantern.response.community import committees

    who = acting(user)
    try:
        row = committees.record_report(
            who,
            committee_id,
            committees.Seen(**body.model_dump()),
            source("committees report"),
        )
    except NotFound as exc:
        raise fail(f"COMMITTEE_ID: no committee {committee_id} whose reports you record") from exc
    except ProtectionError as exc:
        raise fail(named(exc, {})) from exc
    status, urgency = committees.status_of(row)
    typer.echo(f"report {row.pk} of committee {committee_id}: {status} (urgency {urgency or '-'})")
