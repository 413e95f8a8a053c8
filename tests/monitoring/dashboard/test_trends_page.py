"""The trends page: counts by period from the mart, changes and their test, hidden figures."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.monitoring.dashboard.trend_figures import trend
from tests.monitoring.dashboard.test_tables import _get

pytestmark = pytest.mark.django_db


def test_yearly_changes_with_their_test(coordinator: Any) -> None:
    _table, found = trend(coordinator, "year", "cases")
    assert [(c.period, c.count, c.change) for c in found] == [
        ("2022", 10, None),
        ("2023", 20, 10),
        ("2024", 30, 10),
    ]
    assert found[1].p_value == pytest.approx(0.0987, abs=1e-3) and not found[1].beyond_chance
    r = _get(coordinator, "/statistics/trends/", period="year", unit="cases")
    html = r.content.decode()
    assert r.status_code == 200 and "<svg" in html
    assert "<td>+10</td>" in html and "No (p = 0.099)" in html
    assert "Exact test of two Poisson counts" in html


def test_small_periods_are_hidden_and_never_tested(coordinator: Any) -> None:
    # by month each count is below 5: hidden, and never tested
    _table, found = trend(coordinator, "month", "children")
    assert found and all(c.count in (None, 0) for c in found)
    assert all(c.p_value is None for c in found)
    r = _get(coordinator, "/statistics/trends/", period="month")
    html = r.content.decode()
    assert "<td>&lt;5</td><td>–</td><td>–</td><td>–</td>" in html
    assert "figures are hidden to protect the children counted" in html


def test_a_filter_by_label_and_a_bad_period(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/trends/", period="year", f1="sex:Masculine")
    assert r.status_code == 200 and "Sex: Masculine" in r.content.decode()
    r = _get(coordinator, "/statistics/trends/", period="decade")
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
