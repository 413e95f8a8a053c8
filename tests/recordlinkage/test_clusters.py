"""Clustering with reviewers' decisions, capture histories, and the accuracy measures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lantern.recordlinkage.clusters import (
    Decision,
    _greedy_labels,
    capture_histories,
    cluster_labels,
    cluster_records,
)
from lantern.recordlinkage.metrics import cluster_accuracy, pairwise_accuracy


def _pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


IDS = ["a|1", "b|1", "c|1", "d|1"]


def test_links_at_threshold_and_transitively() -> None:
    pairs = _pairs(("a|1", "b|1", 0.95), ("b|1", "c|1", 0.91), ("c|1", "d|1", 0.5))
    clusters = cluster_records(IDS, pairs, threshold=0.9)
    assert clusters["a|1"] == clusters["b|1"] == clusters["c|1"] == "a|1"
    assert clusters["d|1"] == "d|1"


def test_a_confirmed_link_is_forced() -> None:
    pairs = _pairs(("c|1", "d|1", 0.5))
    clusters = cluster_records(IDS, pairs, 0.9, [Decision("c|1", "d|1", "same")])
    assert clusters["c|1"] == clusters["d|1"]


def test_a_confirmed_split_holds_even_through_a_third_record() -> None:
    # a-b strong, b-c weaker; a person says a and c are different children
    pairs = _pairs(("a|1", "b|1", 0.99), ("b|1", "c|1", 0.92), ("a|1", "c|1", 0.95))
    clusters = cluster_records(IDS, pairs, 0.9, [Decision("a|1", "c|1", "different")])
    assert clusters["a|1"] != clusters["c|1"]
    assert clusters["a|1"] == clusters["b|1"]  # the strongest link is kept


def test_decision_on_unknown_record_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the input"):
        cluster_records(IDS, _pairs(), 0.9, [Decision("a|1", "zz|9", "same")])


def test_capture_histories_have_sorted_agency_columns_then_count() -> None:
    clusters = pd.DataFrame(
        {
            "agency": ["ngo", "police", "police", "hotline", "ngo"],
            "cluster_id": ["k1", "k1", "k2", "k3", "k3"],
        }
    )
    histories = capture_histories(clusters)
    assert list(histories.columns) == ["hotline", "ngo", "police", "count"]
    as_rows = {tuple(row[:-1]): row[-1] for row in histories.itertuples(index=False)}
    assert as_rows == {(0, 1, 1): 1, (0, 0, 1): 1, (1, 1, 0): 1}
    assert histories["count"].sum() == 3  # one per child


def test_cluster_accuracy_counts_pairs_within_clusters() -> None:
    truth = pd.Series({"r1": "p", "r2": "p", "r3": "p", "r4": "q"})
    # r3 split off: of the 3 true pairs only r1-r2 is predicted
    clusters = pd.Series({"r1": "k", "r2": "k", "r3": "m", "r4": "n"})
    accuracy = cluster_accuracy(clusters, truth)
    assert (accuracy.true_positive_pairs, accuracy.predicted_pairs, accuracy.true_pairs) == (
        1,
        1,
        3,
    )
    assert accuracy.precision == 1.0
    assert accuracy.recall == pytest.approx(1 / 3)
    assert accuracy.f1 == pytest.approx(0.5)


def test_pairwise_accuracy_counts_each_link_once() -> None:
    truth = pd.Series({"r1": "p", "r2": "p", "r3": "q"})
    pairs = _pairs(("r1", "r2", 0.99), ("r2", "r1", 0.99), ("r1", "r3", 0.95), ("r2", "r3", 0.1))
    accuracy = pairwise_accuracy(pairs, truth, threshold=0.9)
    assert accuracy.predicted_pairs == 2
    assert accuracy.true_positive_pairs == 1
    assert accuracy.recall == 1.0
    assert accuracy.precision == 0.5


def test_cohesion_stops_a_chain_whose_ends_share_no_evidence() -> None:
    # a-b, b-c, c-d strong, but a/b hold no evidence with c/d: two children, not one
    pairs = _pairs(("a|1", "b|1", 0.97), ("b|1", "c|1", 0.95), ("c|1", "d|1", 0.96))
    chained = cluster_records(IDS, pairs, 0.9)
    assert chained.nunique() == 1  # plain transitive closure merges all four
    guarded = cluster_records(IDS, pairs, 0.9, cohesion=0.5)
    assert guarded["a|1"] == guarded["b|1"] != guarded["c|1"] == guarded["d|1"]


def test_cohesion_keeps_a_group_whose_records_all_agree() -> None:
    pairs = _pairs(
        ("a|1", "b|1", 0.97), ("b|1", "c|1", 0.95), ("a|1", "c|1", 0.6), ("c|1", "d|1", 0.2)
    )
    clusters = cluster_records(IDS, pairs, 0.9, cohesion=0.5)
    assert clusters["a|1"] == clusters["b|1"] == clusters["c|1"] != clusters["d|1"]


def test_greedy_only_inside_big_components_gives_the_same_clusters() -> None:
    # the scalable path (components first, guarded merge only where 3+ records meet) must
    # equal the guarded merge run over every record
    rng = np.random.default_rng(3)
    size = 400
    left, right = rng.integers(0, size, 900), rng.integers(0, size, 900)
    keep = left != right
    left, right = left[keep], right[keep]
    probability = rng.uniform(0.3, 1.0, len(left))
    different = np.array([[left[0], right[0]], [left[5], right[5]]])
    same = np.array([[left[9], right[9]]])
    fast = cluster_labels(size, left, right, probability, 0.9, same, different, cohesion=0.3)
    low, high = np.minimum(left, right), np.maximum(left, right)
    apart = set(map(tuple, np.sort(different, axis=1).tolist()))
    kept = np.array([(a, b) not in apart for a, b in zip(low, high, strict=True)])
    everything = _greedy_labels(
        size, low[kept], high[kept], np.round(probability[kept], 9), 0.9, 0.3, same, different
    )
    assert len(np.unique(fast)) < size  # something linked
    assert _partition(fast) == _partition(everything)


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for node, label in enumerate(labels.tolist()):
        groups.setdefault(label, set()).add(node)
    return {frozenset(group) for group in groups.values()}
