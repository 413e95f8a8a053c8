"""Maximum-likelihood fit of a log-linear Poisson model to the observed cells.

A small Newton / IRLS in NumPy instead of a GLM library: model selection and bootstrap fit the
same few design matrices hundreds of thousands of times, so designs are cached and replicates
are fitted in batches. Parameters whose margin is empty are fixed at minus infinity and the cells
they cover are dropped (Chan, Silverman and Vincent 2021; the "extended" MLE).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.special import gammaln

from lantern.estimation.models import LogLinearModel

FloatArray = npt.NDArray[np.float64]
MAX_ITER = 100
_TOL = 1e-11


class Verdict(IntFlag):
    """Outcome of the existence and identifiability checks (SparseMSE's error codes)."""

    OK = 0
    NO_MLE = 1
    NOT_IDENTIFIABLE = 2


class EstimateDoesNotExist(ValueError):
    """The maximum-likelihood estimate does not exist (Fienberg–Rinaldo LP)."""


class NotIdentifiable(ValueError):
    """The model's parameters, and so the dark figure, are not identifiable (rank check)."""


def verdict_error(verdict: Verdict, model_name: str) -> ValueError:
    """The exception that explains a failed check, naming the model."""
    if verdict & Verdict.NOT_IDENTIFIABLE:
        return NotIdentifiable(
            f"model {model_name} is not identifiable on these data: once the cells of lists that "
            "never overlap are removed, its design matrix is rank deficient, so the dark figure "
            "has no unique estimate"
            + (" (and the maximum-likelihood estimate does not exist)" if verdict & 1 else "")
        )
    return EstimateDoesNotExist(
        f"the maximum-likelihood estimate for model {model_name} does not exist on these data: "
        "the Fienberg-Rinaldo linear programme finds no strictly positive table with the "
        "observed margins, so the fitted dark figure would run off to infinity"
    )


@lru_cache(maxsize=64)
def full_design(k: int) -> npt.NDArray[np.int8]:
    """0/1 matrix of cells (rows 1..2^K-1) by terms (columns 0..2^K-1): cell contains term."""
    cells = np.arange(1, 2**k)[:, None]
    terms = np.arange(2**k)[None, :]
    return ((cells & terms) == terms).astype(np.int8)


@dataclass(frozen=True)
class Layout:
    """The cells and columns a model is fitted on once its empty margins are at minus infinity."""

    keep: npt.NDArray[np.bool_]
    columns: tuple[int, ...]
    minus_infinity: tuple[int, ...]
    X: FloatArray


@lru_cache(maxsize=200_000)
def _layout(model: LogLinearModel, minus_infinity: tuple[int, ...]) -> Layout:
    design = full_design(model.k)
    keep = np.ones(design.shape[0], dtype=bool)
    for t in minus_infinity:
        keep &= design[:, t] == 0
    cols = tuple(p for p in model.parameters if p not in minus_infinity)
    X = design[np.ix_(keep, cols)].astype(np.float64)
    return Layout(keep, cols, minus_infinity, X)


def layout(model: LogLinearModel, counts: npt.NDArray[np.integer]) -> Layout:
    """Fix at minus infinity every parameter whose margin (sum of cells containing it) is 0."""
    design = full_design(model.k)
    params = np.asarray(model.parameters[1:], dtype=np.int64)
    margins = counts @ design[:, params]
    dead = tuple(int(t) for t, m in zip(params, margins, strict=True) if m == 0)
    return _layout(model, dead)


@lru_cache(maxsize=200_000)
def _rank_ok(model: LogLinearModel, minus_infinity: tuple[int, ...]) -> bool:
    X = _layout(model, minus_infinity).X
    return X.shape[0] >= X.shape[1] and int(np.linalg.matrix_rank(X)) == X.shape[1]


def mle_exists_lp(X: FloatArray, y: FloatArray) -> bool:
    """Fienberg–Rinaldo (2012): the MLE exists iff some table with every cell > 0 has the
    observed margins X'y. Solve max s subject to X'm = X'y, m >= s, m >= 0."""
    n_cells, n_par = X.shape
    c = np.zeros(n_cells + 1)
    c[-1] = -1.0
    a_eq = np.hstack([X.T, np.zeros((n_par, 1))])
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=np.zeros(n_cells),
        A_eq=a_eq,
        b_eq=X.T @ y,
        bounds=[(0, None)] * n_cells + [(0, 1.0)],
        method="highs",
    )
    return bool(res.status == 0 and -res.fun > 1e-9)


def positive_certificate(X: FloatArray, y: FloatArray, mu: FloatArray) -> bool:
    """True when the fit proves the MLE exists: correcting ``mu`` to satisfy the likelihood
    equations X'm = X'y exactly moves no cell by half its value, so a strictly positive table
    with the observed margins exists (the Fienberg-Rinaldo condition) without solving the LP.
    Where the MLE does not exist the correction cancels the vanishing cells and this fails."""
    r = X.T @ (y - mu)
    try:
        delta = X @ np.linalg.solve(X.T @ X, r)
    except np.linalg.LinAlgError:
        return False
    return bool(np.all(np.abs(delta) < 0.5 * mu))


def check_model(model: LogLinearModel, counts: npt.NDArray[np.integer]) -> Verdict:
    """Both checks, always run exactly (for reporting; the fitting path takes shortcuts)."""
    lay = layout(model, counts)
    verdict = Verdict.OK
    if not _rank_ok(model, lay.minus_infinity):
        verdict |= Verdict.NOT_IDENTIFIABLE
    if not mle_exists_lp(lay.X, counts[lay.keep].astype(np.float64)):
        verdict |= Verdict.NO_MLE
    return verdict


@dataclass(frozen=True)
class Fit:
    """A converged fit: the extended MLE of one model on one table."""

    model: LogLinearModel
    beta: FloatArray
    columns: tuple[int, ...]
    minus_infinity: tuple[int, ...]
    fitted: FloatArray  # all 2^K - 1 cells, 0 where dropped
    intercept_var: float
    loglik: float
    observed: int

    @property
    def dark_figure(self) -> float:
        return float(np.exp(self.beta[0]))

    @property
    def total(self) -> float:
        return self.observed + self.dark_figure

    @property
    def n_params(self) -> int:
        """Every parameter of the model, those at minus infinity included (as glm counts them)."""
        return len(self.model.parameters)

    def aic(self) -> float:
        return 2 * self.n_params - 2 * self.loglik

    def bic(self) -> float:
        return self.n_params * np.log(self.observed) - 2 * self.loglik

    def coefficient(self, term: int) -> tuple[float, float]:
        """(estimate, standard error) of one parameter; (-inf, inf) at minus infinity."""
        if term in self.minus_infinity:
            return (-np.inf, np.inf)
        j = self.columns.index(term)
        lay = _layout(self.model, self.minus_infinity)
        mu = self.fitted[lay.keep]
        cov = np.linalg.inv((lay.X.T * mu) @ lay.X)
        return float(self.beta[j]), float(np.sqrt(cov[j, j]))


def irls(
    X: FloatArray, y: FloatArray, beta0: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, bool]:
    """Poisson IRLS (as glm.fit, started at y + 0.1); returns beta, fitted, converged."""
    if beta0 is None:
        mu = y + 0.1
        eta = np.log(mu)
    else:
        eta = X @ beta0
        mu = np.exp(eta)
    dev_old = np.inf
    beta = np.zeros(X.shape[1])
    ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
    for _ in range(MAX_ITER):
        z = eta + (y - mu) / mu
        xtw = X.T * mu
        try:
            beta = np.linalg.solve(xtw @ X, xtw @ z)
        except np.linalg.LinAlgError:
            return beta, mu, False
        eta = np.clip(X @ beta, -700, 700)
        mu = np.exp(eta)
        dev = 2.0 * float(np.sum(ylogy - y * eta - (y - mu)))
        if abs(dev - dev_old) <= _TOL * (abs(dev) + 0.1):
            return beta, mu, True
        dev_old = dev
    return beta, mu, False


def fit_model(
    model: LogLinearModel,
    counts: npt.NDArray[np.integer],
    *,
    check: bool = True,
    beta0: FloatArray | None = None,
) -> Fit | Verdict:
    """Fit ``model``; with ``check`` return the failed Verdict instead of a meaningless fit."""
    lay = layout(model, counts)
    if check and lay.minus_infinity and not _rank_ok(model, lay.minus_infinity):
        return Verdict.NOT_IDENTIFIABLE
    y = counts[lay.keep].astype(np.float64)
    if beta0 is not None and beta0.shape[0] != lay.X.shape[1]:
        beta0 = None
    beta, mu, converged = irls(lay.X, y, beta0)
    if check:
        if not (converged and positive_certificate(lay.X, y, mu)) and not mle_exists_lp(lay.X, y):
            return Verdict.NO_MLE
        if not converged:
            beta, mu, converged = irls(lay.X, y)
    xtw = lay.X.T * mu
    try:
        var0 = float(np.linalg.inv(xtw @ lay.X)[0, 0])
    except np.linalg.LinAlgError:
        return Verdict.NOT_IDENTIFIABLE
    fitted = np.zeros(counts.shape[0])
    fitted[lay.keep] = mu
    loglik = float(np.sum(y * np.log(np.maximum(mu, 1e-300)) - mu - gammaln(y + 1)))
    return Fit(
        model=model,
        beta=beta,
        columns=lay.columns,
        minus_infinity=lay.minus_infinity,
        fitted=fitted,
        intercept_var=var0,
        loglik=loglik,
        observed=int(counts.sum()),
    )


def fit_or_raise(model: LogLinearModel, counts: npt.NDArray[np.integer]) -> Fit:
    res = fit_model(model, counts)
    if isinstance(res, Verdict):
        raise verdict_error(res, model.render())
    return res
