"""How estimates fare over many worlds of known truth: error, coverage and interval width.

The count studies (``count_study``, ``count_other_worlds``, ``six_lists``) keep each world's
figure as ``[estimate, low, high]`` in a row beside its ``true`` size, and summarise the same
way. A plain module (it imports no other benchmark), so it loads both when a benchmark runs as
a script (``benchmarks/`` first on the path) and when tests import ``benchmarks.<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from lantern.estimation import Estimate


def figure(e: Estimate | None) -> list[float] | None:
    """An estimate as a row keeps it, ``[estimate, low, high]``; None without an interval."""
    if e is None or e.interval is None:
        return None
    return [e.estimate, e.interval.low, e.interval.high]


@dataclass(frozen=True)
class Measures:
    """One group of worlds' figures against their truth."""

    errors: list[float]  # relative error per world: estimate / truth - 1
    covering: int  # worlds whose interval holds the truth
    widths: list[float]  # interval width per world, relative to the truth

    @property
    def worlds(self) -> int:
        return len(self.errors)

    @property
    def median_error(self) -> float:
        return float(np.median(self.errors))

    @property
    def median_abs_error(self) -> float:
        return float(np.median(np.abs(self.errors)))

    @property
    def median_width(self) -> float:
        return float(np.median(self.widths))

    def error_range(self, lead: str = "") -> str:
        """The median error and its range, ``+2% (-4% to +5%)``; ``lead`` opens the range
        (``"from "``)."""
        low, high = min(self.errors), max(self.errors)
        return f"{self.median_error:+.0%} ({lead}{low:+.0%} to {high:+.0%})"

    def within(self, share: float) -> int:
        """Worlds whose estimate lands within ``share`` of the truth (0.2: within 20%)."""
        return sum(abs(e) <= share for e in self.errors)


def measures(rows: Iterable[Mapping[str, Any]], kind: str) -> Measures | None:
    """The measures of the rows' ``kind`` figures against their ``true`` sizes, skipping rows
    with no figure; None when no row has one."""
    got = [(r[kind], float(r["true"])) for r in rows if r[kind] is not None]
    if not got:
        return None
    return Measures(
        errors=[v[0] / n - 1 for v, n in got],
        covering=sum(v[1] <= n <= v[2] for v, n in got),
        widths=[(v[2] - v[1]) / n for v, n in got],
    )
