"""Search before create and tracing at national scale: ours beside brute force, same run.

    python benchmarks/bench_linkage_search.py [--quick] [--records N]

A synthetic country (lantern.simulation, mekong, 10 agencies) of N agency records (1,000,000 by
default; 100,000 with --quick) is indexed once. Then:

- search before create: latency of one search (p50, p95) for queries drawn from the records,
  beside BASELINE brute force, the same model scoring every indexed record for one query (no
  blocking), timed on a few queries;
- tracing: 1,000 requests matched in one vectorised pass, beside BASELINE the same requests
  one at a time through the single-search path (timed on 100, extrapolated).

Targets (issue "Linking records"): search p95 < 200 ms at 1M; 1,000 requests x 1M < 2 s.
Index build time is printed separately: it happens once per process, not per search.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lantern.linkage.prepare import prepare_records  # noqa: E402
from lantern.linkage.search import SearchIndex  # noqa: E402
from lantern.linkage.tracing import match_tracing  # noqa: E402
from lantern.simulation import SimulationConfig, write  # noqa: E402

CHILDREN_PER_RECORD = 0.692  # mekong, 10 agencies, realistic capture (bench_simulation)


def _records(n: int, folder: Path) -> pd.DataFrame:
    children = max(int(n * CHILDREN_PER_RECORD), 1000)
    write(SimulationConfig(seed=11, children=children, agencies=10, scenario="mekong"), folder)
    return pd.read_parquet(folder / "records.parquet")


def _brute_force(index: SearchIndex, record: dict[str, object]) -> float:
    """Score every indexed record for one query with the same model: no inverted index."""
    started = time.perf_counter()
    encoded = index._encode_one(record)
    rows = np.arange(index.size, dtype=np.int64)
    weights = index._match_weight(encoded, np.zeros(index.size, dtype=np.int64), rows)
    np.argsort(-weights)[:10]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 records")
    parser.add_argument("--records", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the store here")
    args = parser.parse_args()
    target = args.records or (100_000 if args.quick else 1_000_000)
    rng = np.random.default_rng(3)

    started = time.perf_counter()
    if args.keep is not None and (args.keep / "records.parquet").is_file():
        records = pd.read_parquet(args.keep / "records.parquet")
    elif args.keep is not None:
        records = _records(target, args.keep)
    else:
        with tempfile.TemporaryDirectory() as folder:
            records = _records(target, Path(folder))
    simulated = time.perf_counter() - started
    print(f"store: {len(records):,} synthetic agency records (made in {simulated:.0f} s)")

    started = time.perf_counter()
    prepared = prepare_records(records, with_blocking=False)
    prepare_s = time.perf_counter() - started
    started = time.perf_counter()
    index = SearchIndex(prepared)
    build_s = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"index: prepare {prepare_s:.1f} s + build {build_s:.1f} s, once per process "
        f"(peak RSS {rss:,.0f} MiB)"
    )

    queries = records.iloc[rng.choice(len(records), size=60 if args.quick else 200)].to_dict(
        "records"
    )
    index.candidates(queries[0])  # warm up
    latencies, found, full, full_found = [], 0, 0, 0
    for query in queries:
        started = time.perf_counter()
        candidates = index.candidates(query, limit=10)
        latencies.append(time.perf_counter() - started)
        uid = f"{query['agency']}|{query['source_record_id']}"
        hit = any(c.unique_id == uid for c in candidates)
        found += hit
        named = all(query.get(c) for c in ("prs_FirstName", "prs_SecondName", "prs_Birthdate"))
        if named and query.get("ext_BirthdateEstimated") != "yes":
            full, full_found = full + 1, full_found + hit
    ours = np.asarray(latencies) * 1000
    brute = np.asarray([_brute_force(index, q) for q in queries[:3]]) * 1000
    p50, p95 = np.percentile(ours, 50), np.percentile(ours, 95)
    print(
        f"search before create ({len(queries)} queries, {index.size:,} records): ours p50 "
        f"{p50:.1f} ms, p95 {p95:.1f} ms | baseline brute force p50 {np.median(brute):.0f} ms "
        f"| ratio {np.median(brute) / p50:.0f}x (p50); target p95 < 200 ms: "
        f"{'met' if p95 < 200 else 'MISSED'}"
    )
    print(
        f"  the query's own record among its candidates (p >= 0.05): {found}/{len(queries)}; "
        f"{full_found}/{full} of queries with both names and an exact birth date. Others carry too "
        "little to single one record out (e.g. one common name and a birth year): no candidate "
        "is shown rather than a guess"
    )

    requests = records.iloc[rng.choice(len(records), size=1000, replace=False)].copy()
    requests = requests.rename(columns={"source_record_id": "request_id"})
    requests["request_id"] = [f"T{i}" for i in range(len(requests))]
    started = time.perf_counter()
    matched = match_tracing(requests, index)
    tracing_s = time.perf_counter() - started
    sample = requests.head(100).to_dict("records")
    started = time.perf_counter()
    for request in sample:
        index.candidates(request, limit=5, eligible=index.tracing_consent)
    one_by_one = (time.perf_counter() - started) * len(requests) / len(sample)
    print(
        f"tracing (1,000 requests x {index.size:,} records, {int(index.tracing_consent.sum()):,} "
        f"consenting): ours {tracing_s:.2f} s | baseline one at a time {one_by_one:.1f} s "
        f"(100 timed, extrapolated) | ratio {one_by_one / tracing_s:.1f}x; "
        f"{matched['request_id'].nunique()} requests with a candidate; target < 2 s: "
        f"{'met' if tracing_s < 2 else 'MISSED'}"
    )
    print(
        "provenance: one run on a shared 2-core machine; synthetic records only; latencies "
        "are wall time of the pure index (no database, no web request)"
    )


if __name__ == "__main__":
    main()
