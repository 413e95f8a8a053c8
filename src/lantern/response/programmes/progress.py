"""Progress against a target: the figures by year, their uncertainty, and the plain rule that
says whether the target is on track. Plain values in and out (the service fetches them).

The rule, as the page states it (``RULE``): the expected figure for a year lies on the
straight line from the baseline (its value in its year) to the target (its value in the year
of its date). The target is *met* when the latest complete year's figure has reached the
target value; *on track* when that figure is no worse than the line; *behind* when it is worse
and so is its whole uncertainty interval; *uncertain* when it is worse but its interval
reaches the line. The current year is shown but not judged: its count is not complete yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scipy.stats import chi2

#: the confidence of every interval Lantern computes for a count
LEVEL = 0.95


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    UNCERTAIN = "uncertain"
    BEHIND = "behind"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Point:
    """One year's figure and where it comes from."""

    year: int
    value: float
    low: float | None  # None: the source gives no uncertainty
    high: float | None
    partial: bool  # the year is not over: shown, never judged
    source: str
    method: str
    scope: str
    computed_at: str


@dataclass(frozen=True)
class Assessment:
    status: Status
    year: int | None  # the year judged
    expected: float | None  # the line's value that year


def poisson_interval(count: int, level: float = LEVEL) -> tuple[float, float]:
    """The exact (Garwood) interval of a Poisson count: what the count could have been, given
    the same underlying rate, at ``level`` confidence."""
    alpha = 1 - level
    low = 0.0 if count == 0 else float(chi2.ppf(alpha / 2, 2 * count) / 2)
    high = float(chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2)
    return low, high


def expected(
    year: int, *, baseline_year: int, baseline: float, target_year: int, target: float
) -> float:
    """The straight line from the baseline to the target, read at ``year`` (flat outside)."""
    if target_year <= baseline_year:
        return target
    share = min(max((year - baseline_year) / (target_year - baseline_year), 0.0), 1.0)
    return baseline + (target - baseline) * share


def assess(
    points: list[Point],
    *,
    decrease: bool,
    baseline_year: int,
    baseline: float,
    target_year: int,
    target: float,
) -> Assessment:
    """Judge the latest complete year after the baseline by the rule above."""
    judged = [p for p in points if not p.partial and p.year > baseline_year]
    if not judged:
        return Assessment(Status.NO_DATA, None, None)
    last = max(judged, key=lambda p: p.year)
    line = expected(
        last.year,
        baseline_year=baseline_year,
        baseline=baseline,
        target_year=target_year,
        target=target,
    )

    def better(value: float, than: float) -> bool:
        return value <= than if decrease else value >= than

    if better(last.value, target):
        return Assessment(Status.MET, last.year, line)
    if better(last.value, line):
        return Assessment(Status.ON_TRACK, last.year, line)
    reach = last.low if decrease else last.high
    if reach is not None and better(reach, line):
        return Assessment(Status.UNCERTAIN, last.year, line)
    return Assessment(Status.BEHIND, last.year, line)
