"""What a match probability reads as, defined once: the batch run links at the strong floor,
sends pairs between the possible floor and it to review, and every page that shows a band
instead of a probability (finding a child, the intake's candidates, matches elsewhere) uses
the same floors, so "strong" on a page is what the run links and "possible" what it reviews.
"""

from __future__ import annotations

#: Pairs at or above this probability are the same child, unless a person decided otherwise.
STRONG = 0.9
#: Pairs between this and :data:`STRONG` are uncertain: they go to the review queue.
POSSIBLE = 0.3
#: (floor, band), strongest first.
BANDS: tuple[tuple[float, str], ...] = ((STRONG, "strong"), (POSSIBLE, "possible"), (0.0, "weak"))


def band(probability: float) -> str:
    """The band a match probability falls in (a caseworker reads bands, not floats)."""
    return next(name for floor, name in BANDS if probability >= floor)
