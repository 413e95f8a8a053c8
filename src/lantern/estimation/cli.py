"""``lantern estimate FILE.csv``: multiple systems estimate of a capture-history table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from lantern.estimation.api import INTERVALS, METHODS
from lantern.estimation.api import estimate as run_estimate
from lantern.estimation.fit import EstimateDoesNotExist, NotIdentifiable
from lantern.estimation.result import Estimate
from lantern.estimation.table import CaptureTableError, read_capture_csv

EXIT_BAD_INPUT = 2
EXIT_NO_ESTIMATE = 3


def estimate(
    file: Annotated[Path, typer.Argument(help="CSV: one 0/1 column per list and a 'count' column")],
    method: Annotated[str, typer.Option(help=f"one of {', '.join(METHODS)}")] = "stepwise",
    threshold: Annotated[
        float | None, typer.Option(help="p-value threshold (stepwise 0.02, aic-stepwise 0.05)")
    ] = None,
    max_order: Annotated[
        int | None, typer.Option(help="highest interaction order for aic/bic")
    ] = None,
    ntop: Annotated[
        int | None, typer.Option(help="aic/bic: best models kept for the bootstrap")
    ] = None,
    model: Annotated[str | None, typer.Option(help="method fixed: '[12,23]' or 'A:B+B:C'")] = None,
    bootstrap: Annotated[int, typer.Option(help="BCa bootstrap replicates (0 = none)")] = 0,
    seed: Annotated[
        int | None, typer.Option(help="random seed for the bootstrap or the lcmcr sampler")
    ] = None,
    classes: Annotated[
        int | None, typer.Option(help="lcmcr: latent classes K (default 10)")
    ] = None,
    samples: Annotated[
        int | None, typer.Option(help="lcmcr: draws kept per chain (default 1000)")
    ] = None,
    burnin: Annotated[
        int | None, typer.Option(help="lcmcr: iterations dropped per chain (default 100000)")
    ] = None,
    thin: Annotated[
        int | None, typer.Option(help="lcmcr: keep one draw every T iterations (default 50)")
    ] = None,
    chains: Annotated[int | None, typer.Option(help="lcmcr: chains (default 4)")] = None,
    max_total: Annotated[
        float | None, typer.Option(help="dga: largest total on the grid (default 11 x observed)")
    ] = None,
    level: Annotated[float, typer.Option(help="confidence level")] = 0.95,
    interval: Annotated[
        str | None, typer.Option(help=f"one of {', '.join(INTERVALS)} (default by method)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Estimate how many people are on none of the lists (the dark figure) and the total."""
    if model is not None and method != "fixed":
        typer.echo(f"error: --model goes with --method fixed, not {method!r}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        table = read_capture_csv(file)
    except CaptureTableError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        est = run_estimate(
            table,
            method,
            threshold=threshold,
            max_order=max_order,
            ntop=ntop,
            model=model,
            bootstrap=bootstrap,
            seed=seed,
            level=level,
            interval=interval,
            classes=classes,
            samples=samples,
            burnin=burnin,
            thin=thin,
            chains=chains,
            max_total=max_total,
        )
    except (EstimateDoesNotExist, NotIdentifiable, FloatingPointError) as exc:
        typer.echo(f"no estimate: {exc}", err=True)
        raise typer.Exit(EXIT_NO_ESTIMATE) from None
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        typer.echo(json.dumps(est.to_dict(), indent=2))
    else:
        _print_table(est)


def _print_table(est: Estimate) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"Multiple systems estimate ({est.method})", show_header=False)
    t.add_row("lists", ", ".join(est.lists))
    t.add_row("observed", f"{est.observed:,}")
    t.add_row("dark figure", f"{est.dark_figure:,.1f}")
    t.add_row("estimate (total)", f"{est.estimate:,.1f}")
    if est.interval:
        ci = est.interval
        t.add_row(f"{ci.level:.0%} interval", f"{ci.low:,.1f} to {ci.high:,.1f}  ({ci.method})")
    t.add_row("model", f"{est.model}  {est.model_sparsemse}".strip())
    conv = est.settings.get("convergence")
    if conv:
        t.add_row(
            "convergence",
            f"R-hat {conv['rhat']:.3f}; effective draws {conv['ess_bulk']:,.0f} (bulk), "
            f"{conv['ess_tail']:,.0f} (tails); seed {est.settings['seed']}",
        )
    t.add_row("method", str(est.settings.get("description", est.method)))
    for w in est.warnings:
        t.add_row("warning", w)
    Console().print(t)
