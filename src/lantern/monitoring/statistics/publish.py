"""The one disclosure-control step every figure passes before it leaves Lantern (#14, item 4).

``publish(table)`` hides the small counts of a table (below ``LANTERN_DISCLOSURE_THRESHOLD``, 5
by default) and enough others that none can be worked out from what is published, with
``lantern.disclosure.suppress`` over the whole table: its cells and *all* its totals (the
``Table.margins`` of ``build_table``). ``publish_all`` does it for the tables of one release
(a report), so that a count two tables share is hidden in both or in neither.

Totals are distinct counts: a child with two forms of exploitation is one child in the total,
so a total can be less than the sum of its line. Those totals are what is published, so they
are what suppression reads (a total below the threshold is hidden even when its line sums to
more) and what its audit assumes the reader sees; the audit also assumes the reader knows by
how much each line's sum exceeds its total (the worst case), so the protection it certifies
holds against any reader (``lantern.disclosure.audit``).

``dp=Privacy(epsilon)`` releases differentially private counts instead (OpenDP): every cell and
total of the table noised, the budget stated in the provenance.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantern.disclosure import Policy, suppress
from lantern.disclosure.suppression import Status
from lantern.errors import Invalid
from lantern.monitoring.statistics.dimensions import dimension
from lantern.monitoring.statistics.table import MARGIN_DIMENSIONS, Cell, Margin, Table

DEFAULT_THRESHOLD = 5

Values = tuple[str | None, ...]


@dataclass(frozen=True)
class Privacy:
    """Differentially private counts: the privacy budget one table spends."""

    epsilon: float


def default_threshold() -> int:
    return int(getattr(settings, "LANTERN_DISCLOSURE_THRESHOLD", DEFAULT_THRESHOLD))


def mark(threshold: int | None = None) -> str:
    """What a withheld count shows (UNODC's "<5" at the default threshold)."""
    return f"<{default_threshold() if threshold is None else threshold}"


def publish(
    table: Table,
    threshold: int | None = None,
    dp: Privacy | None = None,
    *,
    withhold: Iterable[Values] = (),
) -> Table:
    """The table as it may leave Lantern: small counts and their complements withheld (or,
    with ``dp``, every count noised), saying so in its provenance.

    ``threshold`` 0 publishes every count as it is (the operator's choice, stated on the
    output); ``withhold`` names cells or totals (by their values, None for a total) to hide
    whatever their count, for a release of several tables (``publish_all``).
    """
    threshold = default_threshold() if threshold is None else threshold
    if threshold < 0:
        raise Invalid(_("The suppression threshold cannot be negative."), "threshold")
    if dp is not None:
        if len(table.dimensions) > MARGIN_DIMENSIONS:
            raise Invalid(
                _("A private table has at most %(n)s dimensions.") % {"n": MARGIN_DIMENSIONS},
                "rows",
            )
        return _private(table, dp)
    if threshold == 0:
        return table.with_cells(
            table.cells, _("none: every count is published as it is (threshold 0)")
        )
    if len(table.dimensions) > MARGIN_DIMENSIONS:
        return _publish_as_list(table, threshold)
    cube = _Cube.of(table)
    if cube is None:  # nothing counted: a zero discloses no one
        return table.with_cells(table.cells, _("nothing to suppress (no units counted)"))
    policy = Policy(threshold=threshold)
    hidden = [cube.index(v) for v in withhold]
    out = suppress(cube.counts, policy, distinct=cube.distinct, withhold=hidden)
    status = out.status
    cells = tuple(
        dataclasses.replace(c, suppressed=status[cube.index(c.values)] is not Status.PUBLISHED)
        for c in table.cells
    )
    margins = tuple(
        dataclasses.replace(m, suppressed=status[cube.index(m.values)] is not Status.PUBLISHED)
        for m in cube.margins
    )
    report = out.report
    text = _(
        "counts below %(threshold)s withheld (%(primary)s), and %(complementary)s more so "
        "that none can be worked out from the totals (complementary suppression, hypercube "
        "method, audited by integer programming)"
    ) % {
        "threshold": threshold,
        "primary": report.primary,
        "complementary": report.complementary,
    }
    return table.with_cells(cells, text, margins)


def _publish_as_list(table: Table, threshold: int) -> Table:
    """A table of more dimensions than carry totals (a corridor by country and province): its
    combinations published as one list beside the grand total only, so suppression reads the
    list and that one distinct total, and no other total is published to work a count out."""
    counts = np.array([c.count for c in table.cells], dtype=np.int64)
    if not len(counts):
        return table.with_cells(table.cells, _("nothing to suppress (no units counted)"))
    distinct = np.concatenate([counts, [table.total]])
    out = suppress(counts, Policy(threshold=threshold), distinct=distinct)
    cells = tuple(
        dataclasses.replace(c, suppressed=out.status[(i,)] is not Status.PUBLISHED)
        for i, c in enumerate(table.cells)
    )
    grand = Margin(
        (None,) * len(table.dimensions),
        table.total,
        suppressed=out.status[(len(counts),)] is not Status.PUBLISHED,
    )
    text = _(
        "counts below %(threshold)s withheld (%(primary)s), and %(complementary)s more so "
        "that none can be worked out from the grand total, the only total published for a "
        "table of more than %(n)s dimensions"
    ) % {
        "threshold": threshold,
        "primary": out.report.primary,
        "complementary": out.report.complementary,
        "n": MARGIN_DIMENSIONS,
    }
    return table.with_cells(cells, text, (grand,))


def publish_all(
    tables: Sequence[Table], threshold: int | None = None, dp: Privacy | None = None
) -> list[Table]:
    """The tables of one release, each published, a count they share hidden in all or none.

    Two tables share a count when it is over the same units, with the same categories of the
    same dimensions (a report's sex x age totals, beside each of its dimensions): whatever
    one hides, the others withhold too, until no table publishes what another hides.
    """
    if dp is not None:
        return [_private(t, dp, releases=len(tables)) for t in tables]
    withhold: list[set[Values]] = [set() for _t in tables]
    while True:
        out = [publish(t, threshold, withhold=w) for t, w in zip(tables, withhold, strict=True)]
        hidden = {_key(t, e.values) for t in out for e in t.entries() if e.suppressed}
        changed = False
        for i, t in enumerate(out):
            for e in t.entries():
                if not e.suppressed and _key(t, e.values) in hidden:
                    withhold[i].add(e.values)
                    changed = True
        if not changed:
            return out


def _key(table: Table, values: Values) -> tuple[object, ...]:
    """What a count is over, whichever table it sits in."""
    named = frozenset(
        (n, v) for n, v in zip(table.dimensions, values, strict=True) if v is not None
    )
    return (table.unit, frozenset(table.where), named)


@dataclass(frozen=True)
class _Cube:
    """A table as the disclosure core takes it: dense counts and the full table of totals."""

    axes: tuple[tuple[str, ...], ...]  # the categories of each dimension, in the table's order
    counts: np.ndarray
    distinct: np.ndarray  # counts with every total appended, as published (distinct)
    margins: tuple[Margin, ...]  # every total of the cube, zeros included

    @classmethod
    def of(cls, table: Table) -> _Cube | None:
        names = table.dimensions
        axes = tuple(
            tuple(
                sorted(
                    {c.values[i] for c in table.cells}
                    | {v for m in table.margins if (v := m.values[i]) is not None},
                    key=dimension(name).sort_key,
                )
            )
            for i, name in enumerate(names)
        )
        if any(not a for a in axes):
            return None
        shape = tuple(len(a) for a in axes)
        counts = np.zeros(shape, dtype=np.int64)
        position = [{v: i for i, v in enumerate(a)} for a in axes]
        for c in table.cells:
            counts[tuple(p[v] for p, v in zip(position, c.values, strict=True))] = c.count
        sums = counts
        for axis in range(len(shape)):
            sums = np.concatenate([sums, sums.sum(axis=axis, keepdims=True)], axis=axis)
        distinct = sums.copy()
        given = {m.values: m.count for m in table.margins}
        margins = []
        for idx in itertools.product(*(range(n + 1) for n in shape)):
            if all(i < n for i, n in zip(idx, shape, strict=True)):
                continue
            values = tuple(
                None if i == n else a[i] for i, n, a in zip(idx, shape, axes, strict=True)
            )
            if values in given:
                distinct[idx] = given[values]
            elif set(values) == {None}:
                distinct[idx] = table.total
            # else: a table built without its totals publishes them as the sums of their lines
            margins.append(Margin(values, int(distinct[idx])))
        return cls(axes, counts, distinct, tuple(margins))

    def index(self, values: Values) -> tuple[int, ...]:
        return tuple(
            len(a) if v is None else a.index(v) for v, a in zip(values, self.axes, strict=True)
        )


def contributions(table: Table, axes: Sequence[Sequence[str]]) -> int:
    """How many of a table's published counts (cells and totals) one unit can be in, at most.

    A unit sits in one category of a single-valued dimension; in several of a list dimension
    (forms of exploitation), and a child in several of any dimension (a child with two cases),
    at most all the categories shown; a person of the justice chain likewise (several
    indicators). Counted per grouping of the dimensions (each total).
    """
    k = [
        len(a) if dimension(n).multi or table.unit != "cases" else 1
        for n, a in zip(table.dimensions, axes, strict=True)
    ]
    return sum(
        math.prod(k[i] for i in kept)
        for r in range(len(k) + 1)
        for kept in itertools.combinations(range(len(k)), r)
    )


def _private(table: Table, dp: Privacy, releases: int = 1) -> Table:
    """Every cell and total noised (OpenDP's discrete Laplace), the budget stated."""
    from lantern.disclosure.privacy import private_counts

    if not dp.epsilon > 0 or not math.isfinite(dp.epsilon):
        raise Invalid(_("The privacy budget (epsilon) must be a positive number."), "epsilon")
    cube = _Cube.of(table)
    if cube is None:
        return table.with_cells(table.cells, _("nothing to noise (no units counted)"))
    bound = contributions(table, cube.axes)
    noisy = private_counts(cube.distinct.ravel(), epsilon=dp.epsilon, contributions=bound)
    released = noisy.table.counts.reshape(cube.distinct.shape)
    cells = tuple(
        Cell(tuple(a[i] for a, i in zip(cube.axes, idx, strict=True)), int(released[idx]))
        for idx in itertools.product(*(range(len(a)) for a in cube.axes))
    )
    margins = tuple(
        dataclasses.replace(m, count=int(released[cube.index(m.values)])) for m in cube.margins
    )
    text = _(
        "differentially private counts (OpenDP, discrete Laplace, scale %(scale)s): privacy "
        "budget epsilon %(epsilon)s for this table (delta 0), each unit in at most %(n)s of its "
        "counts; counts are noisy and totals need not add up; no suppression"
    ) % {
        "scale": number_format(noisy.scale, 2),
        "epsilon": number_format(noisy.epsilon, 3),
        "n": bound,
    }
    if releases > 1:
        text += "; " + _("the %(n)s tables of this release spend epsilon %(total)s in all") % {
            "n": releases,
            "total": number_format(noisy.epsilon * releases, 3),
        }
    grand = next(m for m in margins if set(m.values) == {None})
    out = table.with_cells(cells, text, margins)
    return dataclasses.replace(out, total=grand.count)
