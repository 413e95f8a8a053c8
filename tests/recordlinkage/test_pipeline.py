"""Batch linkage end to end: FEBRL accuracy, scripts, decisions kept by later runs."""

from __future__ import annotations

import pandas as pd
import pytest

from lantern.recordlinkage.clusters import Decision
from lantern.recordlinkage.decisions import review_queue
from lantern.recordlinkage.metrics import cluster_accuracy, pairwise_accuracy
from lantern.recordlinkage.model import log2_odds
from lantern.recordlinkage.pipeline import (
    MAX_MATCHES_PER_RECORD,
    LinkageOptions,
    LinkageResult,
    evidence_floor,
    link_records,
)
from tests.recordlinkage.febrl import febrl3, febrl4
from tests.recordlinkage.linkage_synthetic import generate


def _cluster_series(result: LinkageResult) -> pd.Series:
    clusters = result.clusters
    ids = clusters["agency"] + "|" + clusters["source_record_id"]
    return pd.Series(clusters["cluster_id"].to_numpy(), index=ids.to_numpy())


@pytest.mark.slow
def test_febrl3_deduplication_cluster_f1() -> None:
    records, truth = febrl3()
    accuracy = cluster_accuracy(_cluster_series(link_records(records)), truth)
    assert accuracy.f1 >= 0.999


@pytest.mark.slow
def test_febrl4_linkage_cluster_f1() -> None:
    records, truth = febrl4()
    result = link_records(records)
    assert cluster_accuracy(_cluster_series(result), truth).f1 >= 0.999
    # each FEBRL4 person is once in each file: histories are almost all (1, 1)
    histories = result.capture_histories()
    both = histories[(histories["A"] == 1) & (histories["B"] == 1)]["count"].sum()
    assert both >= 4990


@pytest.fixture(scope="module")
def scripts_run() -> tuple[LinkageResult, pd.Series, pd.DataFrame]:
    records, truth = generate(1500, seed=11, noise=0.5)
    return link_records(records), truth, records


def test_links_records_written_in_different_scripts(
    scripts_run: tuple[LinkageResult, pd.Series, pd.DataFrame],
) -> None:
    result, truth, records = scripts_run
    clusters = _cluster_series(result)
    script = pd.Series(
        records["ext_NameScript"].to_numpy(),
        index=(records["agency"] + "|" + records["source_record_id"]).to_numpy(),
    )
    pairs = result.pairs[result.pairs["match_probability"] >= result.options.threshold]
    cross = pairs[
        script.reindex(pairs["unique_id_l"]).to_numpy()
        != script.reindex(pairs["unique_id_r"]).to_numpy()
    ]
    true_cross = (
        truth.reindex(cross["unique_id_l"]).to_numpy()
        == truth.reindex(cross["unique_id_r"]).to_numpy()
    )
    assert len(cross) > 100  # native script linked to Latin
    assert true_cross.mean() > 0.9
    # far better than chance, on data harsher than FEBRL (swaps, nicknames, misstated ages)
    assert cluster_accuracy(clusters, truth).f1 > 0.7
    assert pairwise_accuracy(result.pairs, truth, 0.9).precision > 0.9


def test_pairs_carry_evidence_but_no_names(
    scripts_run: tuple[LinkageResult, pd.Series, pd.DataFrame],
) -> None:
    pairs = scripts_run[0].pairs
    assert {"agency_l", "source_record_id_l", "agency_r", "source_record_id_r"} <= set(pairs)
    assert {"match_probability", "match_weight", "mw_given_name", "mw_birth"} <= set(pairs)
    assert not [column for column in pairs.columns if "latin" in column or "written" in column]
    assert set(pairs["band"]) <= {"link", "review", "decided"}
    assert (pairs.loc[pairs["band"] == "review", "match_probability"] < 0.9).all()


def test_later_runs_respect_review_decisions(
    scripts_run: tuple[LinkageResult, pd.Series, pd.DataFrame],
) -> None:
    result, _, records = scripts_run
    queue = review_queue(result.pairs)
    assert len(queue) >= 2
    confirm, split = queue.iloc[0], queue.iloc[1]
    linked = result.pairs[result.pairs["band"] == "link"].iloc[0]
    decisions = [
        Decision(confirm["unique_id_l"], confirm["unique_id_r"], "same"),
        Decision(split["unique_id_l"], split["unique_id_r"], "different"),
        Decision(linked["unique_id_l"], linked["unique_id_r"], "different"),
    ]
    clusters = _cluster_series(link_records(records, decisions=decisions))
    assert clusters[confirm["unique_id_l"]] == clusters[confirm["unique_id_r"]]
    assert clusters[split["unique_id_l"]] != clusters[split["unique_id_r"]]
    assert clusters[linked["unique_id_l"]] != clusters[linked["unique_id_r"]]


def test_evidence_floor_rises_with_file_size_but_never_below_zero() -> None:
    # a pair below the floor cannot reach the review floor at the largest plausible lambda
    small, large = evidence_floor(2_000, 0.3), evidence_floor(1_000_000, 0.3)
    assert 0.0 <= small < large
    ceiling = MAX_MATCHES_PER_RECORD / (1_000_000 - 1)
    best = 1.0 / (1.0 + 2.0 ** -(large + log2_odds(ceiling)))
    assert best == pytest.approx(0.3)
    assert evidence_floor(10, 0.3) == 0.0 and evidence_floor(1_000_000, 0.0) == 0.0


def test_review_floor_zero_keeps_every_blocked_pair_and_decides_the_same(
    scripts_run: tuple[LinkageResult, pd.Series, pd.DataFrame],
) -> None:
    # for diagnosis (the benchmark's truth-trained ceiling): every blocked pair comes back,
    # scored with the same lambda, and the clusters are the ordinary run's
    result, _, records = scripts_run
    every = link_records(records, LinkageOptions(review_floor=0.0))
    assert len(every.pairs) > 2 * len(result.pairs)
    assert every.pairs["match_probability"].min() < 0.01  # hopeless pairs are kept too
    prior = "probability_two_random_records_match"
    assert every.model[prior] == pytest.approx(result.model[prior])
    assert (_cluster_series(every) == _cluster_series(result)).all()
