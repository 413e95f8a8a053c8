"""BCa bootstrap intervals that redo the model choice in every replicate.

Resampling is multinomial over the observed histories; the acceleration comes from a jackknife
over distinct histories, each weighted by its count (Chan, Silverman and Vincent 2021, s. 3.3;
Silverman, Chan and Vincent 2024 for BIC among the ``ntop`` best models).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln
from scipy.stats import norm

from lantern.estimation.fit import (
    _TOL,
    MAX_ITER,
    FloatArray,
    _layout,
    _rank_ok,
    full_design,
    mle_exists_lp,
)
from lantern.estimation.models import LogLinearModel
from lantern.estimation.selection import Criterion

IntArray = npt.NDArray[np.int64]


def resample(counts: IntArray, n_boot: int, rng: np.random.Generator) -> IntArray:
    """``n_boot`` multinomial resamples of the observed individuals (rows = replicates)."""
    n = int(counts.sum())
    return rng.multinomial(n, counts / n, size=n_boot).astype(np.int64)


def jackknife(counts: IntArray) -> tuple[IntArray, IntArray]:
    """Delete-one tables, one per distinct observed history, and each history's count."""
    cells = np.flatnonzero(counts > 0)
    tables = np.repeat(counts[None, :], len(cells), axis=0)
    tables[np.arange(len(cells)), cells] -= 1
    return tables, counts[cells]


def acceleration(jack_totals: FloatArray, weights: IntArray) -> float:
    """BCa acceleration from jackknife totals, each counted as often as its history occurs."""
    w = weights.astype(np.float64)
    d = np.sum(w * jack_totals) / w.sum() - jack_totals
    denom = np.sum(w * d**2)
    if not np.isfinite(denom) or denom <= 0:
        return 0.0
    return float(np.sum(w * d**3) / (6.0 * denom**1.5))


# Replicates this close (relative) to the estimate are the same number up to the fit's rounding.
TIE_TOLERANCE = 1e-8


def proportion_below(reps: FloatArray, estimate: float) -> float:
    """Share of replicates below the estimate, ties counted as half.

    Why half: on small tables many replicates reproduce the original model's margins and so the
    original estimate itself (Korea stepwise: 7 of 1,000 equal 268.777...). R's ``mean(boot <
    est)`` then counts whichever ties its glm rounding happens to leave below; half of them is
    the deterministic, symmetric rule (mid-p), and where there are no ties it is R's rule.
    """
    tol = TIE_TOLERANCE * max(abs(estimate), 1.0)
    below = np.sum(reps < estimate - tol)
    ties = np.sum(np.abs(reps - estimate) <= tol)
    return float((below + 0.5 * ties) / len(reps))


def bca_limits(reps: FloatArray, estimate: float, ahat: float, probs: FloatArray) -> FloatArray:
    """BCa quantiles (Efron 1987) with R's type-8 quantile rule, as SparseMSE computes them."""
    reps = reps[np.isfinite(reps)]
    z0 = norm.ppf(proportion_below(reps, estimate))
    za = norm.ppf(probs)
    za0 = za + z0
    q = norm.cdf(z0 + za0 / (1 - ahat * za0))
    return np.asarray(np.quantile(reps, q, method="median_unbiased"), dtype=np.float64)


@dataclass(frozen=True)
class BootstrapRun:
    """Replicate totals, jackknife totals and acceleration of one bootstrap."""

    replicates: FloatArray
    jack_totals: FloatArray
    jack_weights: IntArray
    ahat: float

    def limits(self, estimate: float, level: float) -> tuple[float, float]:
        a = (1 - level) / 2
        lo, hi = bca_limits(self.replicates, estimate, self.ahat, np.array([a, 1 - a]))
        return float(lo), float(hi)


def bootstrap_refit(
    counts: IntArray,
    total_of: Callable[[IntArray], float],
    n_boot: int,
    rng: np.random.Generator,
    tables: IntArray | None = None,
) -> BootstrapRun:
    """Rerun a whole estimator (``total_of``: counts -> total) on every replicate; ``tables``
    are replicates drawn elsewhere (e.g. R's stream, ``tests/estimation/rstream.py``) used
    instead of ``rng``."""
    boots = resample(counts, n_boot, rng) if tables is None else tables
    reps = np.array([total_of(b) for b in boots])
    jt, jw = jackknife(counts)
    jack = np.array([total_of(t) for t in jt])
    return BootstrapRun(reps, jack, jw, acceleration(jack, jw))


def irls_batch(
    X: FloatArray, Y: FloatArray
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Poisson IRLS of many count vectors (rows of Y) on one design; beta, fitted, converged."""
    mu = Y + 0.1
    eta = np.log(mu)
    ylogy = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)
    dev_old = np.full(Y.shape[0], np.inf)
    converged = np.zeros(Y.shape[0], dtype=bool)
    beta = np.zeros((Y.shape[0], X.shape[1]))
    for _ in range(MAX_ITER):
        z = eta + (Y - mu) / mu
        xtw = np.einsum("cp,bc->bpc", X, mu)
        a = xtw @ X
        rhs = np.einsum("bpc,bc->bp", xtw, z)
        try:
            beta = np.linalg.solve(a, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(a[0], rhs[0], rcond=None)[0][None, :] if len(a) == 1 else beta
            break
        eta = np.clip(beta @ X.T, -700, 700)
        mu = np.exp(eta)
        dev = 2.0 * np.sum(ylogy - Y * eta - (Y - mu), axis=1)
        converged = np.abs(dev - dev_old) <= _TOL * (np.abs(dev) + 0.1)
        if converged.all():
            break
        dev_old = dev
    return beta, mu, converged


def _certified(X: FloatArray, Y: FloatArray, mu: FloatArray) -> npt.NDArray[np.bool_]:
    r = (Y - mu) @ X
    delta = np.linalg.solve(X.T @ X, r.T).T @ X.T
    return np.asarray(np.all(np.abs(delta) < 0.5 * mu, axis=1))


def fit_replicates(
    model: LogLinearModel, tables: IntArray, criterion: Criterion
) -> tuple[FloatArray, FloatArray]:
    """Totals and criterion values of one model on many tables; NaN where a check fails."""
    design = full_design(model.k)
    params = np.asarray(model.parameters[1:], dtype=np.int64)
    dead_mask = (tables @ design[:, params]) == 0
    totals = np.full(len(tables), np.nan)
    scores = np.full(len(tables), np.nan)
    patterns: dict[tuple[int, ...], list[int]] = {}
    for i, row in enumerate(dead_mask):
        patterns.setdefault(tuple(int(t) for t in params[row]), []).append(i)
    lp_cache: dict[bytes, bool] = {}
    n_params = len(model.parameters)
    for dead, idx in patterns.items():
        if dead and not _rank_ok(model, dead):
            continue
        lay = _layout(model, dead)
        rows = np.asarray(idx)
        Y = tables[rows][:, lay.keep].astype(np.float64)
        beta, mu, conv = irls_batch(lay.X, Y)
        ok = conv & _certified(lay.X, Y, mu)
        for j in np.flatnonzero(~ok):
            key = (Y[j] > 0).tobytes()
            if key not in lp_cache:
                lp_cache[key] = mle_exists_lp(lay.X, Y[j])
            ok[j] = lp_cache[key]
            if ok[j] and not conv[j]:
                b1, m1, _ = irls_batch(lay.X, Y[j : j + 1])
                beta[j], mu[j] = b1[0], m1[0]
        n = Y.sum(axis=1)
        loglik = np.sum(Y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(Y + 1), axis=1)
        penalty = n_params * np.log(n) if criterion == "bic" else 2.0 * n_params
        totals[rows] = np.where(ok, n + np.exp(beta[:, 0]), np.nan)
        scores[rows] = np.where(ok, penalty - 2 * loglik, np.nan)
    return totals, scores


def select_among(
    models: list[LogLinearModel], tables: IntArray, criterion: Criterion
) -> FloatArray:
    """For each table, the total of the best-scoring model among ``models`` that passes."""
    totals = np.empty((len(models), len(tables)))
    scores = np.empty_like(totals)
    for m, model in enumerate(models):
        totals[m], scores[m] = fit_replicates(model, tables, criterion)
    filled = np.where(np.isnan(scores), np.inf, scores)
    best = np.argmin(filled, axis=0)
    out = totals[best, np.arange(len(tables))]
    out[~np.isfinite(filled.min(axis=0))] = np.nan
    return out


def bootstrap_ranked(
    counts: IntArray,
    models: list[LogLinearModel],
    criterion: Criterion,
    n_boot: int,
    rng: np.random.Generator,
    tables: IntArray | None = None,
) -> BootstrapRun:
    """SCV (2024): every replicate and jackknife table picks its best among the ``models``
    (the ``ntop`` best on the original data)."""
    boots = resample(counts, n_boot, rng) if tables is None else tables
    reps = select_among(models, boots, criterion)
    jt, jw = jackknife(counts)
    jack = select_among(models, jt, criterion)
    return BootstrapRun(reps, jack, jw, acceleration(jack, jw))
