"""``lantern simulate``: write a synthetic country with its ground truth to a directory."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from lantern.simulation.config import CAPTURE_SETTINGS, ConfigError, SimulationConfig
from lantern.simulation.output import write
from lantern.simulation.scenario import SCENARIO_NAMES

#: Runs with at least this many children show a progress bar on stderr.
PROGRESS_FROM = 50_000


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=2)


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option} must be a date as YYYY-MM-DD, got {text!r}") from None


def simulate(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the outputs into.")],
    seed: Annotated[int, typer.Option(help="Random seed; equal seeds give identical files.")] = 1,
    children: Annotated[int, typer.Option(help="True number of children in the period.")] = 5000,
    agencies: Annotated[
        int, typer.Option(help="Number of agencies recording children (3-10).")
    ] = 5,
    scenario: Annotated[
        str, typer.Option(help=f"Regional preset: {', '.join(SCENARIO_NAMES)}.")
    ] = "south_asia",
    capture: Annotated[
        str,
        typer.Option(
            help="How agencies find children: independent (MSE assumptions hold), "
            "heterogeneous, dependent (referrals) or realistic (both)."
        ),
    ] = "realistic",
    start: Annotated[
        str, typer.Option(help="First day of the period (YYYY-MM-DD).")
    ] = "2024-01-01",
    end: Annotated[str, typer.Option(help="Last day of the period (YYYY-MM-DD).")] = "2025-12-31",
    workers: Annotated[
        int, typer.Option(help="Processes drawing blocks in parallel (output is identical).")
    ] = 1,
) -> None:
    """Simulate a country's trafficked children and the records agencies keep of them.

    Writes records.parquet/records.csv (the agency record format `lantern import` takes),
    truth.parquet, people.parquet, capture_histories.csv, summary.json, and the traffickers the
    records name (perpetrators.parquet/csv, perpetrator_truth.parquet, traffickers.parquet).
    All synthetic.
    """
    if capture not in CAPTURE_SETTINGS:
        raise _fail(f"--capture must be one of {', '.join(CAPTURE_SETTINGS)}, got {capture!r}")
    try:
        config = SimulationConfig(
            seed=seed,
            children=children,
            agencies=agencies,
            scenario=scenario,
            capture=capture,  # type: ignore[arg-type]  # checked above
            start=_date(start, "--start"),
            end=_date(end, "--end"),
        )
    except ConfigError as exc:
        raise _fail(f"--{exc}") from None  # messages start with the setting's name
    if not 1 <= workers <= 64:
        raise _fail(f"--workers must be between 1 and 64, got {workers}")
    if out.exists() and not out.is_dir():
        raise _fail(f"--out {out} exists and is not a directory")
    if children >= PROGRESS_FROM:
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("children", total=children)
            result = write(
                config, out, lambda done, _total: bar.update(task, completed=done), workers
            )
    else:
        result = write(config, out, workers=workers)
    typer.echo(
        f"{result['records']} records of {result['observed_children']} observed children "
        f"(of {result['true_children']} true) from {config.agencies} agencies, "
        f"scenario {config.scenario}, written to {out}"
    )
