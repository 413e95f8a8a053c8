"""``estimate()``: one capture-history table in, one Estimate with provenance out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.stats import norm

from lantern.estimation.bootstrap import (
    BootstrapRun,
    IntArray,
    bootstrap_ranked,
    bootstrap_refit,
)
from lantern.estimation.dga import MAX_LISTS as DGA_MAX_LISTS
from lantern.estimation.dga import dga
from lantern.estimation.fit import (
    EstimateDoesNotExist,
    Fit,
    check_model,
    fit_model,
    fit_or_raise,
    verdict_error,
)
from lantern.estimation.merge import dga_merged
from lantern.estimation.models import LogLinearModel, bits, parse_model
from lantern.estimation.posterior import lcmcr
from lantern.estimation.profile import profile_interval
from lantern.estimation.result import Estimate, Interval
from lantern.estimation.selection import (
    DEFAULT_MAX_ORDER,
    DEFAULT_NTOP,
    Chosen,
    Criterion,
    aic_stepwise,
    main_effects,
    rank_models,
    stepwise,
)
from lantern.estimation.table import CaptureTable

Method = Literal["main", "stepwise", "aic", "bic", "aic-stepwise", "fixed", "lcmcr", "dga"]
METHODS: tuple[str, ...] = (
    "main",
    "stepwise",
    "aic",
    "bic",
    "aic-stepwise",
    "fixed",
    "lcmcr",
    "dga",
)
#: The method ``lantern count`` and the estimate page use by default, by the number of lists:
#: Madigan-York model averaging from 3 lists; beyond 5 (dga's range) the smallest lists are
#: merged down to 5 first, and the result says which. Chosen by measurement: docs/estimation.md,
#: "Linkage uncertainty carried into the count" and "More than five lists".
RECOMMENDED = "recommended"


def recommended_method(lists: int) -> str:
    """The estimator recommended for a table of ``lists`` lists."""
    if lists < 3:
        return "main"
    return "dga"


#: Methods that are posterior summaries (no log-linear model, no bootstrap).
BAYESIAN: frozenset[str] = frozenset({"lcmcr", "dga"})
INTERVALS: tuple[str, ...] = ("normal", "profile", "bca")

_DESCRIBE = {
    "main": "main effects only (independent lists)",
    "stepwise": "SparseMSE forward stepwise over two-list terms (Chan, Silverman, Vincent 2021)",
    "aic": "minimum AIC over hierarchical models (Silverman, Chan, Vincent 2024)",
    "bic": "minimum BIC over hierarchical models (Silverman, Chan, Vincent 2024)",
    "aic-stepwise": "AIC stepwise with Wald p-value (Bales, Hesketh, Silverman 2015)",
    "fixed": "one fixed model",
}


@dataclass(frozen=True)
class _Choice:
    chosen: Chosen
    settings: dict[str, Any]
    warnings: tuple[str, ...]
    boot_models: tuple[LogLinearModel, ...] = ()


def _choose(
    table: CaptureTable,
    method: str,
    threshold: float | None,
    max_order: int | None,
    model: str | None,
    ntop: int | None,
) -> _Choice:
    k, counts = table.k, table.counts
    if method == "main":
        return _Choice(main_effects(counts, k), {}, ())
    if method == "stepwise":
        th = 0.02 if threshold is None else threshold
        return _Choice(stepwise(counts, k, th), {"threshold": th}, ())
    if method == "aic-stepwise":
        th = 0.05 if threshold is None else threshold
        return _Choice(aic_stepwise(counts, k, th), {"threshold": th}, ())
    if method == "fixed":
        if model is None:
            raise ValueError("method 'fixed' needs a model, e.g. --model '[12,23]' or 'A:B+B:C'")
        m = parse_model(model, table.lists)
        verdict = check_model(m, counts)
        if verdict:
            raise verdict_error(verdict, m.render())
        return _Choice(Chosen(fit_or_raise(m, counts)), {"model": m.render()}, ())
    if method in ("aic", "bic"):
        order = max_order if max_order is not None else DEFAULT_MAX_ORDER.get(k, 2)
        ranked = rank_models(counts, k, "bic" if method == "bic" else "aic", order)
        if not ranked.fits:
            raise EstimateDoesNotExist(
                f"no hierarchical model up to order {order} passes the existence and "
                "identifiability checks on these data, so there is no estimate to give"
            )
        top = ntop if ntop is not None else DEFAULT_NTOP.get(k, 100)
        n_top = int(min(top, len(ranked.fits)))
        warnings = []
        if ranked.failed:
            warnings.append(
                f"{ranked.failed} of {ranked.considered} models failed the existence or "
                "identifiability check and were left out"
            )
        settings = {
            "max_order": order,
            "models_considered": ranked.considered,
            "models_valid": len(ranked.fits),
            "ntop": n_top,
            method: ranked.scores[0],
        }
        boot = tuple(f.model for f in ranked.fits[:n_top])
        return _Choice(Chosen(ranked.fits[0]), settings, tuple(warnings), boot)
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def _total_only(
    table: CaptureTable, method: str, settings: Mapping[str, Any]
) -> Callable[[IntArray], float]:
    """The estimator as counts -> total, for the bootstrap to rerun on every replicate."""
    k = table.k
    if method == "main":
        return lambda c: main_effects(c, k).fit.total
    if method == "stepwise":
        return lambda c: stepwise(c, k, settings["threshold"]).fit.total
    if method == "aic-stepwise":
        return lambda c: aic_stepwise(c, k, settings["threshold"]).fit.total
    model = parse_model(settings["model"], table.lists)

    def fixed(c: IntArray) -> float:
        res = fit_model(model, c)
        return res.total if isinstance(res, Fit) else float("nan")

    return fixed


def estimate(
    table: CaptureTable,
    method: str = "stepwise",
    *,
    threshold: float | None = None,
    max_order: int | None = None,
    ntop: int | None = None,
    model: str | None = None,
    bootstrap: int = 0,
    seed: int | None = None,
    level: float = 0.95,
    interval: str | None = None,
    replicates: IntArray | None = None,
    classes: int | None = None,
    samples: int | None = None,
    burnin: int | None = None,
    thin: int | None = None,
    chains: int | None = None,
    max_total: float | None = None,
) -> Estimate:
    """Estimate the total (observed + dark figure) from a capture-history table.

    ``replicates`` (rows = bootstrap tables of cell counts, e.g. R's own draws, as the tests
    redraw them with ``tests/estimation/rstream.py``) replaces the seeded multinomial draw;
    ``bootstrap`` is then its number of rows. Raises EstimateDoesNotExist / NotIdentifiable
    (never a number) when the chosen or fixed model has no maximum-likelihood estimate or cannot
    identify the dark figure.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")
    mcmc = dict(classes=classes, samples=samples, burnin=burnin, thin=thin, chains=chains)
    if max_total is not None and method != "dga":
        raise ValueError(f"--max-total goes with --method dga, not {method!r}")
    if method in BAYESIAN:
        if bootstrap or replicates is not None or interval not in (None, "posterior"):
            raise ValueError(f"method {method!r} gives a posterior interval; it takes no bootstrap")
        if method == "dga":
            given = [name for name, v in mcmc.items() if v is not None]
            if given:
                raise ValueError(f"--{given[0]} goes with --method lcmcr, not 'dga'")
            if table.k > DGA_MAX_LISTS:
                return dga_merged(table, level=level, max_total=max_total)
            return dga(table, level=level, max_total=max_total)
        return lcmcr(
            table,
            classes=classes,
            samples=samples,
            burnin=burnin,
            thin=thin,
            chains=chains,
            seed=seed,
            level=level,
        )
    given = [name for name, v in mcmc.items() if v is not None]
    if given:
        raise ValueError(f"--{given[0]} goes with --method lcmcr, not {method!r}")
    if replicates is not None:
        replicates = _check_replicates(replicates, table)
        bootstrap = len(replicates)
    if bootstrap < 0:
        raise ValueError(f"bootstrap must be 0 or more replicates, got {bootstrap}")
    conditional = "normal" if method in ("main", "stepwise", "fixed") else "profile"
    kind = interval or ("bca" if bootstrap else conditional)
    if kind not in INTERVALS:
        raise ValueError(f"unknown interval {kind!r}; choose one of {', '.join(INTERVALS)}")
    if kind == "bca" and bootstrap < 10:
        raise ValueError("a BCa interval needs --bootstrap N with N >= 10 replicates")
    choice = _choose(table, method, threshold, max_order, model, ntop)
    fit = choice.chosen.fit
    final = check_model(fit.model, table.counts)
    if final:
        raise verdict_error(final, fit.model.render())
    warnings = list(choice.warnings)
    settings: dict[str, Any] = {"description": _DESCRIBE[method], **choice.settings}
    if fit.minus_infinity:
        dead = ", ".join(":".join(table.lists[i] for i in bits(t)) for t in fit.minus_infinity)
        warnings.append(f"lists never overlap ({dead}): their term is fitted at minus infinity")
    replicate_totals: tuple[float, ...] = ()
    z = float(norm.ppf(0.5 + level / 2))
    if kind == "normal":
        sd = float(np.sqrt(fit.intercept_var))
        lo, hi = (table.observed + np.exp(fit.beta[0] + s * z * sd) for s in (-1, 1))
        ci = Interval(level, float(lo), float(hi), "normal on log dark figure, model-conditional")
        warnings.append("interval ignores the uncertainty of choosing the model; use --bootstrap")
    elif kind == "profile":
        prof = profile_interval(fit, table.counts, level)
        ci = Interval(
            level, prof.low, prof.high, "profile likelihood (multinomial), model-conditional"
        )
        settings["profile_mode"] = prof.mode
        warnings.append("interval ignores the uncertainty of choosing the model; use --bootstrap")
    else:
        rng = np.random.default_rng(seed)
        run: BootstrapRun
        if method in ("aic", "bic"):
            crit: Criterion = "bic" if method == "bic" else "aic"
            models = list(choice.boot_models)
            run = bootstrap_ranked(table.counts, models, crit, bootstrap, rng, replicates)
        else:
            total_of = _total_only(table, method, settings)
            run = bootstrap_refit(table.counts, total_of, bootstrap, rng, replicates)
        lo, hi = run.limits(fit.total, level)
        ci = Interval(level, lo, hi, "BCa bootstrap, model choice redone in every replicate")
        stream = "numpy PCG64" if replicates is None else "supplied replicate tables"
        settings.update(
            {"bootstrap": bootstrap, "seed": seed, "stream": stream, "acceleration": run.ahat}
        )
        bad = int(np.sum(~np.isfinite(run.replicates)))
        if bad:
            warnings.append(f"{bad} bootstrap replicates had no valid model and were dropped")
        replicate_totals = tuple(float(r) for r in run.replicates)
    if fit.dark_figure > 10 * table.observed:
        warnings.append("dark figure exceeds ten times the observed: the estimate is fragile")
    return Estimate(
        lists=table.lists,
        observed=table.observed,
        dark_figure=fit.dark_figure,
        estimate=fit.total,
        interval=ci,
        model_terms=tuple(fit.model.named_terms(table.lists)),
        model=fit.model.render(),
        model_sparsemse=_sparsemse(fit, choice.chosen.added, table.lists),
        minus_infinity=tuple(tuple(table.lists[i] for i in bits(t)) for t in fit.minus_infinity),
        method=method,
        settings=settings,
        warnings=tuple(warnings),
        replicates=replicate_totals,
    )


def _check_replicates(replicates: IntArray, table: CaptureTable) -> IntArray:
    """Supplied replicate tables must be whole-number cell counts of the table's people."""
    reps = np.asarray(replicates)
    if reps.ndim != 2 or reps.shape[1] != table.counts.shape[0]:
        raise ValueError(
            f"replicates must be a 2-D array with {table.counts.shape[0]} cell counts per row, "
            f"got shape {reps.shape}"
        )
    if not np.issubdtype(reps.dtype, np.integer) or (reps < 0).any():
        raise ValueError("replicates must hold non-negative whole-number counts")
    bad = np.flatnonzero(reps.sum(axis=1) != table.observed)
    if bad.size:
        raise ValueError(
            f"replicate row {int(bad[0])} has {int(reps[bad[0]].sum())} people; every "
            f"multinomial replicate must have the observed {table.observed}"
        )
    return reps.astype(np.int64)


def _sparsemse(fit: Fit, added: tuple[int, ...], lists: tuple[str, ...]) -> str:
    """SparseMSE notation with two-list terms in the order stepwise added them."""
    order = [*added, *(t for t in fit.model.terms if t not in added)]
    live = [t for t in order if t not in fit.minus_infinity]
    text = "+".join(":".join(lists[i] for i in bits(t)) for t in live) or "main"
    if fit.minus_infinity:
        dead = "+".join(":".join(lists[i] for i in bits(t)) for t in fit.minus_infinity)
        text += f" [-inf: {dead}]"
    return text
