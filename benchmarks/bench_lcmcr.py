"""Latent-class estimation (``--method lcmcr``): our sampler's time beside R's LCMCR on the same
settings, and coverage on simulated heterogeneous catchability beside stepwise.

R baselines are the LCMCR rows of /work/shared/reference/mse/r-reference.csv: one chain,
burn-in 100,000, thinning 100, 1,000 draws, a = b = 0.25, K = 5 or 10 (R 4.2.2 on a 2-core
machine like this one, other jobs beside it, so upper bounds). This machine is shared too, so
we print our CPU time beside our wall time. Run as
``python benchmarks/bench_lcmcr.py [--quick] [--replicates N]``.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np

from lantern.estimation import estimate, read_capture_csv
from lantern.estimation.latent import Prior, Schedule, sample
from lantern.estimation.study import TWO_GROUPS, simulate_table

REF = Path("/work/shared/reference/mse")
R_SCHEDULE = Schedule(samples=1000, burnin=100_000, thin=100, chains=1)


def lcmcr_rows() -> list[dict[str, str]]:
    with (REF / "r-reference.csv").open(newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["package"].startswith("LCMCR")]


def speed(quick: bool) -> None:
    print("R baseline: r-reference.csv wall_s (LCMCR 0.4.14, one chain, R's settings)")
    for row in lcmcr_rows():
        k = 5 if "K=5" in row["settings"] else 10
        if quick and (k == 5 or row["dataset"] not in ("Korea", "UKdat_5")):
            continue
        table = read_capture_csv(REF / f"{row['dataset']}.csv")
        wall, cpu = time.perf_counter(), time.process_time()
        post = sample(table, Prior(classes=k), R_SCHEDULE, seed=12345)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        r_s = float(row["wall_s"])
        med = float(np.median(post.totals))
        print(
            f"lcmcr K={k}, {row['dataset']} ({table.k} lists), 200,000 iterations: "
            f"ours {wall:.1f} s wall, {cpu:.1f} s CPU | baseline {r_s:.1f} s | "
            f"ratio {r_s / wall:.2f}x wall, {r_s / cpu:.2f}x CPU | median {med:.0f} "
            f"(R {float(row['estimate']):.0f})",
            flush=True,
        )
    # several chains share every NumPy call: R runs its chains one after another
    table = read_capture_csv(REF / "UKdat_5.csv")
    four = Schedule(samples=1000, burnin=100_000, thin=100, chains=4)
    wall, cpu = time.perf_counter(), time.process_time()
    sample(table, Prior(classes=10), four, seed=12345)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ref = [r for r in lcmcr_rows() if r["dataset"] == "UKdat_5" and "K=10" in r["settings"]]
    r_s = 4 * float(ref[0]["wall_s"])
    print(
        f"lcmcr K=10, UKdat_5, 4 chains x 200,000 iterations: ours {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU | baseline 4 x R's one chain {r_s:.1f} s | ratio {r_s / wall:.2f}x wall",
        flush=True,
    )


def coverage(replicates: int, n_true: int = 2000, seed: int = 20261207) -> None:
    easy, hard = TWO_GROUPS.probs
    print(
        f"coverage: {replicates} worlds of {n_true:,} people, 5 lists, "
        f"{TWO_GROUPS.shares[1]:.0%} hard to find (each list catches {min(hard):.2f}-"
        f"{max(hard):.2f}), the rest easy ({min(easy):.2f}-{max(easy):.2f}); lcmcr with its "
        "default schedule"
    )
    rng = np.random.default_rng(seed)
    results: dict[str, list[tuple[bool, float, float]]] = {"stepwise": [], "lcmcr": []}
    unconverged = 0
    start = time.perf_counter()
    for i in range(replicates):
        table = simulate_table(TWO_GROUPS, n_true, rng)
        for method in results:
            options = {"seed": seed + i} if method == "lcmcr" else {}
            est = estimate(table, method, **options)
            assert est.interval is not None
            covered = est.interval.low <= n_true <= est.interval.high
            error = (est.estimate - n_true) / n_true
            width = est.interval.high - est.interval.low
            results[method].append((covered, error, width))
            if method == "lcmcr" and est.settings["convergence"]["rhat"] > 1.05:
                unconverged += 1
    for method, res in results.items():
        cov = np.mean([r[0] for r in res])
        err = np.array([r[1] for r in res])
        print(
            f"{method}: 95% interval covers the truth in {cov:.0%} of {len(res)} worlds | "
            f"mean relative error {err.mean():+.1%}, median absolute {np.median(np.abs(err)):.1%}"
            f" | median width {np.median([r[2] for r in res]):,.0f}"
        )
    print(
        f"lcmcr runs with R-hat > 1.05: {unconverged} of {replicates}; "
        f"time {time.perf_counter() - start:.0f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="two tables (K=10) and 4 worlds")
    ap.add_argument("--replicates", type=int, default=None, help="simulated worlds (default 10)")
    args = ap.parse_args()
    speed(args.quick)
    coverage(args.replicates or (4 if args.quick else 10))


if __name__ == "__main__":
    main()
