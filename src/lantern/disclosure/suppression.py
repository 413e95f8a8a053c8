"""Small-cell suppression with complementary suppression, checked by the intruder's audit.

Primary suppression hides every cell, margins included, whose count is below the threshold
(5 by default). Zeros are published by default: a zero says that nobody with those
characteristics was counted, which discloses no child, and hiding zeros would force far more
complementary suppression; ``Policy(publish_zeros=False)`` treats them as small cells instead.
A reader may then conclude that a hidden cell is at least 1, and the audit assumes it.

Complementary suppression is the hypercube method (Repsilber's GHMITER, as in tau-Argus),
driven by the intruder's audit: while the audit (``audit.Intruder``, an integer programme) finds
a hidden cell unprotected, hide the cheapest box (rectangle in 2-D, cube in 3-D, margins
included as indices) with that cell at a corner whose other corners give it room to rise to
the threshold. Such a box provably protects that cell and leaves no corner exact. When no box
qualifies (zeros or small counts in every one), hide the smallest count on a line where the
cell is the only hidden one. Every round hides at least one more cell, and a table with every
cell hidden protects every cell, so the loop ends.

Guarantee, checked against the integer programme over everything published (all lines, counts
non-negative integers, hidden cells at least 1 when zeros are published): every hidden small
cell can take a value of at least the threshold, so the published table does not even prove it
small, let alone give its count; every complementary cell has a feasible interval of more than
one value. Every hidden cell carries the same mark (GLOTIP's "<5" by default), so the mark says
"suppressed", not which cells were small: a complementary cell's true count is at least the
threshold. The suppressed total is kept small by taking the cheapest box each time, not
minimised exactly (Fischetti and Salazar's integer model is not attempted).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import numpy as np
import numpy.typing as npt

from lantern.disclosure.audit import MAX_TOTAL, Interval, Intruder, audit
from lantern.disclosure.tables import Cell, CountTable, lines_through

METHOD = "threshold rule; hypercube complementary suppression, audited by integer programming"


class Status(StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Policy:
    """The threshold below which a count is hidden, and how hidden cells are shown."""

    threshold: int = 5
    publish_zeros: bool = True
    mark: str = ""

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("the threshold must be at least 1")
        if not self.mark:
            object.__setattr__(self, "mark", f"<{self.threshold}")

    def small(self, count: int) -> bool:
        return count < self.threshold and not (count == 0 and self.publish_zeros)


@dataclass(frozen=True)
class Report:
    """What suppression did: the threshold and how many cells each rule hid."""

    threshold: int
    zeros_published: bool
    mark: str
    primary: int
    complementary: int
    cells: int
    method: str = METHOD

    @property
    def suppressed(self) -> int:
        return self.primary + self.complementary


@dataclass(frozen=True)
class SuppressedTable:
    """A count table ready to publish: each cell (margins included) a count or the mark."""

    table: CountTable
    policy: Policy
    status: dict[Cell, Status] = field(repr=False)
    #: the full table as published when its margins are distinct counts (``suppress``)
    distinct: npt.NDArray[np.int64] | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.table.shape

    @property
    def shown(self) -> npt.NDArray[np.int64]:
        """Every count as it would be published: the distinct margins, or the sums."""
        return self.table.full if self.distinct is None else self.distinct

    @cached_property
    def overlap(self) -> dict[Cell, int] | None:
        """Per cell, how much the sum of its line exceeds its published count (None: none)."""
        return _overlap(self.table, self.distinct)

    def cells_with(self, status: Status) -> list[Cell]:
        return [cell for cell, s in self.status.items() if s is status]

    def published(self) -> dict[Cell, int | None]:
        """What a reader sees: each cell's count, or None where it is hidden."""
        shown = self.shown
        return {
            cell: None if s is not Status.PUBLISHED else int(shown[cell])
            for cell, s in self.status.items()
        }

    def display(self) -> npt.NDArray[np.object_]:
        """The full table as it is printed: counts, and the mark where hidden."""
        shown = np.empty(self.shape, dtype=object)
        for cell, value in self.published().items():
            shown[cell] = self.policy.mark if value is None else value
        return shown

    @cached_property
    def report(self) -> Report:
        return Report(
            threshold=self.policy.threshold,
            zeros_published=self.policy.publish_zeros,
            mark=self.policy.mark,
            primary=len(self.cells_with(Status.PRIMARY)),
            complementary=len(self.cells_with(Status.COMPLEMENTARY)),
            cells=len(self.status),
        )

    def intervals(self) -> dict[Cell, Interval]:
        """The intruder's audit of this table (what each hidden cell can still be)."""
        return audit(
            self.published(),
            self.shape,
            zeros_published=self.policy.publish_zeros,
            overlap=self.overlap,
        )


def _overlap(table: CountTable, distinct: npt.NDArray[np.int64] | None) -> dict[Cell, int] | None:
    if distinct is None:
        return None
    gap = table.full - distinct
    if not gap.any():
        return None
    return {cell: int(gap[cell]) for cell in table.cells() if gap[cell]}


def _distinct(table: CountTable, distinct: npt.ArrayLike | None) -> npt.NDArray[np.int64] | None:
    """Check distinct margins against the counts: same cells, totals no more than the sums and
    no less than any count they contain."""
    if distinct is None:
        return None
    shown = np.asarray(distinct, dtype=np.int64)
    if shown.shape != table.shape:
        raise ValueError(f"distinct counts have shape {shown.shape}, not {table.shape}")
    inner = tuple(slice(0, n - 1) for n in table.shape)
    if not (shown[inner] == table.counts).all():
        raise ValueError("distinct counts must repeat the table's cells")
    if (shown > table.full).any():
        raise ValueError("a distinct total cannot exceed the sum of its line")
    for axis in range(table.ndim):
        if (shown.max(axis=axis) > np.take(shown, -1, axis=axis)).any():
            raise ValueError("a distinct total cannot be less than a count it contains")
    return shown


def suppress(
    counts: CountTable | Sequence[object] | npt.ArrayLike,
    policy: Policy | None = None,
    *,
    distinct: npt.ArrayLike | None = None,
    withhold: Iterable[Cell] = (),
) -> SuppressedTable:
    """Suppress small cells and enough complements that no hidden cell can be worked out.

    ``distinct``: the full table (margins included) as it will be published when its margins
    are distinct counts, less than the sums of their lines (a unit in several cells counts once
    in their total); the small-cell rule reads these counts, and the audit assumes the intruder
    knows each line's overlap (``audit``). ``withhold``: cells to hide whatever their count (a
    total another table of the same release hides), protected as complements.
    """
    table = counts if isinstance(counts, CountTable) else CountTable.of(counts)
    policy = policy or Policy()
    if int(table.full.flat[-1]) > MAX_TOTAL:
        raise ValueError(f"a table of more than {MAX_TOTAL} counted is beyond this method")
    known = _distinct(table, distinct)
    shown = table.full if known is None else known
    overlap = _overlap(table, known)
    status = {
        cell: Status.PRIMARY if policy.small(int(shown[cell])) else Status.PUBLISHED
        for cell in table.cells()
    }
    for cell in withhold:
        if status[cell] is Status.PUBLISHED:
            status[cell] = Status.COMPLEMENTARY
    # Hiding more cells only widens what a reader must allow, so a cell once protected stays so.
    safe: set[Cell] = set()
    while (weak := _unprotected(table, shown, overlap, policy, status, safe)) is not None:
        for cell in _complement(table, shown, policy, status, weak):
            status[cell] = Status.COMPLEMENTARY
    return SuppressedTable(table, policy, status, known)


def _intruder(
    table: CountTable,
    shown: npt.NDArray[np.int64],
    overlap: dict[Cell, int] | None,
    policy: Policy,
    status: dict[Cell, Status],
) -> Intruder:
    published = {c: int(shown[c]) for c, s in status.items() if s is Status.PUBLISHED}
    hidden = [c for c, s in status.items() if s is not Status.PUBLISHED]
    return Intruder(table.shape, published, hidden, 1 if policy.publish_zeros else 0, overlap)


def _protected(intruder: Intruder, cell: Cell, status: Status, value: int, policy: Policy) -> bool:
    if status is Status.PRIMARY:
        return intruder.highest(cell) >= policy.threshold
    return intruder.highest(cell) > value or intruder.lowest(cell) < value


def _unprotected(
    table: CountTable,
    shown: npt.NDArray[np.int64],
    overlap: dict[Cell, int] | None,
    policy: Policy,
    status: dict[Cell, Status],
    safe: set[Cell],
) -> Cell | None:
    """The first hidden cell (small cells first) that the published table gives away.

    Cells found protected are added to ``safe`` and not asked again.
    """
    intruder = _intruder(table, shown, overlap, policy, status)
    for kind in (Status.PRIMARY, Status.COMPLEMENTARY):
        for cell, s in status.items():
            if s is not kind or cell in safe:
                continue
            if not _protected(intruder, cell, s, int(shown[cell]), policy):
                return cell
            safe.add(cell)
    return None


def _hypercube(
    table: CountTable,
    full: npt.NDArray[np.int64],
    policy: Policy,
    status: dict[Cell, Status],
    weak: Cell,
) -> list[Cell] | None:
    """The cheapest box of cells around ``weak`` whose hiding provably protects it.

    A box takes, on every axis, ``weak``'s index and one other (a total included); adding t to
    some corners and taking t from the others keeps every line's sum, so hiding all corners
    lets ``weak`` rise by the smallest room of the corners that fall (their count less what a
    reader knows is the least). The box counts when that room reaches the threshold (at least
    1 for a complement). Cost: the counts newly hidden, then how many cells. (With distinct
    totals the box is a proposal: the audit decides, and hides more if it must.)
    """
    floor = 1 if policy.publish_zeros else 0
    need = max(1, policy.threshold - int(full[weak]))
    others = [[j for j in range(n) if j != i] for i, n in zip(weak, table.shape, strict=True)]
    best: tuple[tuple[int, int], list[Cell]] | None = None
    for choice in itertools.product(*others):
        corners: list[Cell] = []
        room = math.inf
        for picks in itertools.product((False, True), repeat=table.ndim):
            cell = tuple(j if pick else i for i, j, pick in zip(weak, choice, picks, strict=True))
            # Along an axis the two corners move together when one is the total, else oppositely.
            sign = 1
            for i, j, pick, n in zip(weak, choice, picks, table.shape, strict=True):
                if pick and i != n - 1 and j != n - 1:
                    sign = -sign
            value = int(full[cell])
            if value == 0 and policy.publish_zeros:
                break  # a hidden zero would contradict the reader's correct "hidden means >= 1"
            if sign < 0:
                room = min(room, value - floor)
            corners.append(cell)
        else:
            if room < need:
                continue
            new = [c for c in corners if status[c] is Status.PUBLISHED]
            cost = (sum(int(full[c]) for c in new), len(new))
            if new and (best is None or cost < best[0]):
                best = (cost, new)
    return None if best is None else best[1]


def _complement(
    table: CountTable,
    full: npt.NDArray[np.int64],
    policy: Policy,
    status: dict[Cell, Status],
    weak: Cell,
) -> list[Cell]:
    """The cells to hide next for ``weak``: its cheapest protecting box, else one line cell."""
    if box := _hypercube(table, full, policy, status, weak):
        return box
    hidden = {c for c, s in status.items() if s is not Status.PUBLISHED}

    def open_(cells: list[Cell]) -> list[Cell]:
        # Only counts of at least 1 can be complements: a hidden zero would break the reader's
        # (correct) inference that hidden cells are not zero when zeros are published.
        found = {c for c in cells if c not in hidden and (full[c] > 0 or not policy.publish_zeros)}
        return sorted(found, key=lambda c: (int(full[c]), c))

    through = lines_through(table.shape, weak)
    alone = [c for line in through if hidden.intersection(line) == {weak} for c in line]
    for cells in (alone, [c for line in through for c in line], list(table.cells())):
        if options := open_(cells):
            return options[:1]
    raise AssertionError("every cell is hidden yet one is unprotected")  # pragma: no cover
