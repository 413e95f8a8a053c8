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
    position = pd.Series(np.arange(len(ids)), index=ids)
    same = [d for d in decisions if d.decision == "same"]
    different = {frozenset((d.left, d.right)) for d in decisions if d.decision == "different"}
    unknown = {uid for d in decisions for uid in (d.left, d.right)} - set(ids)
    if unknown:
        raise ValueError(f"decision names {len(unknown)} record(s) not in the input")
    left = position.reindex(pairs["unique_id_l"]).to_numpy()
    right = position.reindex(pairs["unique_id_r"]).to_numpy()
    if np.isnan(left.astype(float)).any() or np.isnan(right.astype(float)).any():
        raise ValueError("pairs name records that are not in the input")
    left, right = left.astype(np.int64), right.astype(np.int64)
    # rounded so that float noise of another backend never reorders equal evidence
    probability = np.round(pairs["match_probability"].to_numpy(dtype=float), 9)
    if different:
        kept = np.array(
            [
                frozenset((ids[a], ids[b])) not in different
                for a, b in zip(left.tolist(), right.tolist(), strict=True)
            ],
            dtype=bool,
        )
        left, right, probability = left[kept], right[kept], probability[kept]
    size = len(ids)
    if cohesion <= 0 and not different:
        linked = probability >= threshold
        forced_l = position.reindex([d.left for d in same]).to_numpy(dtype=np.int64)
        forced_r = position.reindex([d.right for d in same]).to_numpy(dtype=np.int64)
        rows = np.concatenate([left[linked], forced_l])
        cols = np.concatenate([right[linked], forced_r])
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
        _, labels = connected_components(graph, directed=False)
    else:
        labels = _greedy_labels(
            size, left, right, probability, threshold, cohesion, position, same, different
        )
    frame = pd.DataFrame({"unique_id": ids, "label": labels})
    cluster_id = frame.groupby("label")["unique_id"].transform("min")
    return pd.Series(cluster_id.to_numpy(), index=ids, name="cluster_id")


def _greedy_labels(
    size: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    threshold: float,
    cohesion: float,
    position: pd.Series,
    same: Sequence[Decision],
    different: set[frozenset[str]],
) -> np.ndarray:
    """Labels from links taken strongest first, refusing merges that break a decision or
    lack cohesion; confirmed links are applied first and always."""
    low, high = np.minimum(left, right), np.maximum(left, right)
    scores: dict[tuple[int, int], float] = {}
    for a, b, p in zip(low.tolist(), high.tolist(), probability.tolist(), strict=True):
        scores[(a, b)] = max(p, scores.get((a, b), 0.0))
    forced = [(int(position[d.left]), int(position[d.right])) for d in same]
    for a, b in forced:
        scores[(min(a, b), max(a, b))] = 1.0
    apart = [(int(position[a]), int(position[b])) for a, b in map(tuple, different)]
    groups = _Groups(size, apart, scores, cohesion)
    for a, b in forced:
        groups.union(a, b, forced=True)
    linked = probability >= threshold
    order = np.lexsort((high[linked], low[linked], -probability[linked]))
    for a, b in zip(low[linked][order].tolist(), high[linked][order].tolist(), strict=True):
        groups.union(a, b)
    return np.array([groups.find(node) for node in range(size)])


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
