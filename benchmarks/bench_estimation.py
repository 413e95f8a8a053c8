"""Multiple systems estimation: our wall time beside the R packages' on the same computations.

R baselines are the ``wall_s`` column of /work/shared/reference/mse/r-reference.csv: R 4.2.2 on
a 2-core machine like this one (other jobs ran beside it, so they are upper bounds). Run as
``python benchmarks/bench_estimation.py [--quick] [--only TEXT]``.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from lantern.estimation import CaptureTable, estimate, read_capture_csv
from lantern.estimation.selection import rank_models

REF = Path("/work/shared/reference/mse")


def r_seconds(dataset: str, package: str, method: str, settings: str = "") -> float:
    with (REF / "r-reference.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if (
                row["dataset"] == dataset
                and row["package"].startswith(package)
                and row["method"].startswith(method)
                and settings in row["settings"]
            ):
                return float(row["wall_s"])
    raise KeyError((dataset, package, method, settings))


def eight_lists(seed: int = 8) -> CaptureTable:
    """A synthetic eight-list table (no eight-list data set ships with the reference)."""
    rng = np.random.default_rng(seed)
    n = 6000
    p = np.array([0.12, 0.08, 0.1, 0.05, 0.15, 0.07, 0.04, 0.09])
    hidden = rng.random(n) < 0.3
    caught = rng.random((n, 8)) < np.where(hidden[:, None], p / 2, p * 1.5)
    caught[:, 1] |= caught[:, 0] & (rng.random(n) < 0.2)
    masks = caught @ (1 << np.arange(8))
    counts = np.bincount(masks, minlength=256)[1:].astype(np.int64)
    return CaptureTable(tuple(f"L{i + 1}" for i in range(8)), counts)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="only the cases R does in under 2 min")
    ap.add_argument("--only", default="", help="only the cases whose label contains this")
    args = ap.parse_args()
    t = {
        name: read_capture_csv(REF / f"{name}.csv")
        for name in ("Korea", "Kosovo", "UKdat_4", "UKdat_5", "UKdat")
    }
    cases: list[tuple[str, Callable[[], object], float | None]] = []
    for name in ("Korea", "Kosovo", "UKdat_4", "UKdat_5", "UKdat"):
        cases.append(
            (
                f"stepwise + BCa 1000, {name} ({t[name].k} lists)",
                partial(estimate, t[name], "stepwise", bootstrap=1000, seed=1234),
                r_seconds(name, "SparseMSE", "stepwise + BCa"),
            )
        )
    for name, order, ntop in (
        ("Kosovo", 3, None),
        ("UKdat_4", 3, 20),
        ("UKdat_5", 2, 100),
        ("UKdat_5", 3, 100),
    ):
        cases.append(
            (
                f"BIC all models order<={order} + BCa 1000, {name} ({t[name].k} lists)",
                partial(
                    estimate, t[name], "bic", max_order=order, ntop=ntop, bootstrap=1000, seed=1234
                ),
                r_seconds(name, "MultipleSystems", "BIC + BCa", f"maxorder={order}"),
            )
        )
    cases.append(
        (
            "Rcapture closedpMS.t: 32,768 six-list models, AIC+BIC, UKdat",
            lambda: rank_models(t["UKdat"].counts, 6, "bic", 2),
            r_seconds("UKdat", "Rcapture", "closedpMS.t min BIC"),
        )
    )
    for name in ("Korea", "Kosovo", "UKdat_4", "UKdat_5"):
        cases.append(
            (
                f"dga model averaging, {name} ({t[name].k} lists)",
                partial(estimate, t[name], "dga"),
                r_seconds(name, "dga", "bma.cr (Madigan-York BMA over", "maxpop=11n"),
            )
        )
    big = eight_lists()
    # r-reference.csv has no eight-list run; R's six-list run (UKdat) is a smaller problem, so
    # the ratio against it is a lower bound on the speed-up for eight lists.
    cases.append(
        (
            "stepwise + BCa 1000, synthetic 8 lists (baseline: R on 6 lists, a lower bound)",
            lambda: estimate(big, "stepwise", bootstrap=1000, seed=1234),
            r_seconds("UKdat", "SparseMSE", "stepwise + BCa"),
        )
    )
    if args.quick:
        cases = [c for c in cases if c[2] is not None and c[2] < 120]
    cases = [c for c in cases if args.only in c[0]]
    print("R baseline: r-reference.csv wall_s, R 4.2.2 on a comparable 2-core machine")
    for label, fn, r_s in cases:
        ours = timed(fn)
        if r_s is None:
            print(f"{label}: ours {ours:.1f} s | baseline none (no R timing in r-reference.csv)")
        else:
            print(f"{label}: ours {ours:.2f} s | baseline {r_s:.2f} s | ratio {r_s / ours:.1f}x")


if __name__ == "__main__":
    main()
