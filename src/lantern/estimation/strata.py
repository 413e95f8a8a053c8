"""Strata (e.g. sex or age group) estimated separately and added up.

Capture probabilities often differ by stratum; estimating each stratum on its own removes that
source of heterogeneity bias, and the national figure is the sum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import norm

from lantern.estimation.api import estimate
from lantern.estimation.result import Estimate, Interval
from lantern.estimation.table import CaptureTable


@dataclass(frozen=True)
class StratifiedEstimate:
    """Each stratum's Estimate and their sum, with how the summed interval was made."""

    strata: dict[str, Estimate]
    observed: int
    dark_figure: float
    estimate: float
    interval: Interval | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "observed": self.observed,
            "dark_figure": self.dark_figure,
            "estimate": self.estimate,
            "interval": self.interval.to_dict() if self.interval else None,
            "strata": {name: e.to_dict() for name, e in self.strata.items()},
        }


def combine(strata: Mapping[str, Estimate], level: float = 0.95) -> StratifiedEstimate:
    """Add stratum estimates. With bootstrap replicates in every stratum (independent
    resamples), the percentile interval of the summed replicates; otherwise a normal interval
    whose variance is the sum of variances read off each stratum's interval."""
    if not strata:
        raise ValueError("no strata to combine")
    ests = list(strata.values())
    total = sum(e.estimate for e in ests)
    interval: Interval | None = None
    reps = [np.asarray(e.replicates) for e in ests]
    if all(len(r) for r in reps) and len({len(r) for r in reps}) == 1:
        summed = np.sum(reps, axis=0)
        summed = summed[np.isfinite(summed)]
        a = (1 - level) / 2
        lo, hi = np.quantile(summed, [a, 1 - a], method="median_unbiased")
        interval = Interval(level, float(lo), float(hi), "percentile of summed stratum bootstraps")
    elif all(e.interval for e in ests):
        var = 0.0
        for e in ests:
            assert e.interval is not None
            z_e = norm.ppf(0.5 + e.interval.level / 2)
            var += ((e.interval.high - e.interval.low) / (2 * z_e)) ** 2
        z = float(norm.ppf(0.5 + level / 2))
        half = z * float(np.sqrt(var))
        interval = Interval(
            level, total - half, total + half, "normal, variances of stratum intervals added"
        )
    return StratifiedEstimate(
        strata=dict(strata),
        observed=sum(e.observed for e in ests),
        dark_figure=sum(e.dark_figure for e in ests),
        estimate=total,
        interval=interval,
    )


def estimate_strata(
    tables: Mapping[str, CaptureTable], level: float = 0.95, **options: Any
) -> StratifiedEstimate:
    """Estimate every stratum with the same method and settings, then combine."""
    return combine({name: estimate(t, level=level, **options) for name, t in tables.items()}, level)
