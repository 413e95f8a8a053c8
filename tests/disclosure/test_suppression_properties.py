"""Property tests (hypothesis): no hidden cell of any suppressed table can be worked out.

For random count tables of 1, 2 and 3 dimensions and random policies, the intruder's audit
(integer programming over the published cells and every margin) is asked for each hidden cell's
least and greatest value. The test does not take the solver's word: each bound comes with a
whole table (``Intruder.solution``) that the test checks itself agrees with everything published
and adds up on every line. So each hidden small cell provably could be at least the threshold,
and each complement provably could be another count.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.disclosure import CountTable, Policy, SuppressedTable, suppress
from lantern.disclosure.audit import Intruder
from lantern.disclosure.suppression import Status
from lantern.disclosure.tables import Cell, lines

# Mostly small counts, so that tables have many cells below the threshold and many zeros.
counts = st.one_of(st.integers(0, 6), st.integers(0, 40))
policies = st.builds(Policy, threshold=st.integers(2, 8), publish_zeros=st.booleans())


def tables(ndim: int, most: int) -> st.SearchStrategy[np.ndarray]:
    shapes = st.lists(st.integers(1, most), min_size=ndim, max_size=ndim)
    return shapes.flatmap(
        lambda shape: st.lists(
            counts, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))
        ).map(lambda flat: np.array(flat, dtype=np.int64).reshape(shape))
    )


def consistent(table: SuppressedTable, candidate: dict[Cell, int], floor: int) -> bool:
    """Does a table agree with every published cell, the reader's floor and every line?"""
    full = {**{c: v for c, v in table.published().items() if v is not None}, **candidate}
    if any(candidate[c] < floor for c in candidate):
        return False
    return all(full[total] == sum(full[c] for c in parts) for *parts, total in lines(table.shape))


def check(counts: np.ndarray, policy: Policy) -> None:
    out = suppress(counts, policy)
    full = CountTable(counts).full
    floor = 1 if policy.publish_zeros else 0
    published = out.published()

    # Every small count is hidden; every published count is at least the threshold (or zero).
    for cell, value in published.items():
        truth = int(full[cell])
        if policy.small(truth):
            assert value is None, (cell, truth)
        if value is not None:
            assert value == truth
            assert value >= policy.threshold or (value == 0 and policy.publish_zeros)

    # The published margins agree with the published cells wherever a whole line is published.
    for *parts, total in lines(out.shape):
        shown = [published[c] for c in [*parts, total]]
        if all(v is not None for v in shown):
            assert shown[-1] == sum(v for v in shown[:-1] if v is not None)

    # No hidden cell can be worked out: a table the reader cannot rule out shows it otherwise.
    intruder = Intruder(
        out.shape,
        {c: v for c, v in published.items() if v is not None},
        [c for c, v in published.items() if v is None],
        floor,
    )
    intervals = out.intervals()
    for cell, status in out.status.items():
        if status is Status.PUBLISHED:
            continue
        truth = int(full[cell])
        high = intruder.solution(cell, -1)
        assert consistent(out, high, floor)
        if status is Status.PRIMARY:
            assert high[cell] >= policy.threshold, (cell, truth)
        else:
            low = intruder.solution(cell, 1)
            assert consistent(out, low, floor)
            assert low[cell] < high[cell], (cell, truth)
        interval = intervals[cell]
        assert interval.low <= truth <= interval.high
        assert not interval.exact

    report = out.report
    assert report.primary == sum(policy.small(int(v)) for v in full.flat)
    assert report.suppressed == sum(v is None for v in published.values())


@settings(max_examples=150, deadline=None)
@given(tables(1, 8), policies)
def test_one_way_tables(counts: np.ndarray, policy: Policy) -> None:
    check(counts, policy)


@settings(max_examples=100, deadline=None)
@given(tables(2, 4), policies)
def test_two_way_tables(counts: np.ndarray, policy: Policy) -> None:
    check(counts, policy)


@settings(max_examples=40, deadline=None)
@given(tables(3, 3), policies)
def test_three_way_tables(counts: np.ndarray, policy: Policy) -> None:
    check(counts, policy)
