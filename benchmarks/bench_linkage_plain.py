"""Lantern's linkage beside a plain splink model on outside record sets (issue #13, item 6).

    python benchmarks/bench_linkage_plain.py [--quick] [--children N] [--seeds S ...]

The records (:mod:`benchmarks.outside_records`) hold only given and family name, sex, birth
date (often a guessed 1 January) and district, at two corruption levels, with districts named
or numbered. The plain model is what a careful
splink user writes for such records: names with term-frequency adjustment, date of birth, sex
and district; five blocking rules; u by random sampling and m by EM; links at match
probability 0.5 and clusters by splink's connected components. Ours is
:func:`lantern.recordlinkage.link_records` with its defaults, as ``lantern link`` runs it.
Both score cluster F1 (pairs within clusters against the truth), with precision and recall,
on the same records of each seed, and ours beside plain in the same run.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks.outside_records import outside_records  # noqa: E402

from lantern.recordlinkage.metrics import Accuracy, cluster_accuracy  # noqa: E402
from lantern.recordlinkage.pipeline import link_records  # noqa: E402

#: The plain model's link threshold (match probability).
PLAIN_THRESHOLD = 0.5
#: Sex as the plain model's user writes it, after a look at the agencies' spellings.
PLAIN_SEX = {
    **dict.fromkeys(("f", "female", "feminine", "girl"), "f"),
    **dict.fromkeys(("m", "male", "masculine", "boy"), "m"),
}


def _ids(records: pd.DataFrame) -> pd.Series:
    return records["agency"] + "|" + records["source_record_id"]


def ours(records: pd.DataFrame) -> pd.Series:
    """Lantern's clusters, as ``lantern link`` makes them."""
    clusters = link_records(records).clusters
    return pd.Series(clusters["cluster_id"].to_numpy(), index=_ids(clusters).to_numpy())


def plain_splink(records: pd.DataFrame, seed: int = 1) -> pd.Series:
    """The plain model: names (with term frequencies), date of birth, sex, district; five
    blocking rules; EM; connected components at probability 0.5."""
    return plain_splink_at(records, seed, (PLAIN_THRESHOLD,))[PLAIN_THRESHOLD]


def plain_splink_at(
    records: pd.DataFrame, seed: int, thresholds: Sequence[float]
) -> dict[float, pd.Series]:
    """The plain model's clusters at each threshold (one training, one prediction)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def clean(column: str) -> pd.Series:
        values = records[column].astype("string").str.strip().str.lower()
        return values.where(values.notna() & (values != ""), None).astype(object)

    frame = pd.DataFrame(
        {
            "unique_id": _ids(records),
            "first_name": clean("prs_FirstName"),
            "surname": clean("prs_SecondName"),
            "dob": clean("prs_Birthdate"),
            "sex": [PLAIN_SEX.get(value) for value in clean("prs_Gender")],
            "district": clean("prs_MailingCity"),
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("district").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("dob", "district"),
            block_on("substr(first_name, 1, 3)", "substr(surname, 1, 3)"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
    found = {}
    for threshold in thresholds:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        ).as_pandas_dataframe()
        found[threshold] = pd.Series(
            clusters["cluster_id"].to_numpy(), index=clusters["unique_id"].to_numpy()
        )
    return found


#: The record sets measured: (label, corruption level, districts written as numbers).
SETS: tuple[tuple[str, str, bool], ...] = (
    ("heavy", "heavy", False),
    ("light", "light", False),
    ("heavy, numbered districts", "heavy", True),
    ("light, numbered districts", "light", True),
)


#: Thresholds the plain model is also scored at, to report its best in hindsight.
HINDSIGHT = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True)
class Measured:
    """One record set: ours, plain at 0.5, and plain at its best threshold in hindsight."""

    ours: Accuracy
    plain: Accuracy
    best: Accuracy
    best_threshold: float
    ours_seconds: float
    plain_seconds: float


def measure(level: str, children: int, seed: int, numbered: bool = False) -> Measured:
    """Ours and the plain model on one outside record set."""
    records, truth = outside_records(children, seed=seed, level=level, numbered=numbered)
    started = time.perf_counter()
    mine = cluster_accuracy(ours(records), truth)
    middle = time.perf_counter()
    plain = {
        threshold: cluster_accuracy(clusters, truth)
        for threshold, clusters in plain_splink_at(records, seed, HINDSIGHT).items()
    }
    best = max(plain, key=lambda threshold: plain[threshold].f1)
    return Measured(
        mine,
        plain[PLAIN_THRESHOLD],
        plain[best],
        best,
        middle - started,
        time.perf_counter() - middle,
    )


def _line(name: str, accuracy: Accuracy) -> str:
    return f"{name} F1 {accuracy.f1:.3f} (P {accuracy.precision:.3f} R {accuracy.recall:.3f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer children and seeds")
    parser.add_argument("--children", type=int, default=None)
    parser.add_argument("--seeds", type=int, nargs="*", default=None)
    args = parser.parse_args()
    children = args.children or (800 if args.quick else 2000)
    seeds = args.seeds or ([1, 2] if args.quick else [1, 2, 3])
    print(
        f"outside record sets (names, sex, birth date, district only), {children:,} children "
        f"per set, seeds {seeds}: cluster F1 of ours beside a plain splink model, same records"
    )
    worse = 0
    for label, level, numbered in SETS:
        runs = []
        for seed in seeds:
            run = measure(level, children, seed, numbered)
            runs.append(run)
            print(
                f"  {label}, seed {seed}: {_line('ours', run.ours)} {run.ours_seconds:.1f} s | "
                f"{_line('plain splink', run.plain)} {run.plain_seconds:.1f} s | plain at its "
                f"best threshold in hindsight ({run.best_threshold}) F1 {run.best.f1:.3f}",
                flush=True,
            )
        worse += sum(run.ours.f1 < run.plain.f1 for run in runs)
        mine, plain, best = (
            sum(getattr(run, name).f1 for run in runs) / len(runs)
            for name in ("ours", "plain", "best")
        )
        print(
            f"  {label}, mean of {len(runs)}: ours F1 {mine:.3f} | plain splink F1 {plain:.3f} "
            f"(ours - plain {mine - plain:+.3f}) | plain at its best threshold {best:.3f}",
            flush=True,
        )
    print(f"  sets where ours scored below plain splink: {worse} of {len(SETS) * len(seeds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
