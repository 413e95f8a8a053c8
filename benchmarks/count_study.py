"""Linkage uncertainty in the count: simulate -> link -> count, against the known truth.

For each world (``lantern simulate``, synthetic only) and each estimator it compares three
figures: the estimate on the world's **true** capture histories (what a perfect linkage would
give), on the run's **own clustering** (links at p >= 0.9, every link taken as certain), and
**pooled** over clusterings drawn from the pair probabilities (``lantern count``). Every
person the simulator made counts (``population="all"``), so the truth is its ``true_children``.
Run as ``python benchmarks/count_study.py --seeds 1,2,3,4 --children 3000`` (small: the CPU is
shared). Prints one row per world and method, then bias, coverage and width per method.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from lantern.estimation import Estimate, read_capture_csv
from lantern.linkage.count import count_linked, estimator
from lantern.recordlinkage import link_records
from lantern.simulation import SimulationConfig, write

KINDS = ("truth", "single", "pooled")


def world(seed: int, children: int, scenario: str, capture: str, agencies: int, root: Path) -> Path:
    out = root / f"{scenario}-{capture}-{children}-{seed}"
    if not (out / "records.parquet").exists():
        config = SimulationConfig(
            seed=seed, children=children, agencies=agencies, scenario=scenario, capture=capture
        )
        write(config, out)
    return out


def _row(e: Estimate | None) -> list[float] | None:
    if e is None or e.interval is None:
        return None
    return [e.estimate, e.interval.low, e.interval.high]


def run(args: argparse.Namespace) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    root = Path(args.worlds or tempfile.mkdtemp(prefix="count-study-"))
    for seed in [int(s) for s in args.seeds.split(",")]:
        out = world(seed, args.children, args.scenario, args.capture, args.agencies, root)
        truth_n = json.loads((out / "summary.json").read_text())["true_children"]
        linked = link_records(out / "records.parquet")
        truth_table = read_capture_csv(out / "capture_histories.csv")
        for method in args.methods.split(","):
            started = time.perf_counter()
            try:
                on_truth: Estimate | None = estimator(method, seed, 0.95)(truth_table)
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
                "seed": seed,
                "method": method,
                "true": truth_n,
                "truth": _row(on_truth),
                "single": _row(c.single),
                "pooled": _row(c.estimate),
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def summary(rows: list[dict[str, object]]) -> str:
    lines = [
        "| method | histories | median error | worlds covered | median width |",
        "|---|---|---|---|---|",
    ]
    for method in dict.fromkeys(str(r["method"]) for r in rows):
        mine = [r for r in rows if r["method"] == method]
        for kind in KINDS:
            got = [(r[kind], float(r["true"])) for r in mine if r[kind] is not None]  # type: ignore[arg-type]
            if not got:
                continue
            err = [v[0] / n - 1 for v, n in got]  # type: ignore[index]
            hit = sum(v[1] <= n <= v[2] for v, n in got)  # type: ignore[index]
            width = [(v[2] - v[1]) / n for v, n in got]  # type: ignore[index]
            lines.append(
                f"| {method} | {kind} | {np.median(err):+.0%} (from {min(err):+.0%} to "
                f"{max(err):+.0%}) | {hit} of {len(got)} | {np.median(width):.0%} of the truth |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="1,2,3,4")
    ap.add_argument("--children", type=int, default=3000)
    ap.add_argument("--agencies", type=int, default=5)
    ap.add_argument("--scenario", default="south_asia")
    ap.add_argument("--capture", default="realistic")
    ap.add_argument("--methods", default="stepwise,dga,lcmcr")
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--worlds", default="", help="folder to keep the simulated worlds in")
    args = ap.parse_args()
    started = time.perf_counter()
    rows = run(args)
    print()
    print(summary(rows))
    print(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
