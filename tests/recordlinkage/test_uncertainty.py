"""Clusterings drawn from pair probabilities: certain pairs always, impossible ones never,
uncertain ones as often as their probability; decisions obeyed in every draw."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lantern.recordlinkage.uncertainty import (
    history_counts,
    history_masks,
    pair_rows,
    sample_clusterings,
)


def test_each_pair_links_as_often_as_its_probability() -> None:
    # records 0-1 certain, 2-3 impossible, 4-5 at 0.3
    labels = sample_clusterings(
        6, [0, 2, 4], [1, 3, 5], [1.0, 0.0, 0.3], 2000, np.random.default_rng(7), cohesion=0.5
    )
    assert labels.shape == (2000, 6)
    assert (labels[:, 0] == labels[:, 1]).all()
    assert (labels[:, 2] != labels[:, 3]).all()
    share = float(np.mean(labels[:, 4] == labels[:, 5]))
    assert 0.27 < share < 0.33


def test_the_same_seed_draws_the_same_clusterings_whatever_the_pairs_order() -> None:
    # DuckDB returns scored pairs in no fixed order: a rerun of `lantern count` must not move
    rng = np.random.default_rng(3)
    left = rng.integers(0, 200, 600)
    right = rng.integers(0, 200, 600)
    keep = left < right
    left, right = left[keep], right[keep]
    probability = rng.random(left.size)
    first = sample_clusterings(
        200, left, right, probability, 10, np.random.default_rng(5), cohesion=0.0
    )
    shuffled = rng.permutation(left.size)
    again = sample_clusterings(
        200,
        left[shuffled],
        right[shuffled],
        probability[shuffled],
        10,
        np.random.default_rng(5),
        cohesion=0.0,
    )
    assert (first == again).all()
    assert len({row.max() for row in first}) > 1  # the draws differ from one another


def test_decisions_hold_in_every_draw_and_a_weak_chain_stays_apart() -> None:
    # 0-1 and 1-2 certain but decided different 0-2: never all three together
    labels = sample_clusterings(
        4,
        [0, 1],
        [1, 2],
        [1.0, 1.0],
        50,
        np.random.default_rng(1),
        cohesion=0.5,
        same=np.array([[2, 3]]),
        different=np.array([[0, 2]]),
    )
    assert (labels[:, 0] != labels[:, 2]).all()
    assert (labels[:, 2] == labels[:, 3]).all()


def test_histories_of_a_clustering() -> None:
    labels = np.array([0, 0, 1, 2, 2])
    agencies = np.array([0, 1, 1, 0, 0])
    masks = history_masks(labels, agencies)
    assert masks.tolist() == [3, 2, 1]
    # cells: 1 (agency 0 only), 2 (agency 1 only), 3 (both)
    assert history_counts(masks, 2).tolist() == [1, 1, 1]


def test_pair_rows_take_decided_pairs_out_of_the_draw() -> None:
    pairs = pd.DataFrame(
        {
            "unique_id_l": ["a|1", "a|2", "a|1"],
            "unique_id_r": ["b|1", "b|2", "b|2"],
            "match_probability": [0.95, 0.4, 0.6],
            "decision": [None, "same", "different"],
        }
    )
    left, right, p, same, different = pair_rows(pairs, ["a|1", "a|2", "b|1", "b|2"])
    assert (left.tolist(), right.tolist(), p.tolist()) == ([0], [2], [0.95])
    assert same.tolist() == [[1, 3]]
    assert different.tolist() == [[0, 3]]
