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
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

DecisionValue = Literal["same", "different"]


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's decision on a pair of records (``unique_id`` is ``agency|source_record_id``)."""

    left: str
    right: str
    decision: DecisionValue


class _Groups:
    """Union-find over records that refuses merges a decision forbids or the evidence does not
    carry: two groups join only when the mean probability over *all* their cross pairs (a
    pair never scored counts as 0) reaches ``cohesion``. A chain a-b, b-c, c-d of strong links
    whose ends share no evidence therefore stays apart, as one child's records do not.
    """

    def __init__(
        self,
        size: int,
        apart: Iterable[tuple[int, int]],
        scores: dict[tuple[int, int], float],
        cohesion: float,
    ) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {}
        self.apart: dict[int, set[int]] = {}
        self.scores = scores
        self.cohesion = cohesion
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

    def _cohesive(self, root_a: int, root_b: int) -> bool:
        group_a = self.members.get(root_a, [root_a])
        group_b = self.members.get(root_b, [root_b])
        if len(group_a) == len(group_b) == 1:
            return True  # the edge itself is above the threshold
        total = sum(
            self.scores.get((a, b) if a < b else (b, a), 0.0) for a in group_a for b in group_b
        )
        return total >= self.cohesion * len(group_a) * len(group_b)

    def union(self, a: int, b: int, forced: bool = False) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        kept_apart = self.apart.get(root_a, set())
        if any(self.find(other) == root_b for other in kept_apart):
            return False
        if not forced and self.cohesion > 0 and not self._cohesive(root_a, root_b):
            return False
        self.parent[root_b] = root_a
        self.members[root_a] = self.members.pop(root_a, [root_a]) + self.members.pop(
            root_b, [root_b]
        )
        merged = kept_apart | self.apart.pop(root_b, set())
        if merged:
            self.apart[root_a] = merged
        return True


def _pair_codes(low: np.ndarray, high: np.ndarray, size: int) -> np.ndarray:
    return low.astype(np.int64) * size + high.astype(np.int64)


def cluster_labels(
    size: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    same: np.ndarray | None = None,
    different: np.ndarray | None = None,
    cohesion: float = 0.0,
) -> np.ndarray:
    """A cluster label per record ``0..size-1`` from integer pairs (the scalable core).

    ``same`` and ``different`` are ``(k, 2)`` arrays of reviewers' decisions. Connected
    components of the links (and confirmed pairs) come first, vectorised; the greedy,
    cohesion-guarded merge runs only inside components of three or more records or touched by
    a decision, since a lone link between two records needs no guard. That gives the same
    clusters as running the greedy merge over everything, at a fraction of the cost.
    """
    no_pairs = np.empty((0, 2), dtype=np.int64)
    same = no_pairs if same is None else np.asarray(same, dtype=np.int64).reshape(-1, 2)
    different = (
        no_pairs if different is None else np.asarray(different, dtype=np.int64).reshape(-1, 2)
    )
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    # rounded so that float noise of another backend never reorders equal evidence
    probability = np.round(np.asarray(probability, dtype=float), 9)
    low, high = np.minimum(left, right), np.maximum(left, right)
    if len(different):
        apart = _pair_codes(different.min(axis=1), different.max(axis=1), size)
        kept = ~np.isin(_pair_codes(low, high, size), apart)
        low, high, probability = low[kept], high[kept], probability[kept]
    linked = probability >= threshold
    rows = np.concatenate([low[linked], same[:, 0]])
    cols = np.concatenate([high[linked], same[:, 1]])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, components = connected_components(graph, directed=False)
    if cohesion <= 0 and not len(different):
        return components
    component_size = np.bincount(components, minlength=size)
    hard = component_size[components] >= 3
    touched = np.concatenate([same.ravel(), different.ravel()])
    hard[np.isin(components, components[touched])] = True
    nodes = np.flatnonzero(hard)
    if not len(nodes):
        return components
    local = np.full(size, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    inside = hard[low] & hard[high] & (components[low] == components[high])
    greedy = _greedy_labels(
        len(nodes),
        local[low[inside]],
        local[high[inside]],
        probability[inside],
        threshold,
        cohesion,
        local[same],
        local[different],
    )
    labels = components.copy()
    labels[nodes] = components.max() + 1 + greedy
    return labels


def first_id_of_clusters(unique_ids: pa.Array | pa.ChunkedArray, labels: np.ndarray) -> np.ndarray:
    """Each record's cluster id: the smallest ``unique_id`` in its cluster (stable ids)."""
    order = pc.sort_indices(unique_ids).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    _, dense = np.unique(labels, return_inverse=True)
    first = np.full(dense.max() + 1 if len(dense) else 0, len(order), dtype=np.int64)
    np.minimum.at(first, dense, rank)
    return pc.take(unique_ids, pa.array(order[first[dense]])).to_numpy(zero_copy_only=False)


def cluster_records(
    unique_ids: Sequence[str],
    pairs: pd.DataFrame,
    threshold: float,
    decisions: Sequence[Decision] = (),
    cohesion: float = 0.0,
) -> pd.Series:
    """Cluster id of each record (indexed by ``unique_id``).

    ``pairs`` has ``unique_id_l``, ``unique_id_r`` and ``match_probability``. Pairs at or
    above ``threshold`` link; decisions override the model. With ``cohesion`` 0 clusters are
    the connected components of the links (transitive closure). Above 0, links are taken
    strongest first and two groups join only if the mean probability of all their cross
    pairs reaches ``cohesion`` (see :class:`_Groups`): the guard against chained merges. A
    cluster's id is its smallest ``unique_id``, so the same input gives the same ids on every
    backend and every run.
    """
    ids = pd.Index(pd.unique(np.asarray(unique_ids, dtype=object)))
    decided = [uid for d in decisions for uid in (d.left, d.right)]
    if (ids.get_indexer(decided) < 0).any():
        unknown = {uid for uid in decided if uid not in ids}
        raise ValueError(f"decision names {len(unknown)} record(s) not in the input")
    left = ids.get_indexer(pairs["unique_id_l"])
    right = ids.get_indexer(pairs["unique_id_r"])
    if (left < 0).any() or (right < 0).any():
        raise ValueError("pairs name records that are not in the input")

    def positions(kind: DecisionValue) -> np.ndarray:
        chosen = [(d.left, d.right) for d in decisions if d.decision == kind]
        return ids.get_indexer([uid for pair in chosen for uid in pair]).reshape(-1, 2)

    labels = cluster_labels(
        len(ids),
        left,
        right,
        pairs["match_probability"].to_numpy(dtype=float),
        threshold,
        positions("same"),
        positions("different"),
        cohesion,
    )
    cluster_id = first_id_of_clusters(pa.array(ids.to_numpy(), pa.string()), labels)
    return pd.Series(cluster_id, index=ids, name="cluster_id")


def _greedy_labels(
    size: int,
    low: np.ndarray,
    high: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    cohesion: float,
    same: np.ndarray,
    different: np.ndarray,
) -> np.ndarray:
    """Labels from links taken strongest first, refusing merges that break a decision or
    lack cohesion; confirmed links are applied first and always."""
    scores: dict[tuple[int, int], float] = {}
    for a, b, p in zip(low.tolist(), high.tolist(), probability.tolist(), strict=True):
        scores[(a, b)] = max(p, scores.get((a, b), 0.0))
    forced = [(int(a), int(b)) for a, b in same.tolist()]
    for a, b in forced:
        scores[(min(a, b), max(a, b))] = 1.0
    apart = [(int(a), int(b)) for a, b in different.tolist()]
    groups = _Groups(size, apart, scores, cohesion)
    for a, b in forced:
        groups.union(a, b, forced=True)
    linked = probability >= threshold
    order = np.lexsort((high[linked], low[linked], -probability[linked]))
    for a, b in zip(low[linked][order].tolist(), high[linked][order].tolist(), strict=True):
        groups.union(a, b)
    return np.array([groups.find(node) for node in range(size)], dtype=np.int64)


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
