"""Period-over-period change in a count, and whether it is more than chance alone would give.

Pure (SciPy only): two counts of consecutive periods of the same length are compared by the
exact conditional test for two Poisson counts. If both periods had the same underlying rate,
the later count given the sum of the two is Binomial(sum, 1/2); the two-sided p-value of the
later count under that binomial says how surprising the change is (Przyborowski and
Wilenski, 1940). A hidden figure (disclosure control) is never tested: its change is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import binomtest

#: A change is called beyond chance below this p-value.
ALPHA = 0.05


@dataclass(frozen=True)
class Change:
    period: str
    count: int | None  # None: hidden
    change: int | None = None  # against the previous period
    relative: float | None = None  # change / previous count (None from zero or unknown)
    p_value: float | None = None
    beyond_chance: bool = False


def poisson_change_p(previous: int, current: int) -> float:
    """Two-sided exact p-value that two Poisson counts over equal periods share one rate."""
    if previous < 0 or current < 0:
        raise ValueError("counts are never negative")
    total = previous + current
    if total == 0:
        return 1.0
    return float(binomtest(current, total, 0.5).pvalue)


def changes(series: Sequence[tuple[str, int | None]], alpha: float = ALPHA) -> list[Change]:
    """Each period's count with its change from the period before and that change's test."""
    out: list[Change] = []
    previous: int | None = None
    for i, (period, count) in enumerate(series):
        if i == 0 or count is None or previous is None:
            out.append(Change(period, count))
        else:
            p = poisson_change_p(previous, count)
            out.append(
                Change(
                    period,
                    count,
                    change=count - previous,
                    relative=(count - previous) / previous if previous else None,
                    p_value=p,
                    beyond_chance=p < alpha,
                )
            )
        previous = count
    return out


def periods_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last``: years ("2023"), quarters ("2023 Q2") or
    months ("2023-05"), so that a period nobody was counted in shows as zero, not missing."""
    if len(first) == 4:
        return [str(y) for y in range(int(first), int(last) + 1)]
    if "Q" in first:
        (y0, q0), (y1, q1) = (map(int, p.split(" Q")) for p in (first, last))
        return [
            f"{y} Q{q}"
            for y in range(y0, y1 + 1)
            for q in range(1, 5)
            if (y, q) >= (y0, q0) and (y, q) <= (y1, q1)
        ]
    (y0, m0), (y1, m1) = (map(int, p.split("-")) for p in (first, last))
    return [
        f"{y}-{m:02d}"
        for y in range(y0, y1 + 1)
        for m in range(1, 13)
        if (y, m) >= (y0, m0) and (y, m) <= (y1, m1)
    ]
