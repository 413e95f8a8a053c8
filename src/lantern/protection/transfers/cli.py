"""`lantern exchange`: the bilateral agreements (with the partner's keys pinned on each), and
referral packets out and in; ``keys`` (this installation's packet keys) is the packet format's
own (``lantern.exchange.cli``). Export and import take no key: the agreement's pinned key is
the only one used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lantern.edges.commands import acting, fail, source
from lantern.exchange.cli import keys_app

if TYPE_CHECKING:
    from lantern.errors import ProtectionError
    from lantern.exchange.packets import PublicKeys

exchange_app = typer.Typer(
    help="Cross-border referral packets (signed, encrypted, HTCDS-shaped).", no_args_is_help=True
)
exchange_app.add_typer(keys_app, name="keys")
agreement_app = typer.Typer(
    help="Bilateral agreements: which HTCDS fields a packet may carry, and the partner's "
    "pinned public keys.",
    no_args_is_help=True,
)
exchange_app.add_typer(agreement_app, name="agreement")


def _public(path: Path, option: str) -> PublicKeys:
    from lantern.exchange.packets import PacketError, PublicKeys

    try:
        return PublicKeys.from_json(path.read_text())
    except OSError as exc:
        raise fail(f"{option}: cannot read {path}: {exc.strerror}") from exc
    except PacketError as exc:
        raise fail(f"{option}: {exc}") from exc


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from exc


@agreement_app.command("add")
def agreement_add(
    reference: str = typer.Argument(..., help="The agreement's reference, the same on both sides"),
    title: str = typer.Option(..., "--title", help="Its title, as signed"),
    partner: str = typer.Option(..., "--partner-country", help="ISO 3166-1 alpha-3"),
    fields: str = typer.Option(
        ..., "--fields", help="Comma-separated HTCDS packet fields that may travel"
    ),
    valid_from: str = typer.Option(..., "--from", help="In force from (YYYY-MM-DD)"),
    valid_until: str | None = typer.Option(None, "--until", help="In force until (YYYY-MM-DD)"),
    partner_key: Path = typer.Option(
        ...,
        "--partner-key",
        help="The partner installation's public key file (their `lantern exchange keys show "
        "--out`), pinned on the agreement",
    ),
    fingerprint: str | None = typer.Option(
        None,
        "--fingerprint",
        help="The fingerprint the partner read to you by phone; refused unless it matches",
    ),
) -> None:
    """Record a bilateral agreement and pin the partner's public keys (both installations
    record the same agreement, each pinning the other's keys). Prints the fingerprint: check it
    with the partner by phone."""
    from lantern.boot import setup_django

    start = _day(valid_from, "--from")
    end = _day(valid_until, "--until")
    public = _public(partner_key, "--partner-key")
    setup_django()
    from lantern.errors import ProtectionError
    from lantern.protection.transfers import service as transfers

    try:
        agreement = transfers.record_agreement(
            reference,
            title=title,
            partner_country=partner,
            allowed_fields=[f.strip() for f in fields.split(",") if f.strip()],
            valid_from=start or dt.date.min,
            valid_until=end,
            partner=public,
            confirm=fingerprint,
            source=source("exchange agreement add"),
        )
    except ProtectionError as exc:
        raise fail(_named(exc)) from exc
    typer.echo(
        f"recorded agreement {agreement.reference} with {agreement.partner_country}: "
        f"{len(agreement.allowed_fields)} fields may travel"
    )
    typer.echo(f"pinned partner {public.name!r}, fingerprint {public.spoken_fingerprint}")
    typer.echo("read this fingerprint back to the partner by phone before any packet is sent")


_OPTIONS = {
    "partner_country": "--partner-country",
    "allowed_fields": "--fields",
    "valid_until": "--until",
    "partner_key": "--partner-key",
    "fingerprint": "--fingerprint",
    "agreement": "REFERENCE",
}


def _named(exc: ProtectionError) -> str:
    """The service's reason, prefixed with the option it concerns."""
    name = _OPTIONS.get(exc.field, "")
    return f"{name}: {exc.reason}" if name else exc.reason


@agreement_app.command("pin")
def agreement_pin(
    reference: str = typer.Argument(..., help="The agreement whose partner keys change"),
    partner_key: Path = typer.Option(
        ..., "--partner-key", help="The partner installation's new public key file"
    ),
    fingerprint: str = typer.Option(
        ...,
        "--fingerprint",
        help="The new fingerprint, as the partner read it to you by phone (required: a "
        "re-pin is never implicit)",
    ),
) -> None:
    """Re-pin the partner's public keys on an agreement (the partner rotated its keys, or the
    agreement was recorded before keys were pinned). Audited with both fingerprints."""
    from lantern.boot import setup_django

    public = _public(partner_key, "--partner-key")
    setup_django()
    from lantern.errors import ProtectionError
    from lantern.protection.transfers import service as transfers

    try:
        agreement, before = transfers.pin_partner(
            reference, public, confirm=fingerprint, source=source("exchange agreement pin")
        )
    except ProtectionError as exc:
        raise fail(_named(exc)) from exc
    typer.echo(
        f"agreement {agreement.reference}: partner {public.name!r} pinned, fingerprint "
        f"{public.spoken_fingerprint} (was {before or 'none'})"
    )


@agreement_app.command("list")
def agreement_list() -> None:
    """The agreements recorded, with the fields each lets travel."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.protection.transfers.models import Agreement

    for a in Agreement.objects.order_by("reference"):
        until = a.valid_until.isoformat() if a.valid_until else "..."
        typer.echo(f"{a.reference}\t{a.partner_country}\t{a.valid_from} - {until}\t{a.title}")
        typer.echo(f"  fields: {', '.join(a.allowed_fields)}")
        pinned = f"{a.partner_name!r} {a.partner_fingerprint}" if a.partner_fingerprint else ""
        typer.echo(f"  partner key: {pinned or 'NONE PINNED (packets refused)'}")


@exchange_app.command("export")
def export_command(
    case_id: int = typer.Argument(..., help="The case to transfer"),
    agreement: str = typer.Option(
        ..., "--agreement", help="Bilateral agreement reference (its pinned partner receives)"
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the packet"),
    user: str = typer.Option(..., "--user", "-u", help="Export as this Lantern user"),
    reason: str = typer.Option("return home", "--reason", help="Why the case is transferred"),
    consent_basis: str = typer.Option("child_assent", "--consent-basis"),
    override_reason: str = typer.Option("", "--override-reason"),
) -> None:
    """Seal a case for the partner pinned on the agreement and close it here (ClosedReferred)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.accounts import policy
    from lantern.errors import NotFound, ProtectionError
    from lantern.protection.transfers import service as transfers

    who = acting(user)
    try:
        case = policy.get_or_404(who, "case", "view", case_id)
        blob = transfers.export_packet(
            who,
            case,
            agreement=agreement,
            reason=reason,
            consent_basis=consent_basis,
            override_reason=override_reason,
            source=source("exchange export"),
        )
    except NotFound as exc:
        raise fail(f"CASE_ID: no case {case_id} in your scope") from exc
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    out.write_bytes(blob)
    typer.echo(
        f"packet for the partner pinned on {agreement} written to {out}; "
        f"case {case.reference} closed here"
    )


@exchange_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="The packet received"),
    user: str = typer.Option(..., "--user", "-u", help="Import as this Lantern user"),
) -> None:
    """Verify (against the partner key pinned on the agreement the packet names), decrypt and
    open a packet as a new case of your agency."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.errors import ProtectionError
    from lantern.protection.transfers import service as transfers

    who = acting(user)
    try:
        blob = file.read_bytes()
    except OSError as exc:
        raise fail(f"FILE: cannot read {file}: {exc.strerror}") from exc
    try:
        case = transfers.import_packet(who, blob, source=source("exchange import"))
    except ProtectionError as exc:
        raise fail(exc.reason) from exc
    typer.echo(f"imported as case {case.pk} ({case.reference})")


if __name__ == "__main__":
    exchange_app()
