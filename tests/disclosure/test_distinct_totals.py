"""Tables whose totals are distinct counts (a unit in several cells counts once in a total)."""

from __future__ import annotations

import pytest

from lantern.disclosure import audit, suppress
from lantern.disclosure.suppression import Status


def test_the_small_count_rule_reads_the_published_distinct_total() -> None:
    # three children each in both cells: the line sums to 6, the total published is 3
    out = suppress([3, 3], distinct=[3, 3, 3])
    assert out.status[(2,)] is Status.PRIMARY
    assert all(v is None for v in out.published().values())


def test_the_audit_assumes_the_reader_knows_each_lines_overlap() -> None:
    # 9 children, 2 of them in both cells: a reader who knows that overlap pins the hidden cell
    published = {(0,): None, (1,): 7, (2,): 9}
    assert audit(published, (3,), zeros_published=True, overlap={(2,): 2})[(0,)].exact
    assert audit(published, (3,), zeros_published=True, overlap={(2,): 2})[(0,)].low == 4


def test_a_cell_never_exceeds_a_published_total_above_it() -> None:
    # 2-D, distinct totals: the hidden cell is at most its row's published total
    distinct = [[2, 6, 7], [6, 6, 11], [7, 11, 15]]
    out = suppress([[2, 6], [6, 6]], distinct=distinct)
    shown = out.published()
    for (i, j), interval in out.intervals().items():
        above = [shown[c] for c in ((i, 2), (2, j), (2, 2)) if (i, j) != c and i < 2 and j < 2]
        caps = [v for v in above if v is not None]
        assert not caps or interval.high <= min(caps), ((i, j), interval, caps)
    assert out.intervals()[(0, 0)].high >= 5


@pytest.mark.parametrize(
    ("distinct", "reason"),
    [
        ([4, 3, 5], "repeat the table's cells"),
        ([3, 3, 7], "cannot exceed the sum"),
        ([3, 3, 2], "less than a count it contains"),
        ([3, 3], "shape"),
    ],
)
def test_distinct_totals_that_cannot_be_are_refused(distinct: list[int], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        suppress([3, 3], distinct=distinct)
