"""The bands a page shows instead of a match probability sit on the run's own floors: what a
page calls "strong" is what the batch run links, "possible" what it sends to review."""

from __future__ import annotations

from lantern.recordlinkage import DEFAULT_REVIEW_FLOOR, DEFAULT_THRESHOLD
from lantern.recordlinkage.bands import band


def test_bands_follow_the_link_threshold_and_the_review_floor() -> None:
    assert band(1.0) == band(DEFAULT_THRESHOLD) == "strong"
    assert band(DEFAULT_THRESHOLD - 1e-9) == band(DEFAULT_REVIEW_FLOOR) == "possible"
    assert band(DEFAULT_REVIEW_FLOOR - 1e-9) == band(0.0) == "weak"
