"""The plain rule that says whether a target is on track, and a count's interval."""

from __future__ import annotations

import pytest

from lantern.response.programmes.progress import Point, Status, assess, poisson_interval


def _point(year, value, low=None, high=None, partial=False):
    return Point(year, value, low, high, partial, "s", "m", "scope", "now")


def _judge(points, decrease=True):
    return assess(
        points, decrease=decrease, baseline_year=2020, baseline=100, target_year=2030, target=50
    )


def test_the_poisson_interval_is_exact_and_starts_at_zero_for_zero():
    assert poisson_interval(0) == (0.0, pytest.approx(3.6889, abs=1e-4))
    low, high = poisson_interval(100)
    assert low == pytest.approx(81.364, abs=1e-2) and high == pytest.approx(121.627, abs=1e-2)


def test_the_rule_judges_the_latest_complete_year_against_the_line():
    # the line: 100 in 2020, 50 in 2030 -> 75 in 2025
    assert _judge([_point(2025, 70)]).status is Status.ON_TRACK
    assert _judge([_point(2025, 45)]).status is Status.MET
    assert _judge([_point(2025, 90, 80, 100)]).status is Status.BEHIND
    assert _judge([_point(2025, 80, 70, 90)]).status is Status.UNCERTAIN
    assert _judge([_point(2025, 80)]).status is Status.BEHIND  # no interval given: as it is
    # a year not over is shown, never judged; the baseline year is not progress
    assert _judge([_point(2024, 70), _point(2025, 200, partial=True)]).year == 2024
    assert _judge([_point(2020, 10)]).status is Status.NO_DATA


def test_an_increase_is_judged_the_other_way():
    got = assess(
        [_point(2025, 70, 60, 80)],
        decrease=False,
        baseline_year=2020,
        baseline=50,
        target_year=2030,
        target=100,
    )
    assert got.status is Status.UNCERTAIN and got.expected == 75
