"""Small-cell suppression: what is hidden, what is shown, and the report."""

from __future__ import annotations

import numpy as np
import pytest

from lantern.disclosure import CountTable, Policy, SuppressedTable, audit, suppress
from lantern.disclosure.suppression import Status


def hidden(table: SuppressedTable) -> set[tuple[int, ...]]:
    return {cell for cell, value in table.published().items() if value is None}


def test_a_small_count_hides_with_the_smallest_count_of_its_line() -> None:
    out = suppress([3, 7, 9])
    assert list(out.display()) == ["<5", "<5", 9, 19]
    assert out.report.primary == 1
    assert out.report.complementary == 1
    assert out.report.threshold == 5


def test_two_ones_beside_a_published_total_are_not_left_alone() -> None:
    # Hiding only the two 1s would publish 1 + 1 = 12 - 10: with hidden cells known to be at
    # least 1 (zeros are published), each would be exactly 1.
    out = suppress([1, 1, 10])
    assert hidden(out) == {(0,), (1,), (2,)}
    assert out.intervals()[(0,)].high >= 5


def test_a_small_cell_in_a_crosstab_hides_the_cheapest_rectangle() -> None:
    out = suppress([[1, 8, 9], [7, 6, 12], [10, 11, 20]])
    # The rectangle through (0,0) of least hidden total is rows 0-1, columns 0-1: 8 + 7 + 6.
    assert hidden(out) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert out.display()[3][3] == 84


def test_a_small_cell_in_a_3d_table_hides_a_box_and_every_margin_stays() -> None:
    counts = np.full((2, 2, 2), 20)
    counts[0, 0, 0] = 2
    out = suppress(counts)
    assert len(hidden(out)) == 8  # a 2 x 2 x 2 box of interior cells, no margin
    assert all(not out.table.is_margin(cell) for cell in hidden(out))
    assert out.report.primary == 1
    assert out.report.complementary == 7


def test_a_small_total_is_hidden_with_its_complements() -> None:
    out = suppress([[1, 2], [30, 40]])
    shown = out.display()
    assert shown[0][2] == "<5"  # the first row's total, 3, is itself small
    assert out.status[(0, 2)] is Status.PRIMARY
    assert all(not interval.exact for interval in out.intervals().values())


def test_zeros_are_published_unless_the_policy_hides_them() -> None:
    assert list(suppress([0, 12, 9]).display()) == [0, 12, 9, 21]
    strict = suppress([0, 12, 9], Policy(publish_zeros=False))
    assert strict.status[(0,)] is Status.PRIMARY
    assert strict.report.suppressed == 2


def test_the_threshold_and_the_mark_are_the_policy() -> None:
    out = suppress([7, 30, 40], Policy(threshold=10))
    assert out.display()[0] == "<10"
    assert suppress([3, 30, 40], Policy(mark="x")).display()[0] == "x"
    assert suppress([3, 30, 40], Policy(threshold=3)).report.suppressed == 0


def test_the_audit_finds_a_cell_that_primary_suppression_alone_gives_away() -> None:
    intervals = audit({(0,): None, (1,): 7, (2,): 10}, (3,), zeros_published=True)
    assert intervals[(0,)].exact
    assert intervals[(0,)].low == 3  # 10 - 7


def test_an_inconsistent_or_partial_published_table_is_refused() -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        audit({(0,): None, (1,): 7, (2,): 5}, (3,), zeros_published=True)
    with pytest.raises(ValueError, match="every cell"):
        audit({(0,): None, (2,): 5}, (3,), zeros_published=True)


@pytest.mark.parametrize(
    ("counts", "reason"),
    [
        (np.zeros((2, 2, 2, 2), dtype=int), "1 to 3 dimensions"),
        ([3, -1], "non-negative"),
        ([1.5, 2], "integers"),
        ([], "at least one cell"),
    ],
)
def test_what_is_not_a_count_table_is_refused(counts: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        CountTable(np.asarray(counts))


def test_a_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Policy(threshold=0)
