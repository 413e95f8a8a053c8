"""The range under varying visibility: the figure's low to Mth Gamma3.5's high, or nothing
(with the reason) where Gamma3.5 cannot be fitted."""

from __future__ import annotations

import numpy as np
import pytest

from lantern.estimation import CaptureTable, estimate
from lantern.estimation.heterogeneity import Heterogeneity, fit_heterogeneity
from lantern.estimation.visibility import visibility_range

pytestmark = pytest.mark.pure

LISTS = ("A", "B", "C", "D")
SMALL = {
    (1, 0, 0, 0): 57, (0, 1, 0, 0): 91, (0, 0, 1, 0): 36, (0, 0, 0, 1): 118, (1, 1, 0, 0): 11,
    (1, 0, 1, 0): 5, (1, 0, 0, 1): 20, (0, 1, 1, 0): 14, (0, 1, 0, 1): 21, (0, 0, 1, 1): 9,
    (1, 1, 1, 0): 2, (1, 1, 0, 1): 5, (1, 0, 1, 1): 2, (0, 1, 1, 1): 1, (1, 1, 1, 1): 1,
}  # fmt: skip


def _heterogeneous(seed: int, n: int = 3000, spread: float = 1.0) -> CaptureTable:
    """Four agencies, each child's visibility z shared by all of them (logit-normal)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    base = np.array([-1.6, -1.3, -1.1, -0.9])
    p = 1 / (1 + np.exp(-(base[None, :] + spread * z[:, None])))
    seen = rng.random((n, 4)) < p
    seen = seen[seen.any(axis=1)]
    counts = np.zeros(16, dtype=np.int64)
    np.add.at(counts, seen @ (1 << np.arange(4)), 1)
    return CaptureTable(LISTS, counts[1:])


def test_the_range_runs_from_the_figures_low_to_the_highest_gamma_high() -> None:
    tables = [_heterogeneous(1), _heterogeneous(2)]
    e = estimate(tables[0], method="dga")
    assert e.interval is not None
    got, warnings = visibility_range(tables, e.interval.low, e.interval.high, 0.95, "dga")
    assert got is not None and warnings == []
    highs = [fit_heterogeneity(t, Heterogeneity.GAMMA35).high for t in tables]
    assert got.low == e.interval.low <= e.estimate <= e.interval.high <= got.high
    assert got.high == pytest.approx(max(max(highs), e.interval.high))
    # visibility varies here: dga falls short and Gamma3.5 reaches beyond its interval
    assert got.high > e.interval.high
    assert got.method == (
        "dga's low to Mth Gamma3.5's high (Rcapture; Rivest and Baillargeon 2007)"
    )
    assert "over 2 clusterings drawn" in got.basis and "not a confidence interval" in got.basis
    assert got.to_dict()["high"] == got.high


def test_two_lists_give_no_range_and_say_why() -> None:
    table = CaptureTable(("A", "B"), np.array([300, 250, 40]))
    got, warnings = visibility_range([table], 3000.0, 5000.0, 0.95, "main")
    assert got is None
    assert warnings == [
        "no range under varying visibility: Mth Gamma3.5 needs at least 3 lists, got 2; read "
        "the figure as a lower bound"
    ]


def test_a_degenerate_table_gives_no_range_and_its_reason() -> None:
    # nobody on two or more lists of B, C together and nobody on all three: no MLE for Mth
    table = CaptureTable.from_histories(
        ("A", "B", "C"), [((1, 0, 0), 300), ((0, 1, 0), 280), ((0, 0, 1), 250)]
    )
    got, warnings = visibility_range([table], 830.0, 900.0, 0.95, "dga")
    assert got is None
    assert len(warnings) == 1 and "cannot be fitted on these histories" in warnings[0]


def test_a_draw_gamma_cannot_fit_is_left_out_with_a_warning() -> None:
    bad = CaptureTable.from_histories(
        LISTS, [((1, 0, 0, 0), 300), ((0, 1, 0, 0), 280), ((0, 0, 1, 0), 250), ((0, 0, 0, 1), 9)]
    )
    good = _heterogeneous(3)
    got, warnings = visibility_range([good, bad], 1000.0, 1100.0, 0.95, "dga")
    assert got is not None
    assert got.high == pytest.approx(
        max(fit_heterogeneity(good, Heterogeneity.GAMMA35).high, 1100.0)
    )
    assert warnings == [
        "Mth Gamma3.5 could not be fitted on 1 of 2 clusterings; the range under varying "
        "visibility uses the others"
    ]


def test_a_small_table_gamma_cannot_bound_gives_a_range_without_an_upper_limit() -> None:
    """393 children on four lists (the simulator's 800-child independent world, true
    histories): Gamma3.5's profile has no upper limit, and the range says so instead of
    inventing one (one such clustering is enough: the least favourable)."""
    small = CaptureTable.from_histories(LISTS, list(SMALL.items()))
    assert fit_heterogeneity(small, Heterogeneity.GAMMA35).high == float("inf")
    got, warnings = visibility_range([_heterogeneous(5), small], 300.0, 600.0, 0.95, "dga")
    assert got is not None and got.low == 300.0
    assert got.high is None and not got.bounded and got.to_dict()["bounded"] is False
    assert warnings == [
        "if some children are much harder for every agency to find than others, these records "
        "set no upper limit on the number (Mth Gamma3.5's profile likelihood has none on 1 of "
        "2 clusterings): read the figure as a lower bound"
    ]
