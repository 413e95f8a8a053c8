"""The intake says "very likely the same child" exactly where the batch run would link."""

from __future__ import annotations

from lantern.protection.intake.compare import why
from lantern.protection.intake.service import Match
from lantern.recordlinkage import DEFAULT_THRESHOLD


def _match(probability: float) -> Match:
    return Match(1, "REF-1", "a", "2024-01-01", "open", "linkage", probability=probability)


def test_very_likely_from_the_link_threshold_and_possibly_below_it() -> None:
    assert why(_match(DEFAULT_THRESHOLD)).startswith("Very likely")
    assert why(_match(DEFAULT_THRESHOLD - 0.01)).startswith("Possibly")
