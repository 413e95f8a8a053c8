"""One figure from many linkage draws: estimates pooled as a mixture.

Each linkage draw (a clustering sampled from the pair probabilities) gives its own table and
its own estimate with its own uncertainty. Their mixture is the distribution of the total when
both the linkage and the estimator are uncertain (multiple imputation's pooled posterior): the
figure is its median and the interval its equal-tailed quantiles. A draw contributes its
posterior or bootstrap draws when it has them (lcmcr, BCa), and otherwise draws from its
interval read as normal on the log of the dark figure (how the log-linear interval is made).
Every clustering weighs the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from lantern.estimation.result import Estimate, Interval

#: Values drawn from each linkage draw's estimate.
PER_DRAW = 400


def _draws_of(e: Estimate, rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
    reps = np.asarray(e.replicates, dtype=float)
    reps = reps[np.isfinite(reps)]
    if reps.size >= 10:
        return rng.choice(reps, size=n, replace=reps.size < n)
    if e.interval is None or e.dark_figure <= 0:
        return np.full(n, e.estimate)
    z = float(norm.ppf(0.5 + e.interval.level / 2))
    low = max(e.interval.low - e.observed, 1e-9)
    high = max(e.interval.high - e.observed, low)
    centre = np.log(max(e.dark_figure, 1e-9))
    sd = max(np.log(high) - centre, centre - np.log(low), 0.0) / z
    return e.observed + np.exp(centre + sd * rng.standard_normal(n))


def pool(
    estimates: Sequence[Estimate], level: float, rng: np.random.Generator
) -> tuple[Estimate, npt.NDArray[np.float64]]:
    """The pooled Estimate (median, equal-tailed interval) and the pooled values."""
    if not estimates:
        raise ValueError("no linkage draw gave an estimate")
    values = np.concatenate([_draws_of(e, rng, PER_DRAW) for e in estimates])
    tail = (1 - level) / 2
    median, low, high = (float(v) for v in np.quantile(values, [0.5, tail, 1 - tail]))
    observed = [e.observed for e in estimates]
    first = estimates[0]
    spread = [e.estimate for e in estimates]
    settings = dict(first.settings) | {
        "linkage_draws": len(estimates),
        "observed_over_draws": [min(observed), max(observed)],
        "estimate_over_draws": [min(spread), max(spread)],
    }
    observed_median = int(np.median(observed))
    pooled = replace(
        first,
        observed=observed_median,
        dark_figure=median - observed_median,
        estimate=median,
        interval=Interval(
            level,
            low,
            high,
            f"{first.interval.method if first.interval else 'point'}, pooled over "
            f"{len(estimates)} clusterings drawn from the pair probabilities",
        ),
        settings=settings,
        warnings=tuple(dict.fromkeys(w for e in estimates for w in e.warnings)),
        replicates=tuple(float(v) for v in values[:: max(1, values.size // 4000)]),
    )
    return pooled, values
