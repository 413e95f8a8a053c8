"""Differentially private counts (OpenDP), for releases that repeat.

Suppression protects one table; a series of overlapping tables released over time can still be
differenced. Differential privacy bounds what any number of releases reveal by a stated
budget. Each interior cell gets OpenDP's discrete Laplace noise (``make_laplace`` over integer
vectors, so no floating-point attack applies) of scale ``contributions / epsilon``; OpenDP's
own privacy map certifies the epsilon stated on the output. Negative noisy counts become 0 and
the margins are the sums of the noisy cells: post-processing, which spends no budget and keeps
the table adding up.

Guarantee: epsilon-differential privacy (delta = 0) for the table as a whole, with neighbouring
datasets differing by adding or removing one child who appears in at most ``contributions``
cells (1 when each child is counted once). Budgets add up across releases of the same children.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import opendp.prelude as dp

from lantern.disclosure.tables import CountTable

MECHANISM = "discrete Laplace (OpenDP make_laplace), margins summed from the noisy cells"

dp.enable_features("contrib")


@dataclass(frozen=True)
class PrivateCounts:
    """A noisy count table and the privacy budget it spent, to be stated beside it."""

    table: CountTable
    epsilon: float
    contributions: int
    scale: float
    delta: float = 0.0
    mechanism: str = MECHANISM


def private_counts(
    counts: CountTable | Sequence[object] | npt.ArrayLike,
    epsilon: float = 1.0,
    contributions: int = 1,
) -> PrivateCounts:
    """Release ``counts`` with epsilon-differential privacy (a child in <= contributions cells)."""
    if not epsilon > 0:
        raise ValueError("the privacy budget epsilon must be positive")
    if contributions < 1:
        raise ValueError("each child contributes to at least one cell")
    table = counts if isinstance(counts, CountTable) else CountTable.of(counts)
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    scale = contributions / epsilon
    measurement = dp.m.make_laplace(*space, scale=scale)
    spent = float(measurement.map(contributions))
    if spent > epsilon * (1 + 1e-9):  # pragma: no cover - OpenDP's map is the authority
        raise ValueError(f"the mechanism would spend epsilon {spent}, more than {epsilon}")
    noisy = np.asarray(measurement([int(v) for v in table.counts.flat]), dtype=np.int64)
    released = np.maximum(noisy, 0).reshape(table.counts.shape)
    return PrivateCounts(CountTable(released), spent, contributions, scale)
