"""The annual report: PDF and XLSX, in the reader's language, published figures only; the
command."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from lantern.monitoring.dashboard import report
from tests.monitoring.dashboard.test_tables import _get

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def test_the_pdf_in_french_has_every_section_its_charts_and_no_small_count(
    coordinator: Any, tmp_path: Path
) -> None:
    r = _get(coordinator, "/statistics/report/annual.pdf", "fr", year="2023")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and "annual-2023-fr.pdf" in r["Content-Disposition"]
    text = _pdf_text(r.content, tmp_path)
    assert "Enfants par âge et sexe" in text and "Principaux corridors" in text
    assert "Secret statistique" in text and "Organismes sources" in text
    assert "Ngo-One" in text and "<5" in text
    assert "sexual_exploitation" not in text and "NPL" not in text


def test_the_xlsx_in_spanish_has_a_sheet_per_table_with_its_chart(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/report/annual.xlsx", "es", year="2024")
    book = load_workbook(io.BytesIO(r.content))
    assert len(book.sheetnames) == 8  # About, then seven tables
    sheet = book[book.sheetnames[2]]  # by age and sex
    assert sheet["A1"].value == "Niños y niñas por edad y sexo"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:  # the charts, as pictures
        # a table whose every figure is hidden has no chart
        assert len([n for n in z.namelist() if n.startswith("xl/media/")]) >= 4
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Supresión" in values and "Organismos de origen" in values
    years = [[c.value for c in row] for row in book[book.sheetnames[1]].iter_rows()]
    assert ["2023", 20, "+10", "100 %", "No (p = 0,099)"] in years  # figures as numbers
    for name in book.sheetnames[1:]:  # no published count below the threshold
        numbers = [c.value for row in book[name].iter_rows() for c in row]
        assert all(v == 0 or v >= 5 for v in numbers if isinstance(v, int))


def test_a_year_without_figures_goes_back_to_the_dashboard(coordinator: Any) -> None:
    r = _get(coordinator, "/statistics/report/annual.pdf", year="1999")
    assert r.status_code == 302 and r["Location"] == "/statistics/?year=1999"


def test_the_command_writes_the_report(stats_mart: Any, cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "annual.pdf"
    res = cli("report", "annual", "--year", "2024", "--lang", "es", "--out", str(out))
    assert res.exit_code == 0, res.output
    assert "Niños y niñas por edad y sexo" in _pdf_text(out.read_bytes(), tmp_path)
    res = cli("report", "annual", "--year", "2024", "--lang", "de", "--out", str(out))
    assert res.exit_code == 2 and "English, French or Spanish" in res.output
    res = cli("report", "annual", "--year", "2024", "--out", str(tmp_path / "r.docx"))
    assert res.exit_code == 2 and "PDF or an XLSX" in res.output
    with pytest.raises(ValueError, match="fetches nothing"):
        report._refuse("https://example.org/font.woff")
