"""Downloads of published tables: CSV (provenance as ``#`` lines before the table) and XLSX
(the table, then its provenance beneath), labels throughout, hidden figures as the mark."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from lantern.monitoring.dashboard.publishing import layout, provenance
from lantern.monitoring.statistics.publish import mark
from lantern.monitoring.statistics.table import Cell, Table


def rows(table: Table) -> list[list[str | int]]:
    """The page's table (:func:`publishing.layout`) with counts as numbers, for a spreadsheet;
    hidden ones as the mark."""
    header, body = layout(table, _count)
    return [list(header), *body]


def _count(cell: Cell | None) -> str | int:
    return 0 if cell is None else mark() if cell.suppressed else cell.count


def as_csv(table: Table) -> str:
    buf = io.StringIO()
    for what, says in provenance(table):
        buf.write(f"# {what}: {says}\n")
    csv.writer(buf, lineterminator="\n").writerows(rows(table))
    return buf.getvalue()


def write_sheet(sheet: Worksheet, title: str, table: Table) -> None:
    """``table`` on ``sheet``: a title, the table, then its provenance."""
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=13)
    start = sheet.max_row + 1
    for line in rows(table):
        sheet.append(line)
    for cell in sheet[start]:
        cell.font = Font(bold=True)
    sheet.append([])
    for what, says in provenance(table):
        sheet.append([what, says])
    sheet.column_dimensions["A"].width = 32


def as_xlsx(sections: Sequence[tuple[str, Table]]) -> bytes:
    """One sheet per (title, table)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()
    for i, (title, table) in enumerate(sections, start=1):
        name = _sheet_name(title, i, used)
        write_sheet(book.create_sheet(name), title, table)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet_name(title: str, i: int, used: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or str(i)
    name = clean[:31]
    if name in used:
        name = f"{clean[:27]} ({i})"
    used.add(name)
    return name
