"""The range under varying visibility: the figure's own low to Mth Gamma3.5's high.

The count's methods (dga first) assume that a child's chance of being on a list does not vary
from child to child beyond what the lists' interactions absorb; where some children are much
harder for every agency to find, they underestimate. Rcapture's Mth Gamma3.5 (Rivest and
Baillargeon 2007) models exactly that mixing and overshoots as it grows, so the hull of the
figure's interval and Gamma3.5's profile interval -- in practice [the figure's low, Gamma3.5's
high] -- is a sensitivity range: in the 150 heterogeneous worlds of
``benchmarks/bench_heterogeneity.py`` it held the truth every time, at two to four times dga's
width where visibility does not vary (docs/estimation.md). It is not a confidence interval,
it does not correct list dependence, and Gamma3.5 is never the figure. On small tables (a few
hundred children on four lists) Gamma3.5's profile likelihood often has no upper limit at all:
the range then says so (``high`` None), which is what the data can tell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lantern.estimation.heterogeneity import MIN_LISTS, Heterogeneity, fit_heterogeneity
from lantern.estimation.table import CaptureTable

MODEL = "Mth Gamma3.5"
SOURCE = "Rcapture; Rivest and Baillargeon 2007"


@dataclass(frozen=True)
class VisibilityRange:
    """``low``: the figure's own interval low (so it carries whatever the interval carries, the
    linkage draws included); ``high``: the largest of the figure's interval high and Gamma3.5's
    profile-likelihood high over the tables given, or None when, on some table, Gamma3.5's
    profile has no upper limit (the records then bound the number from below only)."""

    low: float
    high: float | None
    level: float
    method: str
    basis: str

    @property
    def bounded(self) -> bool:
        return self.high is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "bounded": self.bounded,
            "level": self.level,
            "method": self.method,
            "basis": self.basis,
        }


def gamma_high(table: CaptureTable, level: float) -> float:
    """Mth Gamma3.5's profile-likelihood high on one table (``inf`` when the profile has no
    upper limit: the data cannot bound the number under this model). ValueError/ArithmeticError
    when the model cannot be fitted there (fewer than 3 lists, no MLE, rank deficient) or when
    its bounded profile interval does not hold the model's own estimate (seen with a negative
    tau on sparse tables, where the profile runs off along a ridge): no number rather than one
    that means nothing."""
    fit = fit_heterogeneity(table, Heterogeneity.GAMMA35, level=level)
    if math.isfinite(fit.high) and not fit.low <= fit.estimate <= fit.high:
        raise ArithmeticError(
            f"{MODEL}'s profile interval ({fit.low:,.0f} to {fit.high:,.0f}) does not hold its "
            f"own estimate ({fit.estimate:,.0f}) here"
        )
    return fit.high


def visibility_range(
    tables: Sequence[CaptureTable],
    low: float,
    high: float,
    level: float,
    figure_method: str,
) -> tuple[VisibilityRange | None, list[str]]:
    """The range under varying visibility and the warnings about it (English; pure library).

    ``tables`` are the capture histories the figure was estimated from: one table, or every
    clustering drawn from the linkage. ``low``/``high`` are the figure's interval. The range's
    low is that low: the pooled interval already carries the linkage draws, and Gamma3.5 adds
    nothing below it (its estimate exceeds dga's once visibility varies). Its high is the
    highest Gamma3.5 high over the tables (never below the interval's high): each draw's high
    is an upper bound as if that clustering were true, and the links are uncertain, so the
    range keeps the least favourable clustering drawn rather than a central one -- with 20
    draws an upper quantile would be nearly the maximum anyway, and the range is meant to be
    wide enough, not tight. By the same rule, one clustering on which Gamma3.5's profile has no
    upper limit leaves the range without one (``high`` None, with a warning). A table Gamma3.5
    cannot be fitted on is left out with a warning; when none can be, there is no range
    (None), never a guess.
    """
    if not tables:
        return None, ["no capture histories: no range under varying visibility"]
    if tables[0].k < MIN_LISTS:
        return None, [
            f"no range under varying visibility: {MODEL} needs at least {MIN_LISTS} lists, "
            f"got {tables[0].k}; read the figure as a lower bound"
        ]
    highs: list[float] = []
    reasons: list[str] = []
    for table in tables:
        try:
            highs.append(gamma_high(table, level))
        except (ValueError, ArithmeticError) as exc:
            reasons.append(str(exc))
    if not highs:
        return None, [
            f"no range under varying visibility: {MODEL} cannot be fitted on these histories "
            f"({reasons[0]}); read the figure as a lower bound"
        ]
    many = len(tables) > 1
    warnings = []
    if reasons:
        warnings.append(
            f"{MODEL} could not be fitted on {len(reasons)} of {len(tables)} clusterings; the "
            "range under varying visibility uses the others"
        )
    top = max(highs)
    if not math.isfinite(top):
        unbounded = sum(not math.isfinite(h) for h in highs)
        warnings.append(
            "if some children are much harder for every agency to find than others, these "
            f"records set no upper limit on the number ({MODEL}'s profile likelihood has none"
            + (f" on {unbounded} of {len(highs)} clusterings" if many else "")
            + "): read the figure as a lower bound"
        )
    basis = (
        f"{figure_method}'s {level:.0%} low; the highest {level:.0%} profile-likelihood high "
        f"of {MODEL} over {len(highs)} "
        + ("clusterings drawn from the linkage" if many else "table")
        + " (none when one has no upper limit); a sensitivity range, not a confidence interval"
    )
    return (
        VisibilityRange(
            low=low,
            high=max(top, high) if math.isfinite(top) else None,
            level=level,
            method=f"{figure_method}'s low to {MODEL}'s high ({SOURCE})",
            basis=basis,
        ),
        warnings,
    )
