"""`lantern user|token|area|agency …`: operator commands, each change written to the audit trail.

They are run on the server by whoever holds its shell and key file, so the audit entry names the
operating-system account (``source``) as the one who acted.
"""

from __future__ import annotations

import getpass

import typer

from lantern.taxonomy import code_list

user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens.", no_args_is_help=True)
area_app = typer.Typer(
    help="Administrative areas (country, province, district…).", no_args_is_help=True
)
agency_app = typer.Typer(help="Agencies that hold children's records.", no_args_is_help=True)


def _fail(msg: str) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(2)


def _source() -> str:
    """Who ran the command, for the audit trail (the shell account; never a password)."""
    try:
        return f"cli {getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _setup() -> None:
    from lantern.boot import setup_django

    setup_django()


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="Username"),
    role: str = typer.Option(..., "--role"),
    agency: str | None = typer.Option(None, "--agency"),
    team: str | None = typer.Option(None, "--team"),
    area: str | None = typer.Option(None, "--area", help="Area code (see `lantern area add`)"),
) -> None:
    """Create a user; prints a generated password once."""
    _setup()
    from lantern.accounts.services import AccountError, add_user

    try:
        user, password = add_user(name, role, agency, team, area, source=_source())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"created {user.username} ({user.role}); password (shown once): {password}")


@user_app.command("grant-case-content")
def user_grant(
    name: str = typer.Argument(..., help="A system administrator's username"),
    reason: str = typer.Option(..., "--reason", help="Why (written to the audit trail)"),
    revoke: bool = typer.Option(False, "--revoke", help="Take the grant back"),
) -> None:
    """Let a system administrator read case content (read-only, audited), or take it back."""
    _setup()
    from lantern.accounts.services import AccountError, grant_case_content

    try:
        grant_case_content(name, not revoke, reason, source=_source())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"{name}: case content {'revoked' if revoke else 'granted'}")


@token_app.command("create")
def token_create(
    name: str = typer.Argument(..., help="Username the token belongs to"),
    label: str = typer.Option("cli", "--label"),
    days: int | None = typer.Option(
        None, "--days", help="Days until it expires (roles without identities; default 90)"
    ),
    hours: int | None = typer.Option(
        None, "--hours", help="Hours until it expires (identity-reading roles: 1-12, default 12)"
    ),
    code: str = typer.Option(
        "", "--code", help="A current code from the holder's authenticator (identity roles)"
    ),
) -> None:
    """Create a personal API token (shown once, stored hashed). A token for a role that reads
    identities needs its holder's second-factor code and lasts 12 hours at most."""
    _setup()
    from lantern.accounts.services import AccountError, create_token

    try:
        token, raw = create_token(name, label, days, source=_source(), code=code, hours=hours)
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(
        f"token for {name}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC (shown once):\n{raw}"
    )


@token_app.command("list")
def token_list(name: str = typer.Argument(..., help="Username")) -> None:
    """A user's tokens: prefix, label, expiry and state (the token itself is never stored)."""
    _setup()
    from django.utils import timezone

    from lantern.accounts.services import tokens_of

    now = timezone.now()
    for t in tokens_of(name):
        state = "revoked" if t.revoked_at else ("expired" if t.expires_at <= now else "active")
        typer.echo(f"{t.prefix}  {t.name:<16} expires {t.expires_at:%Y-%m-%d}  {state}")


@token_app.command("revoke")
def token_revoke(prefix: str = typer.Argument(..., help="The token's first 10 characters")) -> None:
    """Revoke a token."""
    _setup()
    from lantern.accounts.services import AccountError, revoke_token

    try:
        n = revoke_token(prefix, source=_source())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    if not n:
        raise _fail(f"no active token starting {prefix!r}")
    typer.echo("revoked")


@area_app.command("add")
def area_add(
    code: str = typer.Argument(..., help="Area code, e.g. NPL-P3 (unique)"),
    name: str = typer.Argument(..., help="Area name"),
    parent: str | None = typer.Option(None, "--parent", help="Code of the enclosing area"),
    level: int | None = typer.Option(None, "--level", help="0 = country (default: parent + 1)"),
) -> None:
    """Add an administrative area; area-scoped users see cases in it and below it."""
    _setup()
    from lantern.accounts.services import AccountError, add_area

    try:
        area = add_area(code, name, parent, level, source=_source())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"created area {area.code} (level {area.level})")


@agency_app.command("add")
def agency_add(
    code: str = typer.Argument(..., help="Agency code, as in the records' `agency` column"),
    name: str = typer.Argument(..., help="Agency name"),
    type_: str = typer.Option(
        ...,
        "--type",
        help="Kind of agency, an id of the agency_types code list: "
        + ", ".join(code_list("agency_types").ids()),
    ),
    area: str | None = typer.Option(None, "--area", help="Area code the agency works in"),
    country: str | None = typer.Option(None, "--country", help="ISO 3166-1 alpha-3"),
) -> None:
    """Add an agency."""
    _setup()
    from lantern.accounts.services import AccountError, add_agency

    try:
        agency = add_agency(code, name, type_, area, country, source=_source())
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"created agency {agency.code} ({agency.type})")
