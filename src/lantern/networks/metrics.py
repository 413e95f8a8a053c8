"""How well detected networks and linked perpetrators recover a known truth (simulation only).

- **Adjusted Rand index** of two partitions of the same items (detected networks against true
  networks): 1 for identical partitions, about 0 for a random one, whatever the numbers of
  groups. Counted from the contingency table (Hubert and Arabie 1985), never by listing pairs.
- **Pairwise F1** of perpetrator links: :func:`lantern.recordlinkage.metrics.cluster_accuracy`,
  pairs of records placed with one person against pairs of one true person.
"""

from __future__ import annotations

import pandas as pd

from lantern.recordlinkage.metrics import Accuracy, cluster_accuracy


def _pairs(counts: pd.Series) -> float:
    values = counts.to_numpy(dtype=float)
    return float((values * (values - 1) / 2).sum())


def adjusted_rand_index(predicted: pd.Series, truth: pd.Series) -> float:
    """ARI of two labelings indexed by the same items (the index), e.g. record ids."""
    joined = pd.DataFrame({"p": predicted}).join(pd.DataFrame({"t": truth}), how="inner")
    if len(joined) != len(predicted) or len(joined) != len(truth):
        raise ValueError("predicted and truth must label the same items")
    n = len(joined)
    if n < 2:
        return 1.0
    both = _pairs(joined.groupby(["p", "t"], sort=False).size())
    rows = _pairs(joined.groupby("p", sort=False).size())
    cols = _pairs(joined.groupby("t", sort=False).size())
    total = n * (n - 1) / 2
    expected = rows * cols / total
    ceiling = (rows + cols) / 2
    if ceiling == expected:
        return 1.0
    return (both - expected) / (ceiling - expected)


def link_accuracy(clusters: pd.Series, truth: pd.Series) -> Accuracy:
    """Pairwise precision, recall and F1 of perpetrator records placed with one person."""
    return cluster_accuracy(clusters, truth)
