"""Corridors and the map: countries and provinces, domestic and cross-border, small ones hidden."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lantern.disclosure import audit
from lantern.monitoring.dashboard import charts, routes
from lantern.monitoring.dashboard.geo import centroids
from tests.monitoring.dashboard.test_tables import _get

pytestmark = pytest.mark.django_db


def test_corridors_by_country_and_by_province(coordinator: Any) -> None:
    table = routes.corridors(coordinator, "countries", "children")
    counts = {c.values: (c.count, c.suppressed) for c in table.cells}
    # 57 from Nepal: 11 kept in Bagmati (every fifth child), 46 to India; 3 from Cambodia
    assert {k: n for k, (n, _hidden) in counts.items()} == {
        ("NPL", "IND", "cross_border"): 46,
        ("KHM", "IND", "cross_border"): 2,
        ("KHM", "NPL", "cross_border"): 1,
        ("NPL", "NPL", "domestic"): 11,
    }
    assert counts[("KHM", "IND", "cross_border")][1] and counts[("KHM", "NPL", "cross_border")][1]
    # with the totals known, the two small ones could be worked out: one more count is withheld
    # with them (which one is the suppression's choice: the one publish step's, tested there)
    complements = [k for k, (n, hidden) in counts.items() if hidden and n >= 5]
    assert len(complements) >= 1
    ranked = routes.ranked(table)
    published = [c for c in ranked if not c.suppressed]
    assert published and published[0].count == max(c.count for c in published)
    assert all(c.suppressed for c in ranked[len(published) :])  # hidden ones ranked last
    provinces = routes.corridors(coordinator, "provinces", "children")
    assert {c.values[1] for c in provinces.cells} == {"Bagmati", "Koshi", ""}


def test_the_routes_page_draws_the_map_and_lists_corridors_by_label(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/routes/", level="provinces")
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count("<svg") == 2  # the map and the corridors
    corridors = html[html.index('id="corridors"') :]
    assert '<th scope="row">Nepal</th><th scope="row">Bagmati</th>' in corridors
    assert "Cross-border" in corridors and "Domestic" in corridors
    assert "cross_border" not in corridors and "NPL" not in corridors
    assert "Nepal (Bagmati) → India (Maharashtra)" in html  # the bars' corridor names
    assert "&lt;5" in corridors


def test_the_map_is_drawn_offline_with_a_line_for_each_cross_border_flow() -> None:
    svg = charts.world({"IND": 48, "NPL": 12}, "Children", "Map", [("NPL", "IND", 45)])
    assert svg.startswith("<svg") and 'aria-label="Map"' in svg
    assert "http" not in svg.replace("http://www.w3.org", "")  # nothing fetched or linked
    assert len(re.findall(r'class="mark-rule', svg)) == 1  # the corridor's line
    lon, lat = centroids()["524"]  # Nepal
    assert 80 < lon < 89 and 26 < lat < 31


def test_corridors_by_province_are_published_as_one_list_beside_the_grand_total(
    coordinator: Any,
) -> None:
    """Five dimensions carry no totals but the grand one: suppression reads that list and that
    total, and the audit finds no withheld corridor that the published ones and the total pin."""
    table = routes.corridors(coordinator, "provinces", "children")
    assert [m.values for m in table.margins] == [(None,) * 5]
    assert all(c.suppressed for c in table.cells if 0 < c.count < 5)
    counts = [c.count for c in table.cells]
    shown: dict[tuple[int, ...], int | None] = {
        (i,): None if c.suppressed else c.count for i, c in enumerate(table.cells)
    }
    shown[(len(counts),)] = None if table.margins[0].suppressed else table.total
    overlap = {(len(counts),): sum(counts) - table.total}  # a child on two corridors
    for (i,), interval in audit(
        shown, (len(counts) + 1,), zeros_published=True, overlap=overlap
    ).items():
        if i < len(counts):
            assert not interval.exact
            assert counts[i] >= 5 or interval.high >= 5
    assert "grand total" in table.provenance.suppression
