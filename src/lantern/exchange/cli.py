"""`lantern exchange keys`: this installation's packet keys (the partner pins them on its
agreement). The group's other commands, agreements and packets, are the transfer's
(``lantern.protection.transfers.cli``), which mounts this one."""

from __future__ import annotations

from pathlib import Path

import typer

keys_app = typer.Typer(help="This installation's packet keys.", no_args_is_help=True)


@keys_app.command("show")
def show_keys(
    out: Path | None = typer.Option(None, "--out", help="Also write the public key file here"),
) -> None:
    """Print this installation's public keys (give them to the partner installation)."""
    from lantern.boot import setup_django

    setup_django()
    from lantern.exchange.keys import installation_keys

    public = installation_keys().public()
    typer.echo(public.to_json())
    if out:
        out.write_text(public.to_json())
