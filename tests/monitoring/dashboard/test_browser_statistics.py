"""In the browser, on a phone: a coordinator reads the dashboard (charts and the map), builds a
table and downloads it as XLSX, and downloads the annual report as PDF; an analyst sees no
count below the threshold; the pages read in French and Spanish (#14)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lantern.monitoring.statistics.publish import default_threshold as threshold
from tests import factories
from tests.web.helpers import fits

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _sign_in(page: Any, base: str, user: Any) -> None:
    """Coordinators and analysts read no identities: a password, no second factor."""
    page.goto(base + "/signin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/signin/" not in url)


def _language(page: Any, code: str) -> None:
    page.select_option("#lang-select", code)
    page.click("form.lang button")
    page.wait_for_selector(f"html[lang={code}]")


def _published_figures(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#table-result table td").all_inner_texts()]


def test_a_coordinator_builds_a_table_sees_the_map_and_downloads_xlsx_and_pdf(
    page: Any, live_server: Any, coordinator: Any, tmp_path: Path
) -> None:
    _sign_in(page, live_server.url, coordinator)
    page.click("nav a[href='/statistics/']")
    page.wait_for_url(re.compile(r"/statistics/$"))
    assert page.locator("#by-form figure.chart svg").count() == 1
    assert page.locator("#map figure.chart svg").count() == 1  # the map, drawn on the server
    assert page.locator("#map table").count() == 1  # its table beneath
    assert "Suppression:" in page.inner_text("#by-sex-age .provenance-line")
    fits(page)

    page.click("a[href='/statistics/tables/']")
    page.select_option("#id_row", "primary_form")
    page.select_option("#id_col", "sex")
    page.select_option("#id_f1", "year:2023")
    page.click("#table-form button.primary")
    page.wait_for_selector("#table-result figure.chart svg")
    assert page.locator("#id_row").input_value() == "primary_form"  # the form keeps the choice
    table = page.inner_text("#table-result table")
    assert "Sexual exploitation" in table and "Forced labour" in table
    assert "sexual_exploitation" not in table
    page.click("#table-result details summary")
    assert "Year: 2023" in page.inner_text("#table-result details")
    fits(page)

    with page.expect_download() as got:
        page.click("#download-xlsx")
    book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
    rows = [[c.value for c in r] for r in book.active.iter_rows()]
    assert ["Form of exploitation (primary)", "Feminine", "Masculine"] in rows
    assert ["Forced labour", 5, 5] in rows
    assert any(r[0] == "Suppression" for r in rows)

    page.goto(live_server.url + "/statistics/")
    with page.expect_download() as got:
        page.click("#report-pdf")
    pdf = Path(got.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and got.value.suggested_filename.endswith("-en.pdf")


def test_an_analyst_sees_no_count_below_the_threshold(
    page: Any, live_server: Any, analyst: Any
) -> None:
    _sign_in(page, live_server.url, analyst)
    page.goto(live_server.url + "/statistics/tables/?row=citizenship&col=sex&row2=age")
    page.wait_for_selector("#table-result table")
    figures = _published_figures(page)
    assert figures and f"<{threshold()}" in figures
    for shown in figures:
        assert (
            shown == f"<{threshold()}"
            or int(shown.replace(",", "")) == 0
            or int(shown.replace(",", "")) >= threshold()
        ), shown


def test_the_statistics_pages_read_in_french_and_spanish(
    page: Any, live_server: Any, coordinator: Any
) -> None:
    _sign_in(page, live_server.url, coordinator)
    page.goto(live_server.url + "/statistics/")
    _language(page, "fr")
    assert page.inner_text("h1") == "Statistiques"
    assert "Enfants par âge et sexe" in page.inner_text("#by-sex-age h2")
    assert "Principaux corridors" in page.inner_text("#corridors h2")
    page.goto(live_server.url + "/statistics/tables/?row=sex")
    assert page.inner_text("h1") == "Construire un tableau"
    assert "Féminin" in page.inner_text("#table-result table")
    _language(page, "es")
    page.goto(live_server.url + "/statistics/tables/?row=sex")  # the switch keeps the path only
    assert page.inner_text("h1") == "Construir una tabla"
    assert "Femenino" in page.inner_text("#table-result table")
    page.goto(live_server.url + "/statistics/routes/")
    assert page.inner_text("h1") == "Rutas"
    with page.expect_download() as got:
        page.goto(live_server.url + "/statistics/")
        page.click("#report-xlsx")
    assert got.value.suggested_filename.endswith("-es.xlsx")
    fits(page)
