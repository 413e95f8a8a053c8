"""The table builder: labels not codes, provenance, downloads, bad choices, small cells."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from lantern.disclosure import audit
from lantern.monitoring.dashboard.publishing import _published
from lantern.monitoring.statistics.table import TableSpec, build_table
from tests import factories

pytestmark = pytest.mark.django_db


def _get(user: Any, url: str, lang: str = "en", **params: str) -> Any:
    client = factories.verified_login(Client(), user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=lang)


def test_the_builder_shows_labels_a_chart_the_table_and_its_provenance(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/tables/", row="citizenship", col="sex", unit="children")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<svg" in html and 'role="img"' in html  # the chart, drawn on the server
    assert '<th scope="row">Nepal</th>' in html and '<th scope="col">Masculine</th>' in html
    shown = html[html.index('id="table-result"') :]  # the figure, not the form's option values
    assert "NPL" not in shown and "KHM" not in shown  # never codes
    assert "Ngo-One" in html and "Police-Two" in html  # agencies by name
    # the period in the reader's words, never ISO (the form's month options hold "2022-02")
    assert "February 2022 – December 2024" in shown and "2022-02 –" not in shown
    assert "Suppression" in html and "counts below 5 withheld" in html
    # Cambodia: 3 girls, below the threshold: the mark, never the count
    assert '<th scope="row">Cambodia</th><td>&lt;5</td>' in html


def test_the_form_keeps_the_choice_and_explains_a_bad_one(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/tables/", row="sex", col="sex", f1="year:2023")
    assert r.status_code == 400
    html = r.content.decode()
    assert "Each dimension can be used once" in html
    assert '<option value="sex" selected>' in html
    assert '<option value="year:2023" selected>' in html
    r = _get(coordinator, "/statistics/tables/", row="nonsense")
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()


def test_no_cell_below_the_threshold_is_published_and_none_can_be_worked_out(
    stats_mart: Any,
) -> None:
    raw = build_table(TableSpec(rows=("citizenship",), cols=("sex",)))
    small = [c for c in raw.cells if 0 < c.count < 5]
    assert small  # the fixture has small cells
    table = _published(raw)
    assert all(c.suppressed for c in table.cells if 0 < c.count < 5)
    # what the page shows (the cells and the grand total), as the intruder reads it: no hidden
    # cell can be worked out, and a small one could be 5 or more for all the reader knows
    rows = sorted({c.values[0] for c in table.cells})
    cols = sorted({c.values[1] for c in table.cells})
    shape = (len(rows) + 1, len(cols) + 1)
    published: dict[tuple[int, ...], int | None] = {
        (i, j): None for i in range(shape[0]) for j in range(shape[1])
    }
    published[(len(rows), len(cols))] = table.total
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            cell = next((x for x in table.cells if x.values == (r, c)), None)
            published[(i, j)] = 0 if cell is None else None if cell.suppressed else cell.count
    found = audit(published, shape, zeros_published=True)
    raw_counts = {c.values: c.count for c in raw.cells}
    for (i, j), interval in found.items():
        if i < len(rows) and j < len(cols):
            assert not interval.exact
            if raw_counts.get((rows[i], cols[j]), 0) < 5:
                assert interval.high >= 5
    assert "withheld" in table.provenance.suppression


def test_downloads_carry_the_labels_the_mark_and_the_provenance(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/tables/table.csv", row="citizenship", col="sex")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.content.decode()
    assert "# Source agencies: Ngo-One, Police-Two" in text
    body = list(csv.reader(io.StringIO("\n".join(x for x in text.splitlines() if x[:1] != "#"))))
    assert body[0] == ["Citizenship", "Feminine", "Masculine"]
    cambodia = next(r for r in body if r[0] == "Cambodia")
    assert set(cambodia[1:]) <= {"<5", "0"}
    r = _get(coordinator, "/statistics/tables/table.xlsx", row="year", unit="cases")
    book = load_workbook(io.BytesIO(r.content))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert ["2022", 10] in values and ["2024", 30] in values
    assert any(row[0] == "Suppression" for row in values)
    # a choice the builder refuses is no download: back to the builder, which says why
    r = _get(coordinator, "/statistics/tables/table.xlsx", row="sex", col="sex")
    assert r.status_code == 302 and "/statistics/tables/?" in r["Location"]


def test_the_builder_speaks_french_and_spanish(coordinator: Any) -> None:
    fr = _get(coordinator, "/statistics/tables/", "fr", row="sex").content.decode()
    assert '<th scope="row">Féminin</th>' in fr and "Construire un tableau" in fr
    es = _get(coordinator, "/statistics/tables/", "es", row="sex").content.decode()
    assert '<th scope="row">Femenino</th>' in es and "Construir una tabla" in es
