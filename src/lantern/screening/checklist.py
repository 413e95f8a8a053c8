"""The caseworker's indicator checklist for one ILO/EC list, grouped by dimension.

Plain-language prompts are built from a question per dimension and the indicator's label, so the
catalogue stays the one source of indicators; the page and translations come later.
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.screening.catalogue import Catalogue, load_catalogue
from lantern.screening.vocabulary import (
    DIMENSION_LABELS,
    DIMENSIONS,
    PROFILES,
    Dimension,
    Profile,
    Strength,
)

_QUESTIONS: dict[Dimension, str] = {
    "D1": "When the person was recruited or moved, were they lied to? {label}",
    "D2": "Was the person forced or pressed to go? {label}",
    "D3": "Did the recruiter take advantage of the person's situation? {label}",
    "D4": "Where the person works or lives now: {label}",
    "D5": "At the destination, is the person kept under control by: {label}",
    "D6": "At the destination, does the exploiter take advantage of: {label}",
}
_STRENGTH_HELP: dict[Strength, str] = {
    "S": "Strong: together with any one more indicator of this dimension it makes the "
    "dimension positive.",
    "M": "Medium: three medium, two medium and a weak, or one with a strong indicator make "
    "the dimension positive.",
    "W": "Weak: never enough alone; counts only beside medium or strong indicators.",
}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One indicator to ask about; answer yes, no or unknown (unknown is never no)."""

    indicator_id: str
    dimension: Dimension
    dimension_label: str
    label: str
    strength: Strength
    question: str
    strength_help: str
    provisional: bool


def checklist(profile: Profile, catalogue: Catalogue | None = None) -> list[ChecklistItem]:
    """Indicators of `profile`'s list, ordered D1..D6, strongest first within a dimension."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    catalogue = catalogue or load_catalogue()
    provisional = not catalogue.verified or profile in catalogue.provisional_profiles
    items = []
    for dimension in DIMENSIONS:
        for indicator in catalogue.for_dimension(dimension):
            strength = indicator.strength(profile)
            if strength is None:
                continue
            items.append(
                ChecklistItem(
                    indicator_id=indicator.id,
                    dimension=dimension,
                    dimension_label=DIMENSION_LABELS[dimension],
                    label=indicator.label,
                    strength=strength,
                    question=_QUESTIONS[dimension].format(label=indicator.label),
                    strength_help=_STRENGTH_HELP[strength],
                    provisional=provisional,
                )
            )
    order = {"S": 0, "M": 1, "W": 2}
    return sorted(items, key=lambda i: (i.dimension, order[i.strength]))
