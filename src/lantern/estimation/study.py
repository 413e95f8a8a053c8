"""Simulation study: coverage where the model holds, bias where it does not.

Self-contained generator of capture histories with a known total N (lantern.simulation's
people-level generator is not needed for this question). Run:
``python -m lantern.estimation.study --replicates 200 --seed 20240601``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lantern.estimation.api import estimate
from lantern.estimation.fit import EstimateDoesNotExist, NotIdentifiable
from lantern.estimation.table import CaptureTable

LISTS = ("police", "ngo", "hotline", "labour", "health")


@dataclass(frozen=True)
class Setting:
    """How people are caught: per-list probabilities for each latent class, class shares, and
    an optional dependence (being on list 0 multiplies the chance of list 1)."""

    name: str
    probs: tuple[tuple[float, ...], ...]
    shares: tuple[float, ...]
    dependence: float = 1.0


SETTINGS = (
    Setting("independent", ((0.25, 0.2, 0.15, 0.3),), (1.0,)),
    Setting("heterogeneous", ((0.5, 0.4, 0.3, 0.5), (0.08, 0.06, 0.05, 0.1)), (0.3, 0.7)),
    Setting("dependent", ((0.25, 0.2, 0.15, 0.3),), (1.0,), dependence=2.5),
)
#: Two hidden groups on five lists (the latent-class benchmark, benchmarks/bench_lcmcr.py):
#: 40% easy to find, 60% hard; catchability varies with the person, not the list.
TWO_GROUPS = Setting(
    "two-groups-5",
    ((0.40, 0.35, 0.30, 0.45, 0.40), (0.12, 0.10, 0.08, 0.15, 0.10)),
    (0.4, 0.6),
)


def simulate_table(setting: Setting, n_true: int, rng: np.random.Generator) -> CaptureTable:
    """Histories of ``n_true`` synthetic people; those on no list are the dark figure."""
    cls = rng.choice(len(setting.shares), size=n_true, p=setting.shares)
    p = np.asarray(setting.probs)[cls]
    caught = rng.random(p.shape) < p
    if setting.dependence != 1.0:
        boosted = np.minimum(1.0, p[:, 1] * setting.dependence)
        caught[:, 1] = np.where(caught[:, 0], rng.random(n_true) < boosted, caught[:, 1])
    masks = caught @ (1 << np.arange(caught.shape[1]))
    counts = np.bincount(masks, minlength=2 ** caught.shape[1])[1:]
    return CaptureTable(LISTS[: caught.shape[1]], counts.astype(np.int64))


@dataclass(frozen=True)
class Row:
    setting: str
    method: str
    interval: str
    replicates: int
    failed: int
    coverage: float
    relative_bias: float
    median_width: float


def run(
    replicates: int, seed: int, n_true: int = 1000, n_boot: int = 199
) -> tuple[list[Row], float]:
    """Coverage of 95% intervals and relative bias of the total, per setting and method."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    plans = (("main", "normal", 0), ("stepwise", "normal", 0), ("stepwise", "bca", n_boot))
    out: list[Row] = []
    for setting in SETTINGS:
        tables = [simulate_table(setting, n_true, rng) for _ in range(replicates)]
        for method, kind, boot in plans:
            hits, errs, widths, failed = 0, [], [], 0
            for i, t in enumerate(tables):
                try:
                    e = estimate(t, method, bootstrap=boot, seed=seed + i, interval=kind)
                except (EstimateDoesNotExist, NotIdentifiable):
                    failed += 1
                    continue
                assert e.interval is not None
                hits += e.interval.low <= n_true <= e.interval.high
                errs.append(e.estimate / n_true - 1)
                widths.append(e.interval.high - e.interval.low)
            done = len(errs)
            out.append(
                Row(
                    setting.name,
                    method,
                    kind,
                    replicates,
                    failed,
                    hits / done,
                    float(np.mean(errs)),
                    float(np.median(widths)),
                )
            )
    return out, time.perf_counter() - start


def markdown(rows: Sequence[Row], seed: int, seconds: float, n_true: int) -> str:
    head = (
        f"N = {n_true}, 4 lists, seed {seed}, {rows[0].replicates} replicates per setting, "
        f"run time {seconds:.0f} s\n\n"
        "| setting | method | 95% interval | coverage | mean relative bias | median width | "
        "failed |\n|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r.setting} | {r.method} | {r.interval} | {r.coverage:.1%} | "
        f"{r.relative_bias:+.1%} | {r.median_width:,.0f} | {r.failed} |\n"
        for r in rows
    )
    return head + body


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--n-true", type=int, default=1000)
    args = ap.parse_args(argv)
    rows, seconds = run(args.replicates, args.seed, args.n_true)
    print(markdown(rows, args.seed, seconds, args.n_true))


if __name__ == "__main__":
    main()
