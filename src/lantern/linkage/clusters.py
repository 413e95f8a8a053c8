"""From scored pairs to clusters (one cluster = one child), respecting reviewers' decisions.

A reviewer who confirms two records are the same child forces a link; one who says they are
different children forces a split, even when other links would join them through a third
record. Components with no split inside are plain connected components; a component that
holds a confirmed-different pair is re-clustered greedily, strongest link first, never
merging two groups that a decision keeps apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

DecisionValue = Literal["same", "different"]


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's decision on a pair of records (``unique_id`` is ``agency|source_record_id``)."""

    left: str
    right: str
    decision: DecisionValue


class _ConstrainedUnion:
    """Union-find that refuses merges joining two records a decision keeps apart."""

    def __init__(self, size: int, apart: Iterable[tuple[int, int]]) -> None:
        self.parent = list(range(size))
        self.apart: dict[int, set[int]] = {}
        for a, b in apart:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, node: int) -> int:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: int, b: int) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        kept_apart = self.apart.get(root_a, set())
        if any(self.find(other) == root_b for other in kept_apart):
            return False
        self.parent[root_b] = root_a
        merged = kept_apart | self.apart.pop(root_b, set())
        if merged:
            self.apart[root_a] = merged
        return True


def cluster_records(
    unique_ids: Sequence[str],
    pairs: pd.DataFrame,
    threshold: float,
    decisions: Sequence[Decision] = (),
) -> pd.Series:
    """Cluster id of each record (indexed by ``unique_id``).

    ``pairs`` has ``unique_id_l``, ``unique_id_r`` and ``match_probability``. Pairs at or
    above ``threshold`` link; decisions override the model. A cluster's id is its smallest
    ``unique_id``, so the same input gives the same ids on every backend and every run.
    """
    ids = pd.Index(pd.unique(np.asarray(unique_ids, dtype=object)))
    position = pd.Series(np.arange(len(ids)), index=ids)
    linked = pairs.loc[
        pairs["match_probability"] >= threshold,
        ["unique_id_l", "unique_id_r", "match_probability"],
    ]
    same = [d for d in decisions if d.decision == "same"]
    different = {frozenset((d.left, d.right)) for d in decisions if d.decision == "different"}
    unknown = {uid for d in decisions for uid in (d.left, d.right)} - set(ids)
    if unknown:
        raise ValueError(f"decision names {len(unknown)} record(s) not in the input")
    if same:
        forced = pd.DataFrame(
            {
                "unique_id_l": [d.left for d in same],
                "unique_id_r": [d.right for d in same],
                "match_probability": 1.0,
            }
        )
        linked = pd.concat([forced, linked], ignore_index=True)
    if different:
        keys = [
            frozenset(p) for p in zip(linked["unique_id_l"], linked["unique_id_r"], strict=True)
        ]
        linked = linked[[key not in different for key in keys]]
    left = position.reindex(linked["unique_id_l"]).to_numpy()
    right = position.reindex(linked["unique_id_r"]).to_numpy()
    if np.isnan(left.astype(float)).any() or np.isnan(right.astype(float)).any():
        raise ValueError("pairs name records that are not in the input")
    size = len(ids)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)

    if different:
        apart = [(int(position[a]), int(position[b])) for a, b in map(tuple, different)]
        labels = _split_components(labels, left, right, linked, apart)

    frame = pd.DataFrame({"unique_id": ids, "label": labels})
    cluster_id = frame.groupby("label")["unique_id"].transform("min")
    return pd.Series(cluster_id.to_numpy(), index=ids, name="cluster_id")


def _split_components(
    labels: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    linked: pd.DataFrame,
    apart: list[tuple[int, int]],
) -> np.ndarray:
    """Re-cluster only the components that hold a pair a decision keeps apart."""
    conflicted = {int(labels[a]) for a, b in apart if labels[a] == labels[b]}
    if not conflicted:
        return labels
    labels = labels.copy()
    in_conflict = np.isin(labels[left], list(conflicted))
    order = np.argsort(-linked["match_probability"].to_numpy()[in_conflict], kind="stable")
    edges_l, edges_r = left[in_conflict][order], right[in_conflict][order]
    union = _ConstrainedUnion(len(labels), apart)
    for a, b in zip(edges_l.tolist(), edges_r.tolist(), strict=True):
        union.union(a, b)
    next_label = int(labels.max()) + 1
    members = np.flatnonzero(np.isin(labels, list(conflicted)))
    roots = {union.find(int(m)) for m in members}
    relabel = {root: next_label + i for i, root in enumerate(sorted(roots))}
    for member in members.tolist():
        labels[member] = relabel[union.find(member)]
    return labels


def capture_histories(clusters: pd.DataFrame) -> pd.DataFrame:
    """Capture histories for multiple systems estimation: one 0/1 column per agency + ``count``.

    ``clusters`` has ``agency`` and ``cluster_id``. A child is on an agency's list when any
    of that agency's records is in the child's cluster. Agency columns are sorted; only
    observed histories appear (the all-zero history is what estimation infers).
    """
    agencies = sorted(clusters["agency"].unique())
    onehot = (
        pd.crosstab(clusters["cluster_id"], clusters["agency"]).reindex(columns=agencies) > 0
    ).astype(int)
    histories = onehot.groupby(agencies).size().rename("count").reset_index()
    return histories.sort_values(agencies, ascending=False, ignore_index=True)
