"""Profile-likelihood interval for the total under one fixed model (as Rcapture computes it).

The dark cell is put back with a trial count n0 and the model refitted to the full 2^K table;
the multinomial log-likelihood of N = n + n0, maximised over the other parameters, is compared
with its maximum against a chi-squared(1) cut-off. It is model-conditional: it ignores the
uncertainty of having chosen the model, which only the bootstrap counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

from lantern.estimation.fit import Fit, _layout, irls


@dataclass(frozen=True)
class ProfileInterval:
    """Maximiser of the multinomial profile likelihood (Rcapture's reported N) and limits."""

    mode: float
    low: float
    high: float


def profile_interval(fit: Fit, counts: npt.NDArray[np.integer], level: float) -> ProfileInterval:
    lay = _layout(fit.model, fit.minus_infinity)
    y_obs = counts[lay.keep].astype(np.float64)
    return profile_design(lay.X, y_obs, fit.beta, fit.intercept_var, level)


def profile_design(
    design: npt.NDArray[np.float64],
    y_obs: npt.NDArray[np.float64],
    beta: npt.NDArray[np.float64],
    intercept_var: float,
    level: float,
) -> ProfileInterval:
    """The same interval for any Poisson design whose first column is the intercept and whose
    other columns are 0 on the dark cell (the heterogeneity models' designs are of this form)."""
    X = np.vstack([np.eye(1, design.shape[1]), design])
    n = float(y_obs.sum())
    const = -float(np.sum(gammaln(y_obs + 1)))
    start = np.asarray(beta, dtype=np.float64)
    d_hat = float(np.exp(start[0]))

    def loglik(n0: float) -> float:
        y = np.concatenate([[n0], y_obs])
        _, mu, _ = irls(X, y, start)
        total = n + n0
        ll = gammaln(total + 1) - gammaln(n0 + 1) + const
        ll += float(np.sum(y_obs * np.log(mu[1:] / total)))
        if n0 > 0:
            ll += n0 * np.log(mu[0] / total)
        return float(ll)

    upper = max(10.0, d_hat * np.exp(6 * np.sqrt(intercept_var)) * 2)
    best = minimize_scalar(
        lambda v: -loglik(v), bounds=(0.0, upper), method="bounded", options={"xatol": 1e-4}
    )
    n0_hat = float(best.x)
    lmax = -float(best.fun)
    cut = lmax - chi2.ppf(level, 1) / 2

    def gap(v: float) -> float:
        return loglik(v) - cut

    low = 0.0 if gap(0.0) > 0 else brentq(gap, 0.0, n0_hat, xtol=1e-6)
    hi_end = max(upper, 2 * n0_hat + 10)
    while gap(hi_end) > 0:
        hi_end *= 2
        if hi_end > 1e12:
            return ProfileInterval(n + n0_hat, n + low, float("inf"))
    high = brentq(gap, n0_hat, hi_end, xtol=1e-6)
    return ProfileInterval(n + n0_hat, n + low, n + high)
