"""Clusterings drawn from the pair probabilities: linkage uncertainty, as many worlds.

One clustering (links at p >= 0.9) treats every uncertain pair as two children, and every
missed link splits a child in two "children seen once each". Instead, each draw links every
scored pair with its own match probability (a pair at 0.6 links in six draws of ten), then
clusters those links under the same cohesion guard as the run (a chain of links whose ends
share no evidence stays apart), with reviewers' decisions forced. Estimating on every draw and
pooling the draws carries the linkage's uncertainty into the count
(:func:`lantern.estimation.pooled.pool`).

Pure NumPy: integer pairs in, one row of cluster labels per draw out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from lantern.recordlinkage.clusters import cluster_labels

IntArray = npt.NDArray[np.int64]


def sample_clusterings(
    size: int,
    left: npt.ArrayLike,
    right: npt.ArrayLike,
    probability: npt.ArrayLike,
    draws: int,
    rng: np.random.Generator,
    cohesion: float,
    same: npt.ArrayLike | None = None,
    different: npt.ArrayLike | None = None,
) -> IntArray:
    """``draws`` clusterings of records ``0..size-1``, shape (draws, size), dense labels.

    ``left``/``right``/``probability`` are the scored pairs; ``same`` and ``different`` are
    ``(k, 2)`` arrays of pairs a person decided (always linked, never linked).
    """
    if draws < 1:
        raise ValueError(f"draws must be 1 or more, got {draws}")
    # the pairs in one order whatever order the scoring returned them in (DuckDB's joins
    # and aggregates do not keep one): each pair meets the same random number under a seed,
    # so that the same run and seed give the same count
    lo = np.asarray(left, dtype=np.int64)
    hi = np.asarray(right, dtype=np.int64)
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    p = np.clip(np.asarray(probability, dtype=float), 0.0, 1.0)[order]
    forced = None if same is None else np.asarray(same, dtype=np.int64).reshape(-1, 2)
    apart = None if different is None else np.asarray(different, dtype=np.int64).reshape(-1, 2)
    out = np.empty((draws, size), dtype=np.int64)
    for d in range(draws):
        linked = rng.random(p.size) < p
        labels = cluster_labels(
            size, lo[linked], hi[linked], p[linked], 0.0, forced, apart, cohesion
        )
        out[d] = np.unique(labels, return_inverse=True)[1]
    return out


def history_masks(labels: IntArray, agency_index: IntArray) -> IntArray:
    """Each cluster's capture history as a bitmask over agencies (bit i = agency i)."""
    masks = np.zeros(int(labels.max()) + 1 if len(labels) else 0, dtype=np.int64)
    np.bitwise_or.at(masks, labels, np.left_shift(1, agency_index.astype(np.int64)))
    return masks


def history_counts(masks: IntArray, lists: int) -> IntArray:
    """Counts of the 2^K - 1 observable histories (cell c - 1 holds bitmask c)."""
    return np.bincount(masks, minlength=2**lists)[1:].astype(np.int64)


def pair_rows(
    pairs: pd.DataFrame, unique_ids: Sequence[str]
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64], IntArray, IntArray]:
    """A run's pairs frame as record rows: (left, right, probability, same, different).

    Pairs a person decided are taken out of the draw and returned as ``same``/``different``.
    """
    index = pd.Index(unique_ids)
    left = index.get_indexer(pairs["unique_id_l"])
    right = index.get_indexer(pairs["unique_id_r"])
    if (left < 0).any() or (right < 0).any():
        raise ValueError("pairs name records that are not in the input")
    decision = (
        pairs["decision"].to_numpy(dtype=object)
        if "decision" in pairs.columns
        else np.full(len(pairs), None, dtype=object)
    )
    same = decision == "same"
    different = decision == "different"
    free = ~(same | different)
    rows = np.stack([left, right], axis=1).astype(np.int64)
    return (
        rows[free, 0],
        rows[free, 1],
        pairs["match_probability"].to_numpy(dtype=float)[free],
        rows[same],
        rows[different],
    )
