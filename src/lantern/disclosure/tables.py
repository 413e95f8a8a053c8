"""A count table of one to three dimensions with every margin, as one array.

Along each axis the last index is that axis's total, so a 2-D table of r x c counts becomes an
(r + 1) x (c + 1) array whose last row and column are the column and row totals and whose
corner is the grand total; a 3-D table carries its 2-D and 1-D margins the same way. Every
linear fact a reader can use is a *line*: the cells along one axis with the others held, whose
last cell is the sum of the rest. Suppression and its audit both work on these lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

Cell = tuple[int, ...]


@dataclass(frozen=True)
class CountTable:
    """Non-negative integer counts (1 to 3 dimensions) and, derived, all their margins."""

    counts: npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts)
        if counts.ndim not in (1, 2, 3):
            raise ValueError(f"a count table has 1 to 3 dimensions, not {counts.ndim}")
        if counts.size == 0:
            raise ValueError("a count table needs at least one cell")
        if not np.issubdtype(counts.dtype, np.integer) or (counts < 0).any():
            raise ValueError("counts must be non-negative integers")
        object.__setattr__(self, "counts", counts.astype(np.int64))

    @classmethod
    def of(cls, counts: Sequence[object] | npt.ArrayLike) -> CountTable:
        return cls(np.asarray(counts, dtype=np.int64))

    @property
    def ndim(self) -> int:
        return int(self.counts.ndim)

    @cached_property
    def full(self) -> npt.NDArray[np.int64]:
        """The counts with a total appended along every axis (margins of every order)."""
        full = self.counts
        for axis in range(self.ndim):
            full = np.concatenate([full, full.sum(axis=axis, keepdims=True)], axis=axis)
        return full

    @property
    def shape(self) -> tuple[int, ...]:
        """The full table's shape, margins included."""
        return tuple(int(n) for n in self.full.shape)

    def cells(self) -> Iterator[Cell]:
        return (tuple(int(i) for i in c) for c in np.ndindex(*self.shape))

    def is_margin(self, cell: Cell) -> bool:
        return any(i == n - 1 for i, n in zip(cell, self.shape, strict=True))


def lines(shape: tuple[int, ...]) -> list[list[Cell]]:
    """Every line of a full table: cells along one axis, the others held; the last is the total."""
    found: list[list[Cell]] = []
    for axis, size in enumerate(shape):
        others = [range(n) for k, n in enumerate(shape) if k != axis]
        for held in itertools.product(*others):
            line = []
            for i in range(size):
                cell = list(held)
                cell.insert(axis, i)
                line.append(tuple(cell))
            found.append(line)
    return found


def lines_through(shape: tuple[int, ...], cell: Cell) -> list[list[Cell]]:
    """The lines (one per axis) that pass through ``cell``."""
    through = []
    for axis, size in enumerate(shape):
        through.append([(*cell[:axis], i, *cell[axis + 1 :]) for i in range(size)])
    return through
