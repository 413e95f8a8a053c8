"""The intruder's audit: what a published table still says about each hidden cell.

The intruder sees the published cells and margins, knows every line of the table adds up, that
counts are non-negative integers, and (when zeros are published) that a hidden cell is at least
1. For each hidden cell the audit solves two integer programmes (SciPy's ``milp``, HiGHS):
the least and the greatest value the cell can take in any table consistent with all of that.
The interval is exact over the integers (a 3-D table's linear relaxation can be wider than
its integer hull, so a real-valued LP would overstate the protection); for one and two
dimensions the linear programme (``linprog``) gives the same integral answer, faster. A hidden
cell whose least and greatest values are equal is recovered. The audit reads only what is
published.

Distinct counts (``overlap``): when a unit can sit in several cells of a line (a child with two
forms of exploitation), a published total counts it once and is less than the sum of its line
by the line's *overlap*. The intruder is then assumed to know every overlap exactly (the worst
case: it turns each total back into the sum of its line), and also what distinct counts imply
by themselves: a total is at least each count it contains and at most, so a cell never exceeds a
published total above it. Protection against this intruder holds against any reader.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from lantern.disclosure.tables import Cell, lines

#: No count table reaches this; a hidden cell that can reach it is unbounded above.
_CAP = 10**9
MAX_TOTAL = 10**8


@dataclass(frozen=True)
class Interval:
    """The values a hidden cell can take given the published table (``high`` may be inf)."""

    low: int
    high: float

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def width(self) -> float:
        return self.high - self.low


class Intruder:
    """The linear system a reader of one published table can set up, ready to be queried."""

    def __init__(
        self,
        shape: tuple[int, ...],
        published: Mapping[Cell, int],
        hidden: Iterable[Cell],
        floor: int,
        overlap: Mapping[Cell, int] | None = None,
    ) -> None:
        """``published`` and the hidden cells' values are the counts as published (distinct
        counts when ``overlap`` gives, per cell, its sum-of-line less its published count)."""
        self.hidden = list(hidden)
        over = overlap or {}
        self.index = {cell: i for i, cell in enumerate(self.hidden)}
        rows: list[np.ndarray] = []
        rhs: list[float] = []
        for line in lines(shape):
            *parts, total = line
            coeffs = np.zeros(len(self.hidden))
            # sum(published + overlap) over the parts is the total's published + overlap
            known = over.get(total, 0) - sum(over.get(p, 0) for p in parts)
            # total - sum(parts) = 0, with the published cells moved to the right-hand side.
            for cell, sign in [(total, 1), *[(p, -1) for p in parts]]:
                if cell in self.index:
                    coeffs[self.index[cell]] += sign
                else:
                    known += sign * published[cell]
            if coeffs.any():
                rows.append(coeffs)
                rhs.append(-known)
        count = max(len(self.hidden), 1)  # SciPy refuses empty bounds; nothing is asked then
        low, high = np.full(count, float(floor)), np.full(count, float(_CAP))
        ordered: list[np.ndarray] = []
        if any(over.values()):
            ordered = self._dominance(shape, published, low, high)
        self.constraints = (
            [LinearConstraint(np.array(rows), np.array(rhs), np.array(rhs))] if rows else []
        )
        if ordered:
            self.constraints.append(
                LinearConstraint(np.array(ordered), 0, np.inf)  # total - part >= 0
            )
        self.bounds = Bounds(low, high)
        self.integrality = np.ones(len(self.hidden))
        # A table of one or two dimensions with its margins is a flow network (rows, columns
        # and the grand total as nodes, cells as arcs), so its constraint matrix is totally
        # unimodular: the linear programme's optimal vertex is already integral, and faster.
        self.network = len(shape) <= 2 and not ordered

    def _dominance(
        self,
        shape: tuple[int, ...],
        published: Mapping[Cell, int],
        low: np.ndarray,
        high: np.ndarray,
    ) -> list[np.ndarray]:
        """What distinct counts say by themselves: a total is at least every count it contains.

        Bounds a hidden cell by the published totals above it and the published counts below
        it; returns one row (total - part >= 0) per pair of hidden cells.
        """
        rows: list[np.ndarray] = []
        for cell, i in self.index.items():
            for above in _above(shape, cell):
                if above in self.index:
                    row = np.zeros(len(self.hidden))
                    row[self.index[above]], row[i] = 1, -1
                    rows.append(row)
                else:
                    high[i] = min(high[i], published[above])
            for below, value in published.items():
                if below != cell and cell in _above(shape, below):
                    low[i] = max(low[i], value)
        return rows

    def solution(self, cell: Cell, sense: int) -> dict[Cell, int]:
        """A table the reader cannot rule out, with ``cell`` least (sense 1) or greatest (-1)."""
        objective = np.zeros(len(self.hidden))
        objective[self.index[cell]] = sense
        if self.network:
            result = linprog(
                objective,
                A_eq=self.constraints[0].A if self.constraints else None,
                b_eq=self.constraints[0].lb if self.constraints else None,
                bounds=np.column_stack([self.bounds.lb, self.bounds.ub]),
                method="highs",
            )
        else:
            result = milp(
                objective,
                constraints=self.constraints,
                integrality=self.integrality,
                bounds=self.bounds,
            )
        if result.status != 0 or result.x is None:
            raise ValueError(f"the published table is inconsistent ({result.message})")
        return {c: round(result.x[i]) for c, i in self.index.items()}

    def lowest(self, cell: Cell) -> int:
        return self.solution(cell, 1)[cell]

    def highest(self, cell: Cell) -> float:
        value = self.solution(cell, -1)[cell]
        return math.inf if value >= _CAP // 2 else value

    def interval(self, cell: Cell) -> Interval:
        return Interval(self.lowest(cell), self.highest(cell))


def _above(shape: tuple[int, ...], cell: Cell) -> list[Cell]:
    """The totals that contain ``cell``: any of its axes (not already a total) set to the total."""
    free = [axis for axis, (i, n) in enumerate(zip(cell, shape, strict=True)) if i != n - 1]
    found = []
    for k in range(1, len(free) + 1):
        for axes in itertools.combinations(free, k):
            found.append(tuple(shape[a] - 1 if a in axes else i for a, i in enumerate(cell)))
    return found


def audit(
    published: Mapping[Cell, int | None],
    shape: tuple[int, ...],
    *,
    zeros_published: bool,
    overlap: Mapping[Cell, int] | None = None,
) -> dict[Cell, Interval]:
    """For each hidden cell (``None``) of a published full table, the values it can take.

    ``published`` maps every cell of the full table (margins included) to its published count,
    or ``None`` when it is suppressed; ``zeros_published`` says whether a reader may conclude
    that a hidden cell is not zero; ``overlap`` (distinct counts) what each cell's line sum
    exceeds its published count by (see the module).
    """
    if set(published) != {tuple(int(i) for i in c) for c in np.ndindex(*shape)}:
        raise ValueError("a published table names every cell of its shape, margins included")
    known = {cell: value for cell, value in published.items() if value is not None}
    hidden = [cell for cell, value in published.items() if value is None]
    intruder = Intruder(shape, known, hidden, 1 if zeros_published else 0, overlap)
    return {cell: intruder.interval(cell) for cell in hidden}
