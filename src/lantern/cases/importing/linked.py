"""Files of linked tables: a submission in one table, each of its repeat groups in another.

ODK Central's CSV export is a zip: ``<form>.csv`` holds one row per submission (its instance id
in ``KEY``) and ``<form>-<repeat>.csv`` one row per repeat entry, with ``PARENT_KEY`` naming
the row it belongs to and ``KEY`` its own (``uuid:…/journey[2]``). KoboToolbox's XLSX export
puts the submissions on the first sheet (``_index``, 1, 2, …) and each repeat group on a sheet
of its own, linked by ``_parent_table_name`` and ``_parent_index`` (``_submission__uuid`` also
names the submission). Either is read here as the JSON exports shape it: each repeat entry
attached to its parent's row as a list under the repeat's name, in file order.

A repeat entry whose parent is not in the file cannot be placed: it is yielded after the
submissions as a row of its own, marked ``__orphan__`` (the source reports it; it is never
dropped).

Memory: the submissions' table is streamed, a row at a time (the zip's member read as a
stream, the workbook's sheet through openpyxl's read-only ``iter_rows``); only the repeat
tables are held, each entry as its cells (a tuple, the header once per table) filed under its
parent's key, and released as its submission is yielded. A file whose submissions answer no
repeat holds nothing but the headers; one with repeats holds their entries, never the
submissions.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

ORPHAN = "__orphan__"
ODK_LINKS = ("PARENT_KEY", "KEY")
KOBO_LINKS = ("_index", "_parent_table_name", "_parent_index")


class LinkedTableError(ValueError):
    """The file is not a set of linked tables this reader knows."""


def is_linked_workbook(path: Path) -> bool:
    """Whether an XLSX workbook holds repeat sheets linked to its first (Kobo's export)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several types; the ordinary reader reports it
        return False
    try:
        for sheet in wb.worksheets[1:]:
            header = next(sheet.iter_rows(max_row=1, values_only=True), ())
            if "_parent_index" in {str(h) for h in header if h is not None}:
                return True
        return False
    finally:
        wb.close()


class _Entry:
    """A repeat entry held until its parent is read: its cells, where it is in the file, and
    the keys that link it (its parent's, its own)."""

    __slots__ = ("cells", "line", "own", "parent", "placed", "repeat", "table")

    def __init__(
        self, table: _Table, line: int, cells: tuple[Any, ...], parent: str, own: str, repeat: str
    ) -> None:
        self.table, self.line, self.cells = table, line, cells
        self.parent, self.own, self.repeat = parent, own, repeat
        self.placed = False

    def row(self) -> dict[str, Any]:
        skip = self.table.links
        return {
            k: v for k, v in zip(self.table.header, self.cells, strict=False) if k and k not in skip
        }


class _Table:
    """A repeat table: its name, its header, the columns that link its rows (left out of the
    entries), and the order it was read in."""

    def __init__(self, name: str, header: list[str], links: frozenset[str], seq: int) -> None:
        self.name, self.header, self.links, self.seq = name, header, links, seq
        self.index = {h: i for i, h in enumerate(header)}

    def cell(self, cells: tuple[Any, ...], column: str) -> Any:
        i = self.index.get(column)
        return cells[i] if i is not None and i < len(cells) else None


class _Children:
    """The repeat entries read so far, filed by (parent table, parent key): each entry is
    taken out as its parent is placed, so what is left at the end is what no row owns."""

    def __init__(self, by_table: bool) -> None:
        #: Kobo's keys (``_index``) are per sheet; ODK's (``KEY``) are unique in the file.
        self.by_table = by_table
        self.by_parent: dict[tuple[str, str], list[_Entry]] = {}
        self.by_uuid: dict[str, list[_Entry]] = {}

    def add(self, parent_table: str, entry: _Entry, uuid: str = "") -> None:
        table = parent_table if self.by_table else ""
        self.by_parent.setdefault((table, entry.parent), []).append(entry)
        if uuid:
            self.by_uuid.setdefault(uuid, []).append(entry)

    def attach(self, row: dict[str, Any], table: str, key: str, uuid: str = "") -> None:
        """Put under ``row`` its entries (``table``'s row ``key``), theirs under them."""
        table = table if self.by_table else ""
        found = self.by_parent.pop((table, key), []) if key else []
        found += self.by_uuid.pop(uuid, []) if uuid else []
        for entry in found:
            if entry.placed:
                continue
            entry.placed = True
            child = entry.row()
            row.setdefault(entry.repeat, []).append(child)
            self.attach(child, entry.table.name, entry.own)

    def left(self) -> list[_Entry]:
        """The entries no row owns, in the order they were read."""
        left = [e for entries in self.by_parent.values() for e in entries if not e.placed]
        return sorted(left, key=lambda e: (e.table.seq, e.line))


def read_zip(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """ODK Central's CSV zip: the submissions with their repeats attached, streamed."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise LinkedTableError(f"{path}: not a readable zip file ({exc})") from exc
    with zf:
        try:
            yield from _zip_rows(path, zf)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise LinkedTableError(f"{path}: not a readable zip file ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise LinkedTableError(f"{path}: a CSV in the zip is not UTF-8 text ({exc})") from exc
        except csv.Error as exc:
            raise LinkedTableError(f"{path}: a CSV in the zip is malformed ({exc})") from exc


def _zip_rows(path: Path, zf: zipfile.ZipFile) -> Iterator[tuple[int, dict[str, Any]]]:
    names = [
        name
        for name in sorted(zf.namelist())
        if name.lower().endswith(".csv") and not name.startswith(("__MACOSX", "media/"))
    ]
    headers = {name: _csv_header(zf, name) for name in names}
    mains = [n for n in names if headers[n] and "PARENT_KEY" not in headers[n]]
    if len(mains) != 1:
        found = ", ".join(names) or "none"
        raise LinkedTableError(
            f"{path}: expected one submissions CSV and its repeat CSVs (ODK Central's export); "
            f"found {found}"
        )
    main_name = mains[0]
    children = _Children(by_table=False)
    # Parents before children: a nested repeat's file comes after its parent's (longer name).
    repeats = sorted((n for n in names if n != main_name), key=len)
    for seq, name in enumerate(repeats):
        table = _Table(name, headers[name], frozenset(ODK_LINKS), seq)
        repeat = _stem(name).removeprefix(_stem(main_name) + "-").split("~")[0]
        for line, cells in enumerate(_csv_cells(zf, name), start=2):
            parent_key = str(table.cell(cells, "PARENT_KEY") or "")
            key = str(table.cell(cells, "KEY") or "")
            entry = _Entry(table, line, cells, parent_key, key, _repeat_of_key(key) or repeat)
            children.add("", entry)
    n = 0
    with zf.open(main_name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        for row in csv.DictReader(text):
            n += 1
            record = dict(row)
            children.attach(record, "", str(record.get("KEY") or ""))
            yield n, record
    for entry in children.left():
        n += 1
        yield n, _orphan(entry.table.name, entry.line, "PARENT_KEY", entry.parent, main_name, "KEY")


def read_workbook(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """KoboToolbox's XLSX export: the first sheet's submissions with their repeat sheets,
    the first sheet streamed. An entry goes under the submission whose ``_index`` its
    ``_parent_index`` names, or else whose ``_uuid`` its ``_submission__uuid`` names."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        main_ws, *repeats = wb.worksheets
        main_name = main_ws.title
        sheets = {ws.title for ws in wb.worksheets}
        children = _Children(by_table=True)
        for seq, ws in enumerate(repeats):
            rows = _sheet_cells(ws)
            table = _Table(ws.title, next(rows, []), frozenset(KOBO_LINKS), seq)
            for line, cells in enumerate(rows, start=2):
                parent_sheet = _sheet_named(
                    str(table.cell(cells, "_parent_table_name") or ""), sheets, main_name
                )
                entry = _Entry(
                    table,
                    line,
                    cells,
                    _index(table.cell(cells, "_parent_index")),
                    _index(table.cell(cells, "_index")),
                    ws.title,
                )
                uuid = str(table.cell(cells, "_submission__uuid") or "")
                children.add(parent_sheet, entry, uuid if parent_sheet == main_name else "")
        n = 0
        rows = _sheet_cells(main_ws)
        header: list[str] = next(rows, [])
        for cells in rows:
            n += 1
            row = {k: v for k, v in zip(header, cells, strict=False) if k}
            own = _index(row.get("_index")) or str(n)
            children.attach(row, main_name, own, str(row.get("_uuid") or ""))
            yield n, row
        for entry in children.left():
            n += 1
            parent = _sheet_named(
                str(entry.table.cell(entry.cells, "_parent_table_name") or ""), sheets, main_name
            )
            yield (
                n,
                _orphan(
                    entry.table.name, entry.line, "_parent_index", entry.parent, parent, "_index"
                ),
            )
    finally:
        wb.close()


def _orphan(
    table: str, line: int, column: str, value: str, parent: str, key: str
) -> dict[str, Any]:
    where = {"table": table, "line": line, "column": column, "value": value}
    return {ORPHAN: {**where, "parent": parent, "key": key}}


def _csv_header(zf: zipfile.ZipFile, name: str) -> list[str]:
    with zf.open(name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return next(csv.reader(text), [])


def _csv_cells(zf: zipfile.ZipFile, name: str) -> Iterator[tuple[Any, ...]]:
    """A member's data rows as tuples of cells, read as a stream."""
    with zf.open(name) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        next(reader, None)
        for cells in reader:
            if cells:
                yield tuple(cells)


def _sheet_cells(ws: Any) -> Iterator[Any]:
    """A sheet's header (names) then its non-empty rows (tuples of cells), streamed."""
    rows = ws.iter_rows(values_only=True)
    yield [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for values in rows:
        if values and any(v is not None for v in values):
            yield values


def _stem(name: str) -> str:
    return PurePosixPath(name).stem


def _repeat_of_key(key: str) -> str:
    """``journey`` from ODK's ``uuid:…/journey[2]``."""
    last = key.rsplit("/", 1)[-1]
    return last.partition("[")[0] if "[" in last else ""


def _index(value: Any) -> str:
    """An ``_index`` cell as text (openpyxl gives numbers, CSV text): ``3``, never ``3.0``."""
    if value is None or value == "":
        return ""
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return str(value)


def _sheet_named(table: str, sheets: Collection[str], main: str) -> str:
    """The sheet of a ``_parent_table_name``: Excel cuts sheet names at 31 characters, and Kobo
    names the first section after the form, which its sheet may not carry."""
    for name in (table, table[:31]):
        if name in sheets:
            return name
    return main
