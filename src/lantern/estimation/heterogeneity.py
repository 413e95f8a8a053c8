"""Rcapture's heterogeneity log-linear models: Mh and Mth with Chao (LB), Poisson2, Darroch
and Gamma3.5 (Rivest and Baillargeon 2007; Baillargeon and Rivest 2007, J. Stat. Softw. 19(5)).

Heterogeneous catchability (a child hard to find is hard for every agency) makes the cell of a
history depend on how many lists it is on, ``k = |w|``, beyond the main effects. These models
fit, by Poisson regression on the 2^t - 1 observed cells,

    log E[n_w] = mu + sum_j beta_j w_j + tau * f(|w|)       (Mth; Mh: a common beta * |w|)

with Rcapture's columns (R/internal.matrices.R): Poisson2 f(k) = 2^k - 1, Darroch f(k) = k^2/2,
Gamma3.5 f(k) = -log(3.5 + k) + log(3.5), and for Chao's lower bound the t - 2 columns
max(k - j + 1, 0), j = 3..t, whose negative coefficients are dropped one at a time, leftmost
first, and the model refitted (closedp's ``neg=TRUE``). Every column is 0 on the dark cell, so
the total is n + exp(mu). Rcapture keeps a negative tau in the other three models; so does this
module, with a warning. They are sensitivity models, not a cure: Link (2003) shows that the
observed cells cannot tell these mixtures apart, and each f gives its own total.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln
from scipy.stats import norm

from lantern.estimation.fit import EstimateDoesNotExist, full_design, irls, mle_exists_lp
from lantern.estimation.models import LogLinearModel
from lantern.estimation.profile import profile_design
from lantern.estimation.table import CaptureTable

FloatArray = npt.NDArray[np.float64]
MIN_LISTS = 3
GAMMA_THETA = 3.5
POISSON_THETA = 2.0


class Heterogeneity(Enum):
    """The form of f(|w|); the value is Rcapture's name for it."""

    NONE = ""
    CHAO = "Chao (LB)"
    POISSON2 = "Poisson2"
    DARROCH = "Darroch"
    GAMMA35 = "Gamma3.5"


class HeterogeneityError(ValueError):
    """A table on which a heterogeneity model cannot be fitted; the message says why."""


@dataclass(frozen=True)
class HeterogeneityFit:
    """One fitted model, reported as closedp reports it, with the profile-likelihood interval.

    ``estimate`` and ``stderr`` are Rcapture's Poisson estimate n + exp(mu) and its delta-method
    error sqrt(exp(mu) + exp(2 mu) var(mu)); ``low``/``high`` the multinomial profile-likelihood
    interval (closedpCI's). ``tau`` holds the heterogeneity coefficients kept in the model.
    """

    name: str
    observed: int
    estimate: float
    stderr: float
    low: float
    high: float
    deviance: float
    df: int
    aic: float
    tau: tuple[float, ...]
    dropped: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def dark_figure(self) -> float:
        return self.estimate - self.observed


def heterogeneity_columns(kind: Heterogeneity, nbcap: npt.NDArray[np.int64], t: int) -> FloatArray:
    """The columns Rcapture adds for heterogeneity, one row per cell (0 when |w| = 0)."""
    k = nbcap.astype(np.float64)
    if kind is Heterogeneity.NONE:
        return np.zeros((k.size, 0))
    if kind is Heterogeneity.CHAO:
        return np.column_stack([np.maximum(k - j + 1, 0.0) for j in range(3, t + 1)])
    if kind is Heterogeneity.POISSON2:
        col = POISSON_THETA**k - 1
    elif kind is Heterogeneity.DARROCH:
        col = k**2 / 2
    else:
        col = -np.log(GAMMA_THETA + k) + np.log(GAMMA_THETA)
    return col[:, None]


def model_name(kind: Heterogeneity, common: bool, model: LogLinearModel | None) -> str:
    """closedp's row name ("Mth Poisson2", "Mh Chao (LB)", "Mt"), with any interactions."""
    plain = kind is Heterogeneity.NONE
    base = {(True, True): "M0", (True, False): "Mh", (False, True): "Mt", (False, False): "Mth"}
    name = f"{base[common, plain]} {kind.value}".strip()
    if model is not None and model.terms:
        name += f" + {model.render()}"
    return name


def _base_design(k: int, common: bool, model: LogLinearModel | None) -> FloatArray:
    design = full_design(k).astype(np.float64)
    if common:
        return np.column_stack(
            [np.ones(design.shape[0]), design[:, [1 << i for i in range(k)]].sum(axis=1)]
        )
    params = (model or LogLinearModel(k)).parameters
    return design[:, list(params)]


def _poisson(X: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, float]:
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise HeterogeneityError(
            "the model's design is rank deficient on these lists, so the dark figure has no "
            "unique estimate (Darroch's k^2/2 column, for one, is the sum of all two-list "
            "interactions: it cannot be added to a model that holds them all)"
        )
    if not mle_exists_lp(X, y):
        raise EstimateDoesNotExist(
            "the maximum-likelihood estimate does not exist on these data (an empty margin: "
            "a list nobody is on, or no one on enough lists): the Fienberg-Rinaldo linear "
            "programme finds no strictly positive table with the observed margins"
        )
    beta, mu, converged = irls(X, y)
    if not converged:
        # irls's deviance test can stall on rounding noise where the fit is near perfect and
        # the counts large; the likelihood equations X'(y - mu) = 0 are the real criterion.
        score = np.abs(X.T @ (y - mu)) / np.maximum(1.0, np.abs(X).T @ y)
        converged = bool(np.all(np.isfinite(mu)) and score.max() < 1e-8)
    if not converged:
        raise HeterogeneityError("the Poisson fit did not converge on these data")
    var0 = float(np.linalg.inv((X.T * mu) @ X)[0, 0])
    return beta, mu, var0


def fit_heterogeneity(
    table: CaptureTable,
    kind: Heterogeneity,
    *,
    common: bool = False,
    model: LogLinearModel | None = None,
    level: float = 0.95,
    interval: bool = True,
) -> HeterogeneityFit:
    """Fit Mth (``common=False``) or Mh (``common=True``) with heterogeneity ``kind``.

    ``model`` adds list interactions to Mth (closedpCI's ``mX = ~ . + c1:c3``). Raises
    HeterogeneityError for fewer than 3 lists (Rcapture fits no heterogeneity model on 2: its
    column is then collinear with the main effects) or a rank-deficient design, and
    EstimateDoesNotExist when the MLE runs off to infinity.
    """
    t = table.k
    if t < MIN_LISTS and kind is not Heterogeneity.NONE:
        raise HeterogeneityError(
            f"heterogeneity models need at least {MIN_LISTS} lists, got {t}: with two lists "
            "the heterogeneity term cannot be told apart from the lists' own effects"
        )
    if common and model is not None and model.terms:
        raise HeterogeneityError("Mh has one common capture probability: no list interactions")
    if model is not None and model.k != t:
        raise HeterogeneityError(f"the model is for {model.k} lists, the table has {t}")
    cells = table.cells
    nbcap = np.array([int(c).bit_count() for c in cells], dtype=np.int64)
    base = _base_design(t, common, model)
    het = heterogeneity_columns(kind, nbcap, t)
    names = [f"eta{j}" for j in range(3, t + 1)] if kind is Heterogeneity.CHAO else ["tau"]
    y = table.counts.astype(np.float64)
    keep = list(range(het.shape[1]))
    dropped: list[str] = []
    while True:
        X = np.column_stack([base, het[:, keep]])
        try:
            beta, mu, var0 = _poisson(X, y)
        except EstimateDoesNotExist:
            # An eta that runs off to minus infinity (no one on all t lists, say): glm stops
            # at a large negative value and Rcapture drops it as negative; so do we.
            if kind is not Heterogeneity.CHAO or not keep:
                raise
            start, _, _ = irls(X, y)
            negative = [i for i, v in enumerate(start[base.shape[1] :]) if v < 0]
            if not negative:
                raise
            dropped.append(names[keep.pop(negative[0])])
            continue
        tau = beta[base.shape[1] :]
        negative = [i for i, v in enumerate(tau) if v < 0]
        if kind is not Heterogeneity.CHAO or not negative:
            break
        dropped.append(names[keep.pop(negative[0])])
    warnings: list[str] = []
    if dropped:
        warnings.append(
            f"negative {', '.join(dropped)} set to zero and the model refitted (Rcapture's "
            "neg=TRUE): the lower bound then extrapolates from fewer frequencies"
        )
    if kind is not Heterogeneity.CHAO and kind is not Heterogeneity.NONE and tau[0] < 0:
        warnings.append(
            f"tau = {tau[0]:.3g} < 0: these data show no heterogeneity of the {kind.value} "
            "form, and the estimate falls below the model without it (Rcapture keeps it too)"
        )
    dark = float(np.exp(beta[0]))
    stderr = float(np.sqrt(dark + dark**2 * var0))
    safe = np.where(y > 0, y, 1.0)
    deviance = float(2 * np.sum(np.where(y > 0, y * np.log(safe / mu), 0.0) - (y - mu)))
    loglik = float(np.sum(y * np.log(mu) - mu - gammaln(y + 1)))
    if interval:
        prof = profile_design(X, y, beta, var0, level)
        low, high = prof.low, prof.high
    else:
        z = float(norm.ppf(0.5 + level / 2))
        low, high = table.observed + dark - z * stderr, table.observed + dark + z * stderr
    return HeterogeneityFit(
        name=model_name(kind, common, model),
        observed=table.observed,
        estimate=table.observed + dark,
        stderr=stderr,
        low=max(low, float(table.observed)),
        high=high,
        deviance=deviance,
        df=int(X.shape[0] - X.shape[1]),
        aic=2 * X.shape[1] - 2 * loglik,
        tau=tuple(float(v) for v in tau),
        dropped=tuple(dropped),
        warnings=tuple(warnings),
    )


def closedp(table: CaptureTable, *, level: float = 0.95) -> list[HeterogeneityFit]:
    """Rcapture's closedp.t rows M0, Mt, Mh * and Mth * (not Mb, Mbh), each with its interval;
    a model that cannot be fitted on the table is left out."""
    kinds = [k for k in Heterogeneity if k is not Heterogeneity.NONE]
    plan = [(True, Heterogeneity.NONE), (False, Heterogeneity.NONE)]
    plan += [(True, k) for k in kinds] + [(False, k) for k in kinds]
    out: list[HeterogeneityFit] = []
    for common, kind in plan:
        try:
            out.append(fit_heterogeneity(table, kind, common=common, level=level))
        except (HeterogeneityError, EstimateDoesNotExist):
            continue
    return out
