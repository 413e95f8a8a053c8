"""Pooling the estimates of linkage draws: one figure whose interval holds both uncertainties."""

from __future__ import annotations

import numpy as np

from lantern.estimation import CaptureTable, estimate
from lantern.estimation.pooled import pool
from lantern.estimation.study import SETTINGS, simulate_table


def _tables() -> list[CaptureTable]:
    rng = np.random.default_rng(3)
    return [simulate_table(SETTINGS[0], 1000, rng) for _ in range(6)]


def test_one_draw_repeated_keeps_its_figure_and_interval() -> None:
    e = estimate(_tables()[0], "main")
    pooled, values = pool([e] * 5, 0.95, np.random.default_rng(1))
    assert e.interval is not None and pooled.interval is not None
    assert abs(pooled.estimate / e.estimate - 1) < 0.01
    assert abs(pooled.interval.low / e.interval.low - 1) < 0.03
    assert abs(pooled.interval.high / e.interval.high - 1) < 0.03
    assert values.size == 5 * 400
    assert "pooled over 5 clusterings" in pooled.interval.method


def test_draws_that_disagree_widen_the_interval_to_hold_them() -> None:
    tables = _tables()
    low = estimate(tables[0], "main")
    # a draw whose table lost a third of the overlaps: a much larger estimate
    counts = tables[0].counts.copy()
    counts[2] -= counts[2] // 3
    counts[0] += counts[2] // 3
    high = estimate(tables[0].with_counts(counts), "main")
    pooled, _ = pool([low, high], 0.95, np.random.default_rng(2))
    assert pooled.interval is not None and low.interval is not None
    assert pooled.interval.low <= low.estimate and pooled.interval.high >= high.estimate
    assert pooled.interval.high - pooled.interval.low > low.interval.high - low.interval.low
    assert pooled.settings["estimate_over_draws"] == [low.estimate, high.estimate]


def test_posterior_draws_are_pooled_as_they_are() -> None:
    e = estimate(_tables()[1], "lcmcr", samples=100, burnin=500, thin=2, chains=2, seed=4)
    pooled, values = pool([e, e], 0.9, np.random.default_rng(5))
    assert set(np.unique(values)) <= set(e.replicates)
    assert pooled.interval is not None and pooled.interval.level == 0.9
