"""The coverage map: Nepal's provinces from the pinned boundary package, each shaded by its gap
and labelled with its children, drawn as SVG with nothing fetched; a country without installed
boundaries is left to the table. Then a coordinator reads it on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.accounts.models import Role
from lantern.directory import coverage_map
from lantern.directory.coverage import AreaRow
from lantern.taxonomy import areas
from tests import factories
from tests.web.helpers import PHONE, fits
from tests.web.test_browser_defects import WATCH_CSP

ROWS = [
    AreaRow("NPL/Lumbini", "NPL", "Lumbini", 5, 0, ()),  # a gap
    AreaRow("NPL/Koshi", "NPL", "Koshi", 3, 1, ("Refuge: Beds",)),  # no prevention
    AreaRow(
        "NPL/Bagmati", "NPL", "Bagmati", 12, 1, ("Refuge: Beds",), 1, ("Radio",), 0, ()
    ),  # covered
    AreaRow("IND/Bihār", "IND", "Bihār", 2, 0, ()),
]


def test_every_province_of_nepal_has_its_boundary_and_no_other_country_does() -> None:
    shapes = coverage_map.boundaries("NPL")
    assert sorted(shapes) == [a.code for a in areas.provinces("NPL")]  # Koshi, not "No. 1"
    for geometry in shapes.values():
        assert geometry["type"] == "MultiPolygon"
        ring = geometry["coordinates"][0][0]
        assert ring[0] == ring[-1] and len(ring) > 20
    assert coverage_map.boundaries("IND") == {}
    assert coverage_map.countries_with_map(ROWS) == ["NPL"]
    assert coverage_map.countries_without_map(ROWS) == ["IND"]


def test_the_map_shades_each_province_by_its_gap() -> None:
    svg = coverage_map.province_map("NPL", ROWS, 'Coverage of "Nepal"')
    assert svg.startswith('<svg role="img" aria-label="Coverage of &quot;Nepal&quot;"')
    fills = re.findall(r'<path[^>]*fill="(#[0-9a-f]{6})"', svg)
    colours = coverage_map.COLOURS
    assert fills.count(colours["gap"]) >= 1 + 1  # Lumbini, and the legend's swatch
    assert fills.count(colours["covered"]) >= 1 and fills.count(colours["prevention_gap"]) >= 1
    assert fills.count(colours["none"]) >= 4  # Gandaki, Karnali, Madhesh, Sudurpashchim
    for label in ("Lumbini: 5", "Bagmati: 12", "Koshi: 3", "Karnali: 0"):
        assert label in svg
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)  # nothing to fetch
    assert coverage_map.province_map("IND", ROWS, "India") == ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser
def test_a_coordinator_reads_the_coverage_map_on_a_phone(
    browser: Any, live_server: Any, fast_passwords: None, tmp_path: Any
) -> None:
    rows = [factories.record(i, "ngo-one") for i in range(3)]
    rows[2]["prs_MailingState"] = "Lumbini"
    factories.import_records(rows, tmp_path)
    coord = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    page = browser.new_context(viewport=PHONE, locale="es-ES").new_page()
    page.set_default_timeout(15000)
    page.add_init_script(WATCH_CSP)
    page.goto(live_server.url + "/signin/")
    page.fill("input[name=username]", coord.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)
    page.goto(live_server.url + "/directory/coverage/")
    shown = page.locator("#coverage-map-NPL svg")
    expect(shown).to_be_visible()
    box = shown.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    expect(page.locator("#coverage-table tr.gap")).to_have_count(2)  # no service anywhere
    fits(page)
    assert page.evaluate("window.cspViolations") == []
