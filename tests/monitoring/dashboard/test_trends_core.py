"""The trend core: changes, the exact test of two Poisson counts, gaps filled."""

from __future__ import annotations

import pytest
from scipy.stats import poisson

from lantern.monitoring.dashboard.trends import changes, periods_between, poisson_change_p

pytestmark = pytest.mark.pure


def test_a_doubling_of_large_counts_is_beyond_chance_and_of_small_ones_is_not() -> None:
    big = changes([("2022", 100), ("2023", 200)])[1]
    assert big.change == 100 and big.relative == pytest.approx(1.0)
    assert big.p_value is not None and big.p_value < 1e-8 and big.beyond_chance
    small = changes([("2022", 5), ("2023", 10)])[1]
    assert small.change == 5 and not small.beyond_chance  # p ~ 0.30: chance can do that
    assert small.p_value == pytest.approx(0.3018, abs=1e-3)


def test_the_test_holds_its_level_under_equal_rates() -> None:
    """Under one Poisson rate the chance of calling a change is at most alpha (exact test)."""
    rate, alpha, level = 20.0, 0.05, 0.0
    for a in range(80):
        for b in range(80):
            if poisson_change_p(a, b) < alpha:
                level += poisson.pmf(a, rate) * poisson.pmf(b, rate)
    assert 0.01 < level <= alpha


def test_a_hidden_figure_is_never_tested_and_the_first_period_has_no_change() -> None:
    out = changes([("2021", 12), ("2022", None), ("2023", 30), ("2024", 31)])
    assert out[0].change is None and out[0].p_value is None
    assert out[1].count is None and out[1].change is None
    assert out[2].change is None  # its previous figure is hidden
    assert out[3].change == 1 and not out[3].beyond_chance
    assert changes([("2022", 0), ("2023", 7)])[1].relative is None  # no ratio from zero
    assert poisson_change_p(0, 0) == 1.0
    with pytest.raises(ValueError):
        poisson_change_p(-1, 3)


def test_periods_between_fills_years_quarters_and_months() -> None:
    assert periods_between("2021", "2023") == ["2021", "2022", "2023"]
    assert periods_between("2022 Q3", "2023 Q2") == ["2022 Q3", "2022 Q4", "2023 Q1", "2023 Q2"]
    assert periods_between("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
