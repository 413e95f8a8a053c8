"""Accuracy of a linkage against known truth (synthetic data and FEBRL only).

Two measures, both over *pairs of records that belong to the same person*:

- **cluster F1** scores the clusters: a pair counts as predicted when both records are in
  the same cluster (so transitive links count), and as true when both records belong to
  the same person. Precision = true predicted pairs / predicted pairs; recall = true
  predicted pairs / true pairs; F1 their harmonic mean. Counted from the contingency table
  of (cluster, person), never by listing pairs, so it is exact and fast for millions.
- **pairwise** scores the scored links themselves (pairs at or above the threshold), before
  clustering: recall = true links / true pairs. Blocking bounds it from above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class Accuracy:
    """Precision, recall and F1 over record pairs, with the counts they come from."""

    precision: float
    recall: float
    f1: float
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int

    @classmethod
    def from_counts(cls, true_positive: int, predicted: int, true: int) -> Accuracy:
        precision = true_positive / predicted if predicted else 1.0
        recall = true_positive / true if true else 1.0
        total = precision + recall
        f1 = 2 * precision * recall / total if total else 0.0
        return cls(precision, recall, f1, true_positive, predicted, true)


def _pairs_within(sizes: np.ndarray) -> int:
    sizes = sizes.astype(np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def cluster_accuracy(clusters: pd.Series, truth: pd.Series) -> Accuracy:
    """Cluster F1: both arguments map each record id (the index) to a cluster / person id."""
    joined = pd.DataFrame({"cluster": clusters}).join(pd.DataFrame({"person": truth}), how="inner")
    if len(joined) != len(clusters) or len(joined) != len(truth):
        raise ValueError("clusters and truth must cover the same records")
    both = joined.groupby(["cluster", "person"], sort=False).size().to_numpy()
    predicted = joined.groupby("cluster", sort=False).size().to_numpy()
    true = joined.groupby("person", sort=False).size().to_numpy()
    return Accuracy.from_counts(_pairs_within(both), _pairs_within(predicted), _pairs_within(true))


def pairwise_accuracy(pairs: pd.DataFrame, truth: pd.Series, threshold: float = 0.0) -> Accuracy:
    """Accuracy of links (``unique_id_l``, ``unique_id_r``, ``match_probability``) as pairs."""
    links = pairs.loc[pairs["match_probability"] >= threshold, ["unique_id_l", "unique_id_r"]]
    low = np.minimum(links["unique_id_l"].to_numpy(), links["unique_id_r"].to_numpy())
    high = np.maximum(links["unique_id_l"].to_numpy(), links["unique_id_r"].to_numpy())
    unique = pd.DataFrame({"l": low, "r": high}).drop_duplicates()
    person_l = truth.reindex(unique["l"]).to_numpy()
    person_r = truth.reindex(unique["r"]).to_numpy()
    true_positive = int(np.sum(person_l == person_r))
    true = _pairs_within(truth.value_counts().to_numpy())
    return Accuracy.from_counts(true_positive, len(unique), true)
