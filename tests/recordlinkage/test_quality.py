"""A linkage run's own expectation of what it found (no truth needed)."""

from __future__ import annotations

import pytest

from lantern.recordlinkage.quality import LinkageQuality, linkage_quality

pytestmark = pytest.mark.pure


def test_expected_recall_and_precision_come_from_lambda_and_the_links_probabilities() -> None:
    # 101 records: 5,050 pairs; lambda 0.002 -> about 10.1 pairs belong together
    quality = linkage_quality(0.002, 101, [0.95, 0.99, 0.91, 0.5, 0.3], threshold=0.9)
    assert quality.expected_matching_pairs == pytest.approx(10.1)
    assert quality.links == 3  # 0.5 and 0.3 are below the threshold
    assert quality.expected_right_links == pytest.approx(2.85)
    assert quality.expected_precision == pytest.approx(0.95)
    assert quality.expected_recall == pytest.approx(2.85 / 10.1)
    assert "28%" in quality.summary() and "95%" in quality.summary()


def test_quality_survives_the_link_runs_json_and_bounds_hold() -> None:
    quality = linkage_quality(1e-6, 10, [0.99], threshold=0.9)
    assert quality.expected_recall == 1.0  # more links than expected matches: capped
    again = LinkageQuality.from_dict(quality.to_dict())
    assert again == quality
    nothing = linkage_quality(0.0, 1, [], threshold=0.9)
    assert (nothing.expected_recall, nothing.expected_precision, nothing.links) == (1.0, 1.0, 0)
