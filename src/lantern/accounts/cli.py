"""`lantern user …` and `lantern token …`."""

from __future__ import annotations

import typer

user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens.", no_args_is_help=True)


def _fail(msg: str) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(2)


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="Username"),
    role: str = typer.Option(..., "--role"),
    agency: str | None = typer.Option(None, "--agency"),
    team: str | None = typer.Option(None, "--team"),
    area: str | None = typer.Option(None, "--area"),
) -> None:
    """Create a user; prints a generated password once."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.accounts.services import AccountError, add_user

    try:
        user, password = add_user(name, role, agency, team, area)
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"created {user.username} ({user.role}); password (shown once): {password}")


@token_app.command("create")
def token_create(
    name: str = typer.Argument(..., help="Username the token belongs to"),
    label: str = typer.Option("cli", "--label"),
    days: int = typer.Option(90, "--days", help="Days until it expires"),
) -> None:
    """Create a personal API token (shown once, stored hashed)."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.accounts.services import AccountError, create_token

    try:
        token, raw = create_token(name, label, days)
    except AccountError as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"token for {name}, expires {token.expires_at:%Y-%m-%d} (shown once):\n{raw}")


@token_app.command("revoke")
def token_revoke(prefix: str = typer.Argument(..., help="The token's first 10 characters")) -> None:
    """Revoke a token."""
    from lantern.cli import setup_django

    setup_django()
    from lantern.accounts.services import revoke_token

    if not revoke_token(prefix):
        raise _fail(f"no active token starting {prefix!r}")
    typer.echo("revoked")
