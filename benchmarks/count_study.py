"""Linkage uncertainty in the count: simulate -> link -> count, against the known truth.

For each world (``lantern simulate``, synthetic only) and each estimator it compares three
figures: the estimate on the world's **true** capture histories (what a perfect linkage would
give), on the run's **own clustering** (links at p >= 0.9, every link taken as certain), and
**pooled** over clusterings drawn from the pair probabilities (``lantern count``). Every
person the simulator made counts (``population="all"``), so the truth is its ``true_children``.
By default (``make bench``) every scenario and capture setting, 10 seeds each, with the
recommended method; ``--scenarios``, ``--captures``, ``--seeds`` and ``--methods`` narrow or
widen it. Prints one row per world and method, then error, coverage and width per scenario,
capture setting and method, and the run time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lantern.estimation import RECOMMENDED, Estimate, read_capture_csv, recommended_method
from lantern.linkage.count import count_linked, estimator
from lantern.recordlinkage import link_records
from lantern.recordlinkage.metrics import Accuracy, cluster_accuracy
from lantern.simulation import SimulationConfig, write
from lantern.simulation.config import CAPTURE_SETTINGS
from lantern.simulation.scenario import SCENARIO_NAMES

# the repository, so its neighbours load as benchmarks.<name> run as a script or from tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.linkage_pairs import PairReport, diagnose
from benchmarks.linkage_pairs import table as pair_table
from benchmarks.study_measures import figure, measures

KINDS = ("truth", "single", "pooled")


def world(seed: int, children: int, scenario: str, capture: str, agencies: int, root: Path) -> Path:
    out = root / f"{scenario}-{capture}-{children}-{seed}"
    if not (out / "records.parquet").exists():
        config = SimulationConfig(
            seed=seed, children=children, agencies=agencies, scenario=scenario, capture=capture
        )
        write(config, out)
    return out


def _worlds(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    scenarios = SCENARIO_NAMES if args.scenarios == "all" else tuple(args.scenarios.split(","))
    captures = CAPTURE_SETTINGS if args.captures == "all" else tuple(args.captures.split(","))
    seeds = [int(s) for s in args.seeds.split(",")]
    return [(sc, cap, seed) for sc in scenarios for cap in captures for seed in seeds]


def run(
    args: argparse.Namespace, pairs: dict[tuple[str, str], PairReport] | None = None
) -> list[dict[str, object]]:
    """Every world and method; ``pairs`` gathers each scenario and capture setting's
    pair diagnostics (:mod:`linkage_pairs`)."""
    rows: list[dict[str, object]] = []
    root = Path(args.worlds or tempfile.mkdtemp(prefix="count-study-"))
    for scenario, capture, seed in _worlds(args):
        out = world(seed, args.children, scenario, capture, args.agencies, root)
        about = json.loads((out / "summary.json").read_text())
        truth_n = about["true_children"]
        linked = link_records(out / "records.parquet")
        accuracy = _linkage_accuracy(linked.clusters, out / "truth.parquet")
        if pairs is not None:
            pairs.setdefault((scenario, capture), PairReport()).add(diagnose(out, linked.pairs))
        truth_table = read_capture_csv(out / "capture_histories.csv")
        for method in args.methods.split(","):
            started = time.perf_counter()
            try:
                named = (
                    recommended_method(len(truth_table.lists)) if method == RECOMMENDED else method
                )
                on_truth: Estimate | None = estimator(named, seed, 0.95)(truth_table)
            except (ValueError, ArithmeticError):
                on_truth = None
            c = count_linked(
                out / "records.parquet",
                linked,
                method=method,
                draws=args.draws,
                seed=seed,
                population="all",
            )
            row = {
                "scenario": scenario,
                "capture": capture,
                "seed": seed,
                "method": method,
                "true": truth_n,
                "truth": figure(on_truth),
                "single": figure(c.single),
                "pooled": figure(c.estimate),
                "seconds": round(time.perf_counter() - started, 1),
                # the run's own clustering against the simulator's truth (why a figure leans)
                "observed": about["observed_children"],
                "found": int(linked.clusters["cluster_id"].nunique()),
                "recall": round(accuracy.recall, 4),
                "precision": round(accuracy.precision, 4),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def _linkage_accuracy(clusters: pd.DataFrame, truth_file: Path) -> Accuracy:
    """Cluster precision and recall of the run's own clustering (pairs of records)."""
    truth = pd.read_parquet(truth_file)
    person = pd.Series(
        truth["true_person_id"].to_numpy(),
        index=truth["agency"].astype(str) + "|" + truth["source_record_id"].astype(str),
    )
    found = pd.Series(
        clusters["cluster_id"].to_numpy(),
        index=clusters["agency"].astype(str) + "|" + clusters["source_record_id"].astype(str),
    )
    return cluster_accuracy(found, person)


def linkage_summary(rows: list[dict[str, object]]) -> str:
    """Per scenario and capture setting: how well the run's own clustering found the children
    the agencies saw, which is what moves the figure (a missed link is a child seen once)."""
    lines = [
        "| scenario | capture | children seen | clusters found | cluster recall | "
        "cluster precision |",
        "|---|---|---|---|---|---|",
    ]
    seen: dict[tuple[object, object], dict[object, dict[str, object]]] = {}
    for r in rows:  # one row per world (the linkage does not depend on the method)
        seen.setdefault((r["scenario"], r["capture"]), {})[r["seed"]] = r
    for (scenario, capture), worlds in seen.items():
        w = list(worlds.values())
        observed = float(np.median([float(r["observed"]) for r in w]))  # type: ignore[arg-type]
        found = float(np.median([float(r["found"]) for r in w]))  # type: ignore[arg-type]
        recall = float(np.median([float(r["recall"]) for r in w]))  # type: ignore[arg-type]
        precision = float(np.median([float(r["precision"]) for r in w]))  # type: ignore[arg-type]
        split = found / observed - 1
        lines.append(
            f"| {scenario} | {capture} | {observed:,.0f} | {found:,.0f} ({split:+.0%})"
            f" | {recall:.3f} | {precision:.3f} |"
        )
    return "\n".join(lines) + "\n\n(medians over the worlds)"


def summary(rows: list[dict[str, object]]) -> str:
    """One line per scenario, capture setting, method and histories: the median error (and the
    median absolute error the issue's target reads), coverage and width."""
    lines = [
        "| scenario | capture | method | histories | median error (range) | median abs. error "
        "| 95% intervals covering | median width |",
        "|---|---|---|---|---|---|---|---|",
    ]
    groups = dict.fromkeys((r["scenario"], r["capture"], r["method"]) for r in rows)
    for scenario, capture, method in groups:
        mine = [
            r
            for r in rows
            if (r["scenario"], r["capture"], r["method"]) == (scenario, capture, method)
        ]
        for kind in KINDS:
            m = measures(mine, kind)
            if m is None:
                continue
            lines.append(
                f"| {scenario} | {capture} | {method} | {kind} | {m.error_range('from ')} | "
                f"{m.median_abs_error:.0%} | {m.covering} of {m.worlds} "
                f"({m.covering / m.worlds:.0%}) | {m.median_width:.0%} |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default=",".join(str(s) for s in range(1, 11)))
    ap.add_argument("--children", type=int, default=2000)
    ap.add_argument("--agencies", type=int, default=5)
    ap.add_argument("--scenarios", default="all", help="comma-separated, or all")
    ap.add_argument("--captures", default="all", help="comma-separated, or all")
    ap.add_argument("--methods", default=RECOMMENDED)
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--worlds", default="", help="folder to keep the simulated worlds in")
    ap.add_argument("--quick", action="store_true", help="2 seeds, realistic capture, 1,000")
    args = ap.parse_args()
    if args.quick:
        args.seeds, args.captures, args.children = "1,2", "realistic", 1000
    started = time.perf_counter()
    pairs: dict[tuple[str, str], PairReport] = {}
    rows = run(args, pairs)
    print()
    print(
        f"{len(_worlds(args))} worlds of {args.children:,} children, {args.agencies} agencies, "
        f"{args.draws} linkage draws; truth = the simulator's true_children"
    )
    print(summary(rows))
    print()
    print(linkage_summary(rows))
    print()
    print("True pairs (two records of one child) through blocking and scoring, summed:")
    print(pair_table((f"{scenario} {capture}", r) for (scenario, capture), r in pairs.items()))
    print(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
