"""ILO/EC dimension rule: is a dimension (D1-D6) positive, not positive, or still open?

Positive with 2 strong; 1 strong + 1 medium or weak; 3 medium; or 2 medium + 1 weak (weak alone
never). "Unknown" never counts as "no": a dimension that would become positive if its unknown
indicators turned out "yes" is `insufficient_data`, not `not_positive`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lantern.screening.catalogue import Catalogue
from lantern.screening.vocabulary import (
    DIMENSION_LABELS,
    DIMENSIONS,
    Answer,
    Dimension,
    DimensionResult,
    Profile,
    Strength,
)


def meets_threshold(strengths: Iterable[Strength]) -> bool:
    """The brochure's combination rule over the strengths of indicators present."""
    n = Counter(strengths)
    s, m, w = n["S"], n["M"], n["W"]
    return s >= 2 or (s >= 1 and m + w >= 1) or m >= 3 or (m >= 2 and w >= 1)


@dataclass(frozen=True, slots=True)
class DimensionFinding:
    """One dimension's result with the counts behind it."""

    dimension: Dimension
    result: DimensionResult
    strong: int
    medium: int
    weak: int
    unknown: int

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self.dimension]


def assess_dimension(
    dimension: Dimension,
    answers: Mapping[str, Answer],
    catalogue: Catalogue,
    profile: Profile,
) -> DimensionFinding:
    """Evaluate one dimension; indicators not answered are unknown."""
    present: list[Strength] = []
    possible: list[Strength] = []
    unknown = 0
    for indicator in catalogue.for_dimension(dimension):
        strength = indicator.strength(profile)
        if strength is None:
            continue
        answer = answers.get(indicator.id, "unknown")
        if answer == "yes":
            present.append(strength)
            possible.append(strength)
        elif answer == "unknown":
            possible.append(strength)
            unknown += 1
    if meets_threshold(present):
        result: DimensionResult = "positive"
    elif meets_threshold(possible):
        result = "insufficient_data"
    else:
        result = "not_positive"
    n = Counter(present)
    return DimensionFinding(dimension, result, n["S"], n["M"], n["W"], unknown)


def assess_dimensions(
    answers: Mapping[str, Answer], catalogue: Catalogue, profile: Profile
) -> dict[Dimension, DimensionFinding]:
    """All six dimensions for one indicator list."""
    return {d: assess_dimension(d, answers, catalogue, profile) for d in DIMENSIONS}
