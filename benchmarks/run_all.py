"""`make bench`: every benchmark, each printing our figure beside its baseline from the same run.

python benchmarks/run_all.py [--quick] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# name, command (relative to the repo); postgres variants run inside a throwaway server
BENCHES: list[tuple[str, list[str]]] = [
    ("simulation", [sys.executable, "benchmarks/bench_simulation.py"]),
    ("import-sqlite", [sys.executable, "benchmarks/bench_import.py"]),
    ("import-postgres", ["scripts/with-postgres.sh", sys.executable, "benchmarks/bench_import.py"]),
    ("estimation", [sys.executable, "benchmarks/bench_estimation.py"]),
    # latent classes: time beside R's LCMCR on R's settings, coverage under heterogeneity
    ("lcmcr", [sys.executable, "benchmarks/bench_lcmcr.py"]),
    ("linkage", [sys.executable, "benchmarks/bench_linkage.py"]),
    # simulate -> link -> count on every scenario and capture setting, 10 seeds each (#13's
    # study): error, coverage and width of the recommended method; about an hour on 2 cores
    ("count-study", [sys.executable, "benchmarks/count_study.py"]),
    # the count on another generator's worlds (heterogeneous visibility, referrals, outside
    # records' typing errors): does it hold outside the simulation it was built on
    ("count-other-worlds", [sys.executable, "benchmarks/count_other_worlds.py"]),
    # Rcapture's heterogeneity models beside dga on true histories of heterogeneous worlds: the
    # range [dga low, Mth Gamma3.5 high] the count shows under varying visibility (about 70 s)
    ("heterogeneity", [sys.executable, "benchmarks/bench_heterogeneity.py"]),
    # outside record sets (names, sex, birth date, district): ours beside a plain splink model
    ("linkage-plain", [sys.executable, "benchmarks/bench_linkage_plain.py"]),
    # perpetrator links (pairwise F1) and networks (ARI) against the simulation's truth
    ("networks", [sys.executable, "benchmarks/bench_networks.py"]),
    # its own PostgreSQL server; the mart's organised corridors beside the path as it was,
    # 100,000 cases (the network part of a mart build; target well under 10 s at 1M)
    ("networks-mart", [sys.executable, "benchmarks/bench_networks_mart.py"]),
    # starts its own PostgreSQL server; 1,000,000 cases (--quick: 20,000), 15-20 min on 2 cores
    ("load-postgres", [sys.executable, "benchmarks/bench_load.py"]),
    # its own PostgreSQL server; mart build and table p95 beside ORM aggregation, 1,000,000 cases
    ("statistics", [sys.executable, "benchmarks/bench_statistics.py"]),
    # schemathesis and the hostile probes over the whole API: server errors found (target 0)
    ("fuzz-sqlite", [sys.executable, "benchmarks/bench_fuzz.py"]),
    ("fuzz-postgres", ["scripts/with-postgres.sh", sys.executable, "benchmarks/bench_fuzz.py"]),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    failed = []
    for name, cmd in BENCHES:
        if args.only and name not in args.only:
            continue
        script = next(c for c in cmd if c.endswith(".py"))
        if not (ROOT / script).exists():
            print(f"== {name}: {script} missing", flush=True)
            failed.append(name)
            continue
        print(f"== {name}", flush=True)
        t = time.perf_counter()
        rc = subprocess.call(cmd + (["--quick"] if args.quick else []), cwd=ROOT)
        print(f"   ({name} took {time.perf_counter() - t:.0f} s, exit {rc})", flush=True)
        if rc:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
