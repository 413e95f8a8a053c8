"""More than five lists: which estimator the recommended method should use, measured.

dga averages over decomposable graphs of 3 to 5 lists only. On the true capture histories of
small simulated worlds with 6 and 7 agencies (``lantern simulate``, synthetic only), it compares
dga after merging lists down to five (two merge rules), lcmcr on a short schedule, and stepwise
as the log-linear baseline. Run as
``python benchmarks/six_lists.py --seeds 1,2,3,4,5,6 --agencies 6,7 --children 3000``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from lantern.estimation import CaptureTable, Estimate, estimate, read_capture_csv
from lantern.estimation.merge import merge_lists, merge_plan
from lantern.simulation import SimulationConfig, write
from study_measures import figure, measures

SHORT_LCMCR = {"chains": 2, "burnin": 5000, "samples": 250, "thin": 20}


def _merged(rule: str) -> Callable[[CaptureTable, int], Estimate]:
    def run(t: CaptureTable, seed: int) -> Estimate:
        return estimate(merge_lists(t, merge_plan(t, rule)), "dga")

    return run


CANDIDATES: dict[str, Callable[[CaptureTable, int], Estimate]] = {
    "dga, smallest lists merged": _merged("smallest"),
    "dga, most dependent lists merged": _merged("dependent"),
    "lcmcr, short schedule": lambda t, s: estimate(t, "lcmcr", seed=s, **SHORT_LCMCR),
    "stepwise": lambda t, s: estimate(t, "stepwise"),
}


def run(args: argparse.Namespace) -> list[dict[str, object]]:
    root = Path(args.worlds or tempfile.mkdtemp(prefix="six-lists-"))
    rows: list[dict[str, object]] = []
    for agencies in [int(a) for a in args.agencies.split(",")]:
        for seed in [int(s) for s in args.seeds.split(",")]:
            out = root / f"{args.capture}-{args.children}-a{agencies}-s{seed}"
            if not (out / "capture_histories.csv").exists():
                config = SimulationConfig(
                    seed=seed, children=args.children, agencies=agencies, capture=args.capture
                )
                write(config, out)
            true_n = json.loads((out / "summary.json").read_text())["true_children"]
            table = read_capture_csv(out / "capture_histories.csv")
            for name, method in CANDIDATES.items():
                started = time.perf_counter()
                unsettled = False
                try:
                    e = method(table, seed)
                    got = figure(e)
                    unsettled = any("not converged" in w for w in e.warnings)
                except (ValueError, ArithmeticError):
                    got = None
                row = {
                    "agencies": agencies,
                    "seed": seed,
                    "method": name,
                    "true": true_n,
                    "got": got,
                    "unsettled": unsettled,
                    "seconds": round(time.perf_counter() - started, 2),
                }
                print(json.dumps(row), flush=True)
                rows.append(row)
    return rows


def summary(rows: list[dict[str, object]]) -> str:
    lines = [
        "| lists | method | median error | worlds covered | median width | median time "
        "| chains not converged |",
        "|---|---|---|---|---|---|---|",
    ]
    for agencies in dict.fromkeys(int(r["agencies"]) for r in rows):  # type: ignore[call-overload]
        for name in CANDIDATES:
            mine = [r for r in rows if r["agencies"] == agencies and r["method"] == name]
            m = measures(mine, "got")
            if m is None:
                continue
            secs = np.median([float(r["seconds"]) for r in mine])  # type: ignore[arg-type]
            lines.append(
                f"| {agencies} | {name} | {m.error_range('from ')} | {m.covering} of "
                f"{m.worlds} | {m.median_width:.0%} of the truth | {secs:.2f} s | "
                f"{sum(bool(r['unsettled']) for r in mine)} |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="1,2,3,4,5,6")
    ap.add_argument("--agencies", default="6,7")
    ap.add_argument("--children", type=int, default=3000)
    ap.add_argument("--capture", default="realistic")
    ap.add_argument("--worlds", default="", help="folder to keep the simulated worlds in")
    args = ap.parse_args()
    started = time.perf_counter()
    rows = run(args)
    print()
    print(summary(rows))
    print(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
