"""Model choice: SparseMSE stepwise, the Home Office AIC-stepwise, and minimum AIC / BIC.

Each chooser takes cell counts and returns the chosen fit (plus what the bootstrap needs), so
that the bootstrap can rerun exactly the same choice on every replicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import norm, poisson

from lantern.estimation.fit import Fit, Verdict, fit_model, full_design, verdict_error
from lantern.estimation.models import LogLinearModel, hierarchical_models

Criterion = Literal["aic", "bic"]

# MultipleSystemsEstimation's defaults by number of lists (SCV 2024).
DEFAULT_MAX_ORDER = {2: 1, 3: 2, 4: 3, 5: 3, 6: 2}
DEFAULT_NTOP: dict[int, float] = {2: np.inf, 3: np.inf, 4: 20, 5: 100, 6: 100}


def pairs(k: int) -> list[int]:
    """Two-list terms in SparseMSE's order: (1,2), (1,3), ..., (2,3), ..."""
    return [(1 << i) | (1 << j) for i, j in combinations(range(k), 2)]


@dataclass(frozen=True)
class Chosen:
    """A chosen fit and the order in which two-list terms entered (for SparseMSE notation)."""

    fit: Fit
    added: tuple[int, ...] = ()


def main_effects(counts: npt.NDArray[np.integer], k: int) -> Chosen:
    res = fit_model(LogLinearModel(k), counts, check=False)
    if isinstance(res, Verdict):  # pragma: no cover - main effects always fit
        raise verdict_error(res, "main effects")
    return Chosen(res)


def stepwise(counts: npt.NDArray[np.integer], k: int, threshold: float = 0.02) -> Chosen:
    """Chan, Silverman and Vincent (2021) forward stepwise over two-list terms.

    Each step adds the term whose observed overlap is least likely (two-sided Poisson tail)
    under the current fit, skipping terms whose model would fail either check; it stops when the
    smallest p-value is at or above ``threshold``. Ties go to the first pair, as in SparseMSE.
    """
    current = main_effects(counts, k).fit
    if threshold <= 0:
        return Chosen(current)
    terms = pairs(k)
    design = full_design(k)
    overlap = counts @ design[:, terms]
    included: list[int] = []
    while len(included) < len(terms):
        expected = current.fitted @ design[:, terms]
        pv = np.minimum(poisson.cdf(overlap, expected), poisson.sf(overlap - 1, expected))
        order = sorted(
            (p, j) for j, p in enumerate(pv.tolist()) if terms[j] not in included and p < threshold
        )
        for _, j in order:
            res = fit_model(current.model.plus(terms[j]), counts, beta0=None)
            if isinstance(res, Fit):
                current = res
                included.append(terms[j])
                break
        else:
            break
    return Chosen(current, tuple(included))


def aic_stepwise(counts: npt.NDArray[np.integer], k: int, threshold: float = 0.05) -> Chosen:
    """Bales, Hesketh and Silverman (2015), as in Silverman's modslavmse ``MSEfit``.

    Each step adds the two-list term giving the lowest AIC, if that lowers the AIC, and keeps it
    only if its Wald p-value is at most ``threshold``. A term whose MLE does not exist (glm would
    run it off towards minus infinity) has an unbounded standard error: p = 1.
    """
    current = main_effects(counts, k).fit
    aic0 = current.aic()
    terms = pairs(k)
    included: list[int] = []
    fits: dict[int, Fit | Verdict] = {}
    while len(included) < len(terms):
        fits = {}
        aics = np.full(len(terms), aic0)
        for j, t in enumerate(terms):
            if t in included:
                continue
            res = fit_model(current.model.plus(t), counts, check=True)
            fits[j] = res
            if isinstance(res, Fit):
                aics[j] = res.aic()
            elif res is Verdict.NO_MLE:
                loose = fit_model(current.model.plus(t), counts, check=False)
                aics[j] = loose.aic() if isinstance(loose, Fit) else np.inf
                fits[j] = Verdict.NO_MLE
        if aics.min() >= aic0:
            break
        j = int(np.argmin(aics))
        chosen = fits[j]
        if not isinstance(chosen, Fit):
            break
        est, se = chosen.coefficient(terms[j])
        pval = 1.0 if not np.isfinite(est) else float(2 * norm.sf(abs(est / se)))
        if pval > threshold:
            break
        aic0 = float(aics[j])
        current = chosen
        included.append(terms[j])
    return Chosen(current, tuple(included))


@dataclass(frozen=True)
class Ranked:
    """Models that pass both checks, ranked by the criterion (best first)."""

    fits: tuple[Fit, ...]
    scores: tuple[float, ...]
    criterion: Criterion
    considered: int
    failed: int


def rank_models(
    counts: npt.NDArray[np.integer],
    k: int,
    criterion: Criterion = "bic",
    max_order: int | None = None,
    models: Sequence[LogLinearModel] | None = None,
) -> Ranked:
    """Fit every hierarchical model up to ``max_order`` that passes the existence and rank
    checks and rank them by AIC or BIC (SCV 2024; BIC's sample size is the number observed)."""
    if models is None:
        order = max_order if max_order is not None else DEFAULT_MAX_ORDER.get(k, 2)
        models = hierarchical_models(k, order)
    scored: list[tuple[float, int, Fit]] = []
    failed = 0
    for i, m in enumerate(models):
        res = fit_model(m, counts)
        if isinstance(res, Verdict):
            failed += 1
            continue
        scored.append((res.bic() if criterion == "bic" else res.aic(), i, res))
    scored.sort(key=lambda s: (s[0], s[1]))
    return Ranked(
        fits=tuple(s[2] for s in scored),
        scores=tuple(s[0] for s in scored),
        criterion=criterion,
        considered=len(models),
        failed=failed,
    )
