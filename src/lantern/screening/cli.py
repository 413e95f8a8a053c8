"""`lantern screen FILE.json`: screen one situation and print the explained result as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lantern.screening.inputs import ScreeningInputError, parse_input
from lantern.screening.rules import screen as run_screen


def screen(
    file: Annotated[
        Path,
        typer.Argument(
            help="Screening facts as JSON (see lantern/screening/README.md); - = stdin."
        ),
    ],
) -> None:
    """Screen a situation against Palermo art. 3 and the ILO/EC indicators (result as JSON)."""
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        typer.echo(f"Error: cannot read {file}: {error.__class__.__name__}", err=True)
        raise typer.Exit(2) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        typer.echo(
            f"Error: (file): not valid JSON at line {error.lineno} column {error.colno}",
            err=True,
        )
        raise typer.Exit(2) from None
    try:
        facts = parse_input(data)
    except ScreeningInputError as error:
        typer.echo(f"Error: {error.field}: {error.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(run_screen(facts).to_dict(), indent=2, ensure_ascii=False))
