"""``lantern link``: link agency records into one cluster per child.

``--input`` links a file in the agency record format (what ``lantern simulate`` writes);
without it, ``--user NAME`` links the store through the policy layer (audited).
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.csv as pacsv
import typer

from lantern.edges.commands import acting, fail, source
from lantern.recordlinkage import (
    BACKENDS,
    DEFAULT_BLOCK_CAP,
    DEFAULT_COHESION,
    DEFAULT_REVIEW_FLOOR,
    DEFAULT_THRESHOLD,
    LINKAGE_COLUMNS,
    Decision,
    LinkageOptions,
    RecordFormatError,
    link_records,
)

CLUSTERS_FILE = "clusters.parquet"
PAIRS_FILE = "pairs.parquet"
HISTORIES_FILE = "capture_histories.csv"
MODEL_FILE = "model.json"


def read_records(path: Path) -> pa.Table | Path:
    """The linkage columns of a CSV file in the record format (cells as text), or the path of
    a Parquet file, which linkage scans in place (its journeys, as JSON, are long).

    Only the columns linkage reads are loaded, as Arrow: a million-record file stays small.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return path
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig") as fh:
            header = set(next(csv.reader(fh), []))
        wanted = [c for c in LINKAGE_COLUMNS if c in header]
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted,
                column_types={c: pa.string() for c in wanted},
                strings_can_be_null=False,
            ),
        )
    raise RecordFormatError(f"{path.name}: expected a .parquet or .csv file")


def link(
    input: Annotated[
        Path | None,
        typer.Option("--input", help="Records in the agency record format (.parquet or .csv)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for clusters, pairs and histories.")
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="duckdb (embedded) or spark.")
    ] = "duckdb",
    threshold: Annotated[
        float, typer.Option("--threshold", help="Match probability at which records link.")
    ] = DEFAULT_THRESHOLD,
    review_floor: Annotated[
        float,
        typer.Option("--review-floor", help="Pairs from here up to the threshold go to review."),
    ] = DEFAULT_REVIEW_FLOOR,
    decisions: Annotated[
        Path | None,
        typer.Option("--decisions", help="Reviewed pairs (same/different) to respect."),
    ] = None,
    block_cap: Annotated[
        int, typer.Option("--block-cap", help="Largest block a blocking key may form.")
    ] = DEFAULT_BLOCK_CAP,
    cohesion: Annotated[
        float,
        typer.Option(
            "--cohesion",
            help="Mean probability two groups' cross pairs need to merge (0: transitive).",
        ),
    ] = DEFAULT_COHESION,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Link the store as this user (national coordinator)."),
    ] = None,
) -> None:
    """Link records of the same child across agencies (probabilistic record linkage)."""
    if input is None:
        _link_store(user, backend, threshold, review_floor, block_cap)
        return
    if out is None:
        raise fail("--out DIR is required with --input")
    if backend not in BACKENDS:
        raise fail(f"--backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    try:
        options = LinkageOptions(
            threshold=threshold,
            review_floor=review_floor,
            block_cap=block_cap,
            cohesion=cohesion,
            backend=backend,  # type: ignore[arg-type]
        )
        records = read_records(input)
        reviewed: list[Decision] = []
        if decisions is not None:
            from lantern.recordlinkage import read_decisions

            if not decisions.is_file():
                raise FileNotFoundError(f"no such file: {decisions}")
            reviewed = read_decisions(decisions)
        started = time.perf_counter()
        result = link_records(records, options, reviewed)
        elapsed = time.perf_counter() - started
    except (FileNotFoundError, RecordFormatError, ValueError) as error:
        raise fail(str(error)) from None

    out.mkdir(parents=True, exist_ok=True)
    result.clusters.to_parquet(out / CLUSTERS_FILE, index=False)
    result.pairs.to_parquet(out / PAIRS_FILE, index=False)
    result.capture_histories().to_csv(out / HISTORIES_FILE, index=False)
    (out / MODEL_FILE).write_text(json.dumps(result.model, indent=1), encoding="utf-8")

    bands = result.pairs["band"].value_counts()
    typer.echo(
        f"{len(result.clusters)} records -> {result.clusters['cluster_id'].nunique()} children "
        f"across {result.clusters['agency'].nunique()} agencies in {elapsed:.1f} s "
        f"(splink Fellegi-Sunter model, {backend}; link at p >= {threshold}; "
        f"{int(bands.get('link', 0))} linked pairs, {int(bands.get('review', 0))} to review, "
        f"{int(bands.get('decided', 0))} decided by a person). Files in {out}"
    )
    typer.echo(result.quality().summary().capitalize() + ".")


def _link_store(
    username: str | None, backend: str, threshold: float, review_floor: float, block_cap: int
) -> None:
    """``lantern link --user NAME``: link the store through the policy layer, audited."""
    if not username:
        raise fail("give --input FILE --out DIR to link a file, or --user NAME to link the store")
    if backend not in BACKENDS:
        raise fail(f"--backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    try:
        options = LinkageOptions(
            threshold=threshold,
            review_floor=review_floor,
            block_cap=block_cap,
            backend=backend,  # type: ignore[arg-type]
        )
    except ValueError as error:
        raise fail(str(error)) from None
    from lantern.boot import setup_django

    setup_django()
    from lantern.linkage.store import LinkageRefused, link_store

    account = acting(username)
    started = time.perf_counter()
    try:
        run = link_store(account, options, source=source("link"))
    except (LinkageRefused, RecordFormatError, ValueError) as error:
        raise fail(str(error)) from None
    typer.echo(
        f"linkage run {run.pk}: {run.records} records -> {run.clusters} children in "
        f"{time.perf_counter() - started:.1f} s (splink Fellegi-Sunter model, {backend}; link at "
        f"p >= {threshold}; {run.scored_pairs} scored pairs kept, {run.review} to review, "
        f"{run.decisions_applied} reviewers' decisions obeyed). Person keys and match evidence "
        "written to the store; no names."
    )


COUNT_FILE = "count.json"
REPORT_FILE = "report.md"
DRAW_HISTORIES_FILE = "capture_histories_draws.csv"


def count(
    input: Annotated[
        Path,
        typer.Option("--input", help="Records in the agency record format (.parquet or .csv)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the histories and the report.")],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="recommended (dga; beyond 5 lists the smallest merged first), dga, lcmcr, "
            "stepwise, main, ...",
        ),
    ] = "recommended",
    draws: Annotated[
        int, typer.Option("--draws", help="Clusterings drawn from the pair probabilities.")
    ] = 20,
    population: Annotated[
        str,
        typer.Option(
            "--population",
            help="children (under 18 or presumed minors, screened possible or actual victims) "
            "or all (every linked person).",
        ),
    ] = "children",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws and the sampler.")] = 1,
    level: Annotated[float, typer.Option("--level", help="Interval level.")] = 0.95,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Match probability at which records link.")
    ] = DEFAULT_THRESHOLD,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Count the children no agency recorded: link, draw clusterings, estimate, pool."""
    from lantern.estimation import METHODS, RECOMMENDED
    from lantern.linkage.count import count_linked, report
    from lantern.recordlinkage.population import POPULATIONS

    choices = [RECOMMENDED, *(m for m in METHODS if m != "fixed")]
    if method not in choices:
        raise fail(f"--method must be one of {', '.join(choices)}")
    if population not in POPULATIONS:
        raise fail(f"--population must be one of {', '.join(POPULATIONS)}, got {population!r}")
    if not 1 <= draws <= 500:
        raise fail(f"--draws must be from 1 to 500, got {draws}")
    if not 0.5 <= level < 1:
        raise fail(f"--level must be from 0.5 to 0.99, got {level}")
    try:
        options = LinkageOptions(threshold=threshold)
        records = read_records(input)
        started = time.perf_counter()
        linked = link_records(records, options)
        result = count_linked(
            input,
            linked,
            method=method,
            draws=draws,
            seed=seed,
            level=level,
            population=population,
        )
        elapsed = time.perf_counter() - started
    except (FileNotFoundError, RecordFormatError, ValueError) as error:
        raise fail(str(error)) from None
    out.mkdir(parents=True, exist_ok=True)
    _histories_csv(result.table, out / HISTORIES_FILE)
    with (out / DRAW_HISTORIES_FILE).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["draw", *result.lists, "count"])
        for d, table in enumerate(result.draw_tables):
            for history, n in table.rows():
                writer.writerow([d, *history, n])
    payload = result.to_dict() | {"seconds": round(elapsed, 1)}
    (out / COUNT_FILE).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    (out / REPORT_FILE).write_text(report(result, elapsed), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(payload, indent=2))
        return
    e = result.estimate
    assert e.interval is not None
    typer.echo(
        f"{e.estimate:,.0f} children ({e.interval.level:.0%} interval {e.interval.low:,.0f} to "
        f"{e.interval.high:,.0f}); {e.observed:,} recorded by at least one agency "
        f"({e.method}, pooled over {draws} clusterings). Histories and report in {out}"
    )
    if (v := result.visibility) is not None:
        reach = f"{v.low:,.0f} to {v.high:,.0f}" if v.high is not None else f"{v.low:,.0f} and up"
        typer.echo(f"range under varying visibility (not a confidence interval): {reach}")
    for warning in result.warnings:
        typer.echo(f"warning: {warning}")


def _histories_csv(table: object, path: Path) -> None:
    from lantern.estimation import CaptureTable

    assert isinstance(table, CaptureTable)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*table.lists, "count"])
        for history, n in table.rows():
            writer.writerow([*history, n])
