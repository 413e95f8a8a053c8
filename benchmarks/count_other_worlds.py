"""The count on worlds from another generator: does ``lantern count`` hold outside its own?

``lantern.simulation`` made every world the count was built and studied on (``count_study``).
This generator is not it: its children, names, districts and typing errors are those of
:mod:`outside_records` (a thin register: names, sex, birth date, district only), and its
capture is a model of its own, with the two things that bias multiple systems estimation:

- **heterogeneous visibility**: each child has a visibility ``z ~ Normal(0, 1)`` and agency
  ``k`` records them with probability ``expit(base_k + spread * z)``, so some children are
  much harder to find than others, at every agency at once;
- **referral dependence**: a child the police record is referred to the shelter, which then
  records them with probability ``REFERRED``, and a hotline's child is referred to an NGO;
  lists are not independent.

Settings: ``independent`` (neither), ``referral``, ``heterogeneous`` (spread 0.5), ``both``
(spread 0.5 and referrals) and ``strong`` (spread 1.0 and referrals); each with the
``heavy`` or ``light`` typing errors of outside records. Every child the generator made is the
truth (children no agency recorded included); the count runs with ``population="all"``
(these records carry no registration date, so no age at identification). For each world it
prints the estimate on the world's **true** capture histories (the estimator's own bias,
no linkage) and ``lantern count``'s **pooled** figure, by each method of ``--methods`` (the
recommended one by default; lcmcr runs ``lantern count``'s shorter per-draw schedule on both),
then error, coverage and width per setting and method. The issue's bar (#13): the interval
covers the truth and the figure lands within 20%.

    python benchmarks/count_other_worlds.py [--seeds 1,...,10] [--children 2000]
        [--settings all|independent,both,...] [--levels heavy,light] [--draws 20]
        [--methods recommended|dga,lcmcr,...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks import outside_records as outside  # noqa: E402
from benchmarks.study_measures import figure, measures  # noqa: E402

from lantern.estimation import (  # noqa: E402
    RECOMMENDED,
    CaptureTable,
    Estimate,
    recommended_method,
)
from lantern.linkage.count import count_linked, estimator  # noqa: E402
from lantern.recordlinkage import link_records  # noqa: E402

#: The lists, and how likely each records a child of average visibility (log-odds).
AGENCIES = ("police", "shelter", "ngo_a", "hotline", "labour")
_RATES = np.array([0.16, 0.10, 0.12, 0.08, 0.07])
BASE = np.log(_RATES / (1 - _RATES))
#: Who refers to whom, and how often the referred child is then recorded there.
REFERRALS = (("police", "shelter"), ("hotline", "ngo_a"))
REFERRED = 0.5


@dataclass(frozen=True)
class Setting:
    spread: float  # standard deviation of the children's visibility, on the log-odds scale
    referral: bool


SETTINGS = {
    "independent": Setting(0.0, False),
    "referral": Setting(0.0, True),
    "heterogeneous": Setting(0.5, False),
    "both": Setting(0.5, True),
    "strong": Setting(1.0, True),
}


def captures(children: int, setting: Setting, rng: np.random.Generator) -> np.ndarray:
    """Which agencies record each child: a children × agencies boolean matrix."""
    z = rng.standard_normal(children)
    p = 1 / (1 + np.exp(-(BASE[None, :] + setting.spread * z[:, None])))
    seen = rng.random(p.shape) < p
    if setting.referral:
        for source, target in REFERRALS:
            s, t = AGENCIES.index(source), AGENCIES.index(target)
            seen[:, t] |= seen[:, s] & (rng.random(children) < REFERRED)
    return seen


def world(
    children: int, seed: int, setting: Setting, level: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """The records in Lantern's record format, and each child's true capture history."""
    rng = np.random.default_rng(seed)
    people = outside.true_children(children, rng)
    seen = captures(children, setting, rng)
    corruption = outside.LEVELS[level]
    rows = []
    for i, child in people.iterrows():
        for k in np.flatnonzero(seen[int(i)]):  # type: ignore[call-overload]
            rows.extend(outside.records_of(child, AGENCIES[k], corruption, rng))
    return outside.as_record_format(outside.shuffled(rows, seed)), seen


def true_table(seen: np.ndarray) -> CaptureTable:
    """The capture histories a perfect linkage would give (children seen at least once)."""
    observed = seen[seen.any(axis=1)]
    weights = 1 << np.arange(observed.shape[1])
    masks = observed.astype(np.int64) @ weights
    return CaptureTable(AGENCIES, np.bincount(masks, minlength=1 << len(AGENCIES))[1:])


def _named(method: str) -> str:
    """The estimator a method name stands for (``recommended``: dga on 5 lists)."""
    return recommended_method(len(AGENCIES)) if method == RECOMMENDED else method


def run(args: argparse.Namespace) -> list[dict[str, object]]:
    """Every world, linked once, then counted by each method: one row per world and method."""
    settings = list(SETTINGS) if args.settings == "all" else args.settings.split(",")
    methods = args.methods.split(",")
    rows: list[dict[str, object]] = []
    for name in settings:
        for level in args.levels.split(","):
            for seed in (int(s) for s in args.seeds.split(",")):
                started = time.perf_counter()
                records, seen = world(args.children, seed, SETTINGS[name], level)
                table = true_table(seen)
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / "records.parquet"
                    records.to_parquet(path)
                    linked = link_records(path)
                    linking = time.perf_counter() - started
                    for method in methods:
                        counting = time.perf_counter()
                        c = count_linked(
                            path,
                            linked,
                            method=method,
                            draws=args.draws,
                            seed=seed,
                            population="all",
                        )
                        try:
                            on_truth: Estimate | None = estimator(_named(method), seed, 0.95)(table)
                        except (ValueError, ArithmeticError):
                            on_truth = None
                        row = {
                            "setting": name,
                            "level": level,
                            "seed": seed,
                            "method": method,
                            "true": args.children,
                            "seen": int(seen.any(axis=1).sum()),
                            "records": len(records),
                            "found": int(linked.clusters["cluster_id"].nunique()),
                            "truth": figure(on_truth),
                            "pooled": figure(c.estimate),
                            "warnings": len(c.warnings),
                            # the world's making and linking, then this method's count
                            "seconds": round(linking + time.perf_counter() - counting, 1),
                        }
                        print(json.dumps(row), flush=True)
                        rows.append(row)
    return rows


def summary(rows: list[dict[str, object]]) -> str:
    """Per setting, typing level, method and histories: median error, within 20%, covering,
    width."""
    lines = [
        "| setting | typing | method | histories | median error (range) | within 20% "
        "| 95% intervals covering | median width | children seen, found |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for group in dict.fromkeys((r["setting"], r["level"], r["method"]) for r in rows):
        mine = [r for r in rows if (r["setting"], r["level"], r["method"]) == group]
        setting, level, method = group
        seen = np.median([float(r["seen"]) for r in mine])  # type: ignore[arg-type]
        found = np.median([float(r["found"]) for r in mine])  # type: ignore[arg-type]
        for kind in ("truth", "pooled"):
            m = measures(mine, kind)
            if m is None:
                continue
            lines.append(
                f"| {setting} | {level} | {method} | {kind} | {m.error_range()} | "
                f"{m.within(0.2)} of {m.worlds} | {m.covering} of {m.worlds} | "
                f"{m.median_width:.0%} | {seen:,.0f}, {found:,.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default=",".join(str(s) for s in range(1, 11)))
    ap.add_argument("--children", type=int, default=2000)
    ap.add_argument("--settings", default="all", help="comma-separated, or all")
    ap.add_argument("--levels", default="heavy,light")
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument(
        "--methods",
        default=RECOMMENDED,
        help=f"comma-separated, e.g. dga,lcmcr (default {RECOMMENDED}: "
        f"{recommended_method(len(AGENCIES))} on {len(AGENCIES)} lists)",
    )
    ap.add_argument("--quick", action="store_true", help="2 seeds, both, heavy")
    args = ap.parse_args()
    if args.quick:
        args.seeds, args.settings, args.levels = "1,2", "both", "heavy"
    started = time.perf_counter()
    rows = run(args)
    print()
    worlds = len({(r["setting"], r["level"], r["seed"]) for r in rows})
    methods = [f"{m} ({_named(m)})" if m == RECOMMENDED else m for m in args.methods.split(",")]
    print(
        f"{worlds} worlds of {args.children:,} children, {len(AGENCIES)} agencies, "
        f"{args.draws} linkage draws, methods {', '.join(methods)}; "
        "truth = every child the generator made"
    )
    print(summary(rows))
    print(f"\nrun time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
