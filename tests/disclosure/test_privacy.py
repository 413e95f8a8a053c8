"""Differentially private counts through OpenDP: the budget stated, the noise as promised."""

from __future__ import annotations

import math

import pytest

from lantern.disclosure.privacy import private_counts


def test_the_budget_is_stated_and_the_table_adds_up() -> None:
    out = private_counts([[3, 0, 12], [40, 7, 1]], epsilon=0.5)
    assert out.epsilon == pytest.approx(0.5)
    assert out.delta == 0
    assert out.scale == pytest.approx(2.0)
    full = out.table.full
    assert full.shape == (3, 4)
    assert (full >= 0).all()
    assert full[-1, -1] == out.table.counts.sum()
    assert (full[:-1, -1] == out.table.counts.sum(axis=1)).all()


def test_a_child_in_two_cells_doubles_the_noise_for_the_same_budget() -> None:
    out = private_counts([5, 5], epsilon=1.0, contributions=2)
    assert out.scale == pytest.approx(2.0)
    assert out.epsilon == pytest.approx(1.0)


def test_the_noise_is_centred_with_the_discrete_laplace_spread() -> None:
    # 2,000 cells of 50 at epsilon 1 (scale 1): the discrete Laplace variance is
    # 2 e^(-1/b) / (1 - e^(-1/b))^2 = 1.84; the bounds below are six standard errors wide.
    draws = private_counts([50] * 2000, epsilon=1.0).table.counts
    variance = 2 * math.exp(-1) / (1 - math.exp(-1)) ** 2
    assert abs(draws.mean() - 50) < 0.2
    assert abs(draws.var() - variance) < 0.3 * variance
    assert len(set(draws.tolist())) > 3  # noisy, not the count itself


@pytest.mark.parametrize(("epsilon", "contributions"), [(0, 1), (-1, 1), (1, 0)])
def test_a_budget_that_protects_nothing_is_refused(epsilon: float, contributions: int) -> None:
    with pytest.raises(ValueError, match=r"epsilon|contributes"):
        private_counts([5], epsilon=epsilon, contributions=contributions)
