"""`lantern readmission`: readmission requests from the host, for a liaison without a browser
(a border post on a poor line). Each command acts as a named Lantern user through the same
service and policy checks as the pages (``response.agreements.readmission``), which audit every
packet; the packets are the exchange's signed, sealed ones, under the pinned agreement."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from lantern.edges.commands import acting, fail, named, read_file, source, write_private

readmission_app = typer.Typer(
    help="Readmission requests between installations, in signed packets.", no_args_is_help=True
)

#: the service's field -> the option or argument that carries it
_OPTIONS = {
    "exchange": "--exchange",
    "proposed_date": "--date",
    "crossing_point": "--crossing-point",
    "escort": "--escort-file",
    "case_reference": "--case",
    "packet": "PACKET",
    "note": "--note",
}


def _setup() -> None:
    from lantern.boot import setup_django

    setup_django()


@readmission_app.command("list")
def list_command(
    user: str = typer.Option(..., "--user", "-u", help="List as this Lantern user"),
) -> None:
    """The readmission requests you may read, newest first: id, direction, status, date,
    crossing point, exchange agreement (never the escort)."""
    _setup()
    from lantern.audit import services as audit
    from lantern.errors import ProtectionError
    from lantern.response.agreements import readmission

    who = acting(user)
    try:
        rows = list(readmission.requests(who)[:500])
    except ProtectionError as exc:
        raise fail(str(exc.reason)) from exc
    audit.record(
        who,
        "read",
        "readmission",
        "",
        reason=f"list: {len(rows)}",
        source=source("readmission list"),
    )
    for r in rows:
        typer.echo(
            f"{r.pk}\t{r.direction}\t{r.status}\t{r.proposed_date}\t{r.reference}\t"
            f"{r.exchange.reference}\t{r.crossing_point}"
        )
    typer.echo(f"{len(rows)} request(s)")


@readmission_app.command("send")
def send_command(
    exchange: str = typer.Option(..., "--exchange", help="The bilateral exchange agreement"),
    proposed: str = typer.Option(..., "--date", help="Proposed date of return (YYYY-MM-DD)"),
    crossing_point: str = typer.Option(..., "--crossing-point", help="Where the child crosses"),
    escort_file: Path = typer.Option(
        ...,
        "--escort-file",
        help="A text file naming the escorting officers and their contacts (kept out of the "
        "shell's history)",
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the packet for the partner"),
    case: str = typer.Option("", "--case", help="The case reference, if the case is yours"),
    user: str = typer.Option(..., "--user", "-u", help="Send as this Lantern user"),
) -> None:
    """Seal a readmission request for the partner pinned on the exchange agreement; write the
    packet to send them."""
    try:
        day = dt.date.fromisoformat(proposed)
    except ValueError as exc:
        raise fail(f"--date: {proposed!r} is not a date (YYYY-MM-DD)") from exc
    escort = read_file(escort_file, "--escort-file", 10_000).decode("utf-8", "replace")
    _setup()
    from lantern.errors import ProtectionError
    from lantern.response.agreements import readmission

    who = acting(user)
    try:
        row, blob = readmission.send_request(
            who,
            exchange=exchange,
            proposed_date=day,
            crossing_point=crossing_point,
            escort=escort,
            case_reference=case,
            source=source("readmission send"),
        )
    except ProtectionError as exc:
        raise fail(named(exc, _OPTIONS)) from exc
    write_private(out, blob)
    typer.echo(f"request {row.pk} ({row.reference}) sealed for the partner; packet in {out}")


@readmission_app.command("receive")
def receive_command(
    packet: Path = typer.Argument(..., help="The packet received from the partner"),
    user: str = typer.Option(..., "--user", "-u", help="Receive as this Lantern user"),
) -> None:
    """Take in a packet from the partner: a request (to answer) or the answer to one of ours.
    A packet that does not verify against the pinned key is refused unread."""
    from lantern.response.agreements.forms import PACKET_MAX

    blob = read_file(packet, "PACKET", PACKET_MAX)
    _setup()
    from lantern.errors import ProtectionError
    from lantern.response.agreements import readmission

    who = acting(user)
    try:
        row = readmission.receive(who, blob, source=source("readmission receive"))
    except ProtectionError as exc:
        raise fail(named(exc, _OPTIONS)) from exc
    typer.echo(f"request {row.pk} ({row.reference}): {row.status}")


@readmission_app.command("answer")
def answer_command(
    request_id: int = typer.Argument(..., help="The request received (its id here)"),
    accept: bool = typer.Option(
        ..., "--accept/--refuse", help="Accept (the reception is arranged) or refuse"
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the answer packet"),
    note: str = typer.Option("", "--note", help="Note to the partner (reception, office)"),
    user: str = typer.Option(..., "--user", "-u", help="Answer as this Lantern user"),
) -> None:
    """Acknowledge a request received: accept or refuse it; write the packet to send back."""
    _setup()
    from lantern.errors import NotFound, ProtectionError
    from lantern.response.agreements import readmission

    who = acting(user)
    try:
        row = readmission.get_request(who, request_id, "manage")
        blob = readmission.answer(
            who, row, accepted=accept, note=note, source=source("readmission answer")
        )
    except NotFound as exc:
        raise fail(f"REQUEST_ID: no request {request_id} in your scope") from exc
    except ProtectionError as exc:
        raise fail(named(exc, _OPTIONS)) from exc
    write_private(out, blob)
    typer.echo(f"request {row.pk} {row.status}; answer packet in {out}")
