"""Bayesian estimates as the command reports them: the posterior median of the total, an
equal-tailed interval, and whether the chains can be trusted."""

from __future__ import annotations

from typing import Any

import numpy as np

from lantern.estimation.latent import Posterior, Prior, Schedule, sample
from lantern.estimation.mcmc import convergence
from lantern.estimation.result import Estimate, Interval
from lantern.estimation.table import CaptureTable

#: Chains, burn-in, thinning and draws per chain when none are given. Four chains make R-hat
#: meaningful. The burn-in is R's 100,000 iterations: on UKdat and UKdat_5 chains can sit in a
#: low start-up state for tens of thousands of iterations (8 chains after 20,000: R-hat 1.25 to
#: 1.7, medians 5-22% low), and these tables also revisit it now and then. Then 1,000 draws a
#: chain, one every 50 iterations: 150,000 iterations a chain (docs/estimation.md).
DEFAULT_SCHEDULE = Schedule(samples=1000, burnin=100_000, thin=50, chains=4)
#: Share of draws with every class occupied above which K is too small for the data (a few
#: missed people in every class is common when the dark figure is large; most draws is not).
_TRUNCATION_SHARE = 0.5


def lcmcr(
    table: CaptureTable,
    *,
    classes: int | None = None,
    samples: int | None = None,
    burnin: int | None = None,
    thin: int | None = None,
    chains: int | None = None,
    a: float = 0.25,
    b: float = 0.25,
    seed: int | None = None,
    level: float = 0.95,
) -> Estimate:
    """Latent-class estimate (Manrique-Vallier 2016; R's LCMCR): posterior median of the total
    and its equal-tailed interval, with R-hat, effective sample sizes and Monte Carlo errors."""
    d = DEFAULT_SCHEDULE
    schedule = Schedule(
        samples=d.samples if samples is None else samples,
        burnin=d.burnin if burnin is None else burnin,
        thin=d.thin if thin is None else thin,
        chains=d.chains if chains is None else chains,
    )
    prior = Prior(classes=10 if classes is None else classes, a=a, b=b)
    if seed is None:
        # an unseeded run still says which seed repeats it
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    post = sample(table, prior, schedule, seed)
    return summarise(post, level)


def summarise(post: Posterior, level: float = 0.95) -> Estimate:
    """The Estimate of a finished run."""
    tail = (1 - level) / 2
    probs = {"median": 0.5, "low": tail, "high": 1 - tail}
    draws = post.totals.astype(np.float64)
    med, lo, hi = (float(v) for v in np.quantile(draws, [0.5, tail, 1 - tail]))
    conv = convergence(draws, probs)
    warnings = conv.warnings()
    k = post.prior.classes
    full = float(np.mean(post.occupied >= k))
    if full > _TRUNCATION_SHARE:
        warnings.append(
            f"all {k} latent classes are in use in {full:.0%} of the draws: the truncation may "
            "bind; rerun with more --classes"
        )
    if med - post.observed > 10 * post.observed:
        warnings.append("dark figure exceeds ten times the observed: the estimate is fragile")
    s = post.schedule
    settings: dict[str, Any] = {
        "description": "latent classes, Dirichlet-process mixture (Manrique-Vallier 2016, "
        "R's LCMCR)",
        "classes": k,
        "a_alpha": post.prior.a,
        "b_alpha": post.prior.b,
        "burnin": s.burnin,
        "thin": s.thin,
        "samples": s.samples,
        "chains": s.chains,
        "seed": post.seed,
        "posterior_mean": float(draws.mean()),
        "occupied_classes": {
            "median": float(np.median(post.occupied)),
            "max": int(post.occupied.max()),
        },
        "convergence": conv.to_dict(),
    }
    return Estimate(
        lists=post.lists,
        observed=post.observed,
        dark_figure=med - post.observed,
        estimate=med,
        interval=Interval(level, lo, hi, "equal-tailed posterior interval"),
        model_terms=(),
        model=f"latent classes, K = {k}",
        model_sparsemse="",
        minus_infinity=(),
        method="lcmcr",
        settings=settings,
        warnings=tuple(warnings),
        replicates=tuple(float(v) for v in draws.ravel()),
    )
