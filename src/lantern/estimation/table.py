"""Capture-history tables: the 2^K - 1 observable cells of K overlapping lists.

Cell ``c`` is a bitmask (bit ``i`` set = on list ``i``); the all-zero history, the dark figure,
is never a cell. Every estimator in this package reads this one shape, so the CSV reader, the
linked store and the simulation study all meet here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

MIN_LISTS = 2
MAX_LISTS = 10


class CaptureTableError(ValueError):
    """A capture-history table that cannot be read; the message names the row or column."""


@dataclass(frozen=True)
class CaptureTable:
    """Counts of the 2^K - 1 observable capture histories of K named lists.

    ``counts[c - 1]`` is the number of people whose history is the bitmask ``c``.
    """

    lists: tuple[str, ...]
    counts: npt.NDArray[np.int64] = field(repr=False)

    def __post_init__(self) -> None:
        k = len(self.lists)
        if not MIN_LISTS <= k <= MAX_LISTS:
            raise CaptureTableError(f"need {MIN_LISTS} to {MAX_LISTS} lists, got {k}")
        if len(set(self.lists)) != k:
            raise CaptureTableError(f"list names must be distinct: {list(self.lists)}")
        if self.counts.shape != (2**k - 1,):
            raise CaptureTableError(f"expected {2**k - 1} cell counts, got {self.counts.shape}")
        if (self.counts < 0).any():
            raise CaptureTableError("counts must be non-negative")

    @property
    def k(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    @property
    def cells(self) -> npt.NDArray[np.int64]:
        """Bitmask of each cell, aligned with ``counts``."""
        return np.arange(1, 2**self.k, dtype=np.int64)

    def with_counts(self, counts: npt.NDArray[np.int64]) -> CaptureTable:
        return CaptureTable(self.lists, np.asarray(counts, dtype=np.int64))

    def rows(self) -> list[tuple[tuple[int, ...], int]]:
        """Non-zero histories as (0/1 tuple, count), in cell order."""
        out = []
        for c, n in zip(self.cells.tolist(), self.counts.tolist(), strict=True):
            if n > 0:
                out.append((tuple((c >> i) & 1 for i in range(self.k)), int(n)))
        return out

    @classmethod
    def from_histories(
        cls, lists: Sequence[str], histories: Iterable[tuple[Sequence[int], int]]
    ) -> CaptureTable:
        """Build from (0/1 history, count) pairs; repeated histories are summed."""
        k = len(lists)
        counts = np.zeros(2**k - 1, dtype=np.int64)
        for history, n in histories:
            mask = sum(1 << i for i, bit in enumerate(history) if bit)
            if mask == 0:
                raise CaptureTableError("the all-zero history (the dark figure) is never observed")
            counts[mask - 1] += n
        return cls(tuple(lists), counts)


def read_capture_csv(path: str | Path) -> CaptureTable:
    """Read one 0/1 column per list and a ``count`` column (the reference layout).

    Raises CaptureTableError naming the row (1-based, header = row 1) or column at fault.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CaptureTableError(f"cannot read {p}: {exc.strerror}") from exc
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CaptureTableError(f"{p} is empty") from None
    if "count" not in header:
        raise CaptureTableError(f"{p}: no 'count' column (header: {header})")
    count_col = header.index("count")
    lists = [h for i, h in enumerate(header) if i != count_col]
    if any(not h for h in lists):
        raise CaptureTableError(f"{p}: a list column has an empty name")
    if len(lists) < MIN_LISTS:
        raise CaptureTableError(f"{p}: need at least {MIN_LISTS} list columns, got {len(lists)}")
    if len(lists) > MAX_LISTS:
        raise CaptureTableError(f"{p}: at most {MAX_LISTS} lists are supported, got {len(lists)}")
    histories: list[tuple[list[int], int]] = []
    for rowno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CaptureTableError(f"row {rowno}: {len(row)} fields, header has {len(header)}")
        raw = row[count_col].strip()
        try:
            n = int(raw)
        except ValueError:
            raise CaptureTableError(
                f"row {rowno}, column 'count': not an integer: {raw!r}"
            ) from None
        if n < 0:
            raise CaptureTableError(f"row {rowno}, column 'count': negative count {n}")
        bits: list[int] = []
        for i, name in enumerate(header):
            if i == count_col:
                continue
            v = row[i].strip()
            if v not in ("0", "1"):
                raise CaptureTableError(f"row {rowno}, column {name!r}: expected 0 or 1, got {v!r}")
            bits.append(int(v))
        if not any(bits):
            raise CaptureTableError(
                f"row {rowno}: all-zero history; the dark figure is what is estimated, "
                "it cannot be a row"
            )
        histories.append((bits, n))
    if not histories:
        raise CaptureTableError(f"{p}: no capture histories")
    table = CaptureTable.from_histories(lists, histories)
    if table.observed == 0:
        raise CaptureTableError(f"{p}: every count is zero")
    return table
