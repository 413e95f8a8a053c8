"""Convergence of Markov chains: rank-normalised split R-hat, effective sample sizes and the
Monte Carlo error of quantiles (Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021).

A posterior summary from chains that have not mixed is not a result; these numbers are what the
estimate reports beside it, and what the tests use to size their tolerances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

FloatArray = npt.NDArray[np.float64]

#: R-hat above this: the chains disagree; the summary is not trustworthy (Vehtari et al. 2021).
RHAT_BAD = 1.05
#: R-hat above this: borderline; run longer before reporting.
RHAT_WARN = 1.01
#: Effective draws below this make the 2.5% and 97.5% quantiles too noisy to report.
ESS_MIN = 400


def _split(draws: FloatArray) -> FloatArray:
    """(draws, chains) -> (draws // 2, 2 * chains): each chain's halves as two chains."""
    half = draws.shape[0] // 2
    return np.hstack([draws[:half], draws[draws.shape[0] - half :]])


def _rank_normal(draws: FloatArray) -> FloatArray:
    """Normal scores of the pooled ranks (average ranks for ties)."""
    flat = draws.ravel()
    order = np.argsort(flat, kind="stable")
    ranks = np.empty(flat.size)
    ranks[order] = np.arange(1, flat.size + 1)
    # average the ranks of ties so integer-valued draws are treated symmetrically
    uniq, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    if uniq.size < flat.size:
        sums = np.bincount(inverse, weights=ranks)
        ranks = (sums / counts)[inverse]
    return ndtri((ranks - 0.375) / (flat.size + 0.25)).reshape(draws.shape)


def _rhat(chains: FloatArray) -> float:
    n = chains.shape[0]
    within = float(np.mean(np.var(chains, axis=0, ddof=1)))
    between = n * float(np.var(np.mean(chains, axis=0), ddof=1))
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


def rhat(draws: FloatArray) -> float:
    """Rank-normalised split R-hat, the larger of the bulk and the folded (tails) versions."""
    x = _split(np.asarray(draws, dtype=np.float64))
    bulk = _rhat(_rank_normal(x))
    folded = _rhat(_rank_normal(np.abs(x - np.median(x))))
    return max(bulk, folded)


def _ess(chains: FloatArray) -> float:
    """Multi-chain effective sample size with Geyer's initial monotone sequence (as Stan)."""
    n, m = chains.shape
    if n < 4:
        return float(n * m)
    centred = chains - chains.mean(axis=0)
    size = 1 << int(np.ceil(np.log2(2 * n)))
    spec = np.fft.rfft(centred, n=size, axis=0)
    acov = np.fft.irfft(spec * np.conj(spec), n=size, axis=0)[:n] / n
    var_within = acov[0] * n / (n - 1)
    within = float(np.mean(var_within))
    if within == 0:
        return float(n * m)
    var_plus = within * (n - 1) / n
    if m > 1:
        var_plus += float(np.var(chains.mean(axis=0), ddof=1))
    rho = 1.0 - (within - np.mean(acov, axis=1)) / var_plus
    rho[0] = 1.0
    # sums of adjacent pairs, kept while positive and made monotone
    pairs = rho[: (n // 2) * 2].reshape(-1, 2).sum(axis=1)
    negative = np.flatnonzero(pairs < 0)
    pairs = pairs[: negative[0]] if negative.size else pairs
    pairs = np.minimum.accumulate(pairs)
    tau = -1.0 + 2.0 * float(pairs.sum())
    return float(n * m / max(tau, 1.0 / np.log10(n * m)))


def ess_bulk(draws: FloatArray) -> float:
    return _ess(_rank_normal(_split(np.asarray(draws, dtype=np.float64))))


def ess_quantile(draws: FloatArray, prob: float) -> float:
    """Effective draws for the ``prob`` quantile: ESS of the indicator below it."""
    x = _split(np.asarray(draws, dtype=np.float64))
    return _ess((x <= np.quantile(x, prob)).astype(np.float64))


def ess_tail(draws: FloatArray) -> float:
    return min(ess_quantile(draws, 0.05), ess_quantile(draws, 0.95))


def quantile_mcse(draws: FloatArray, prob: float) -> float:
    """Monte Carlo standard error of the ``prob`` quantile: the spread of the draws' quantiles
    over +-1 standard error of the indicator's mean (Vehtari et al. 2021, section 4.4)."""
    x = np.asarray(draws, dtype=np.float64)
    ess = ess_quantile(x, prob)
    se = float(np.sqrt(prob * (1 - prob) / ess))
    lo, hi = np.quantile(x, [max(prob - se, 0.0), min(prob + se, 1.0)])
    return float(hi - lo) / 2


@dataclass(frozen=True)
class Convergence:
    """How far the chains can be trusted, and Monte Carlo errors of the reported quantiles."""

    rhat: float
    ess_bulk: float
    ess_tail: float
    mcse: dict[str, float]

    def warnings(self) -> list[str]:
        out = []
        if self.rhat > RHAT_BAD:
            out.append(
                f"the chains disagree (R-hat {self.rhat:.3f} > {RHAT_BAD}): the sampler has not "
                "converged; do not report this figure; run longer (--burnin, --samples)"
            )
        elif self.rhat > RHAT_WARN:
            out.append(
                f"R-hat {self.rhat:.3f} is above {RHAT_WARN}: run longer before reporting "
                "(--burnin, --samples)"
            )
        low = min(self.ess_bulk, self.ess_tail)
        if low < ESS_MIN:
            out.append(
                f"only {low:.0f} effective draws (fewer than {ESS_MIN}): the interval's ends are "
                "noisy; run longer (--samples, --thin)"
            )
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "rhat": self.rhat,
            "ess_bulk": self.ess_bulk,
            "ess_tail": self.ess_tail,
            "mcse": dict(self.mcse),
        }


def convergence(draws: FloatArray, probs: dict[str, float]) -> Convergence:
    """Diagnostics of ``draws[draw, chain]`` and the MCSE of each named quantile."""
    return Convergence(
        rhat=rhat(draws),
        ess_bulk=ess_bulk(draws),
        ess_tail=ess_tail(draws),
        mcse={name: quantile_mcse(draws, p) for name, p in probs.items()},
    )
