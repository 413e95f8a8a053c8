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
dropped). The whole file is read before the first row is yielded, which suits field exports
(thousands of submissions), not a national backlog (use Lantern's own shape for that).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

ORPHAN = "__orphan__"
ODK_LINKS = ("PARENT_KEY", "KEY")
KOBO_LINKS = ("_index", "_parent_table_name", "_parent_index")


class LinkedTableError(ValueError):
    """The file is not a set of linked tables this reader knows."""


Table = tuple[str, list[dict[str, Any]]]


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


def read_zip(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """ODK Central's CSV zip: the submissions with their repeats attached."""
    try:
        with zipfile.ZipFile(path) as zf:
            tables = [
                (name, _csv_rows(zf.read(name)))
                for name in sorted(zf.namelist())
                if name.lower().endswith(".csv") and not name.startswith(("__MACOSX", "media/"))
            ]
    except (zipfile.BadZipFile, OSError) as exc:
        raise LinkedTableError(f"{path}: not a readable zip file ({exc})") from exc
    mains = [t for t in tables if t[1] and "PARENT_KEY" not in t[1][0]]
    if len(mains) != 1:
        found = ", ".join(name for name, _rows in tables) or "none"
        raise LinkedTableError(
            f"{path}: expected one submissions CSV and its repeat CSVs (ODK Central's export); "
            f"found {found}"
        )
    main_name, main = mains[0]
    by_key: dict[str, dict[str, Any]] = {str(r.get("KEY", "")): r for r in main if r.get("KEY")}
    orphans: list[dict[str, Any]] = []
    # Parents before children: a nested repeat's file comes after its parent's (longer name).
    for name, rows in sorted(tables, key=lambda t: len(t[0])):
        if name == main_name:
            continue
        repeat = _stem(name).removeprefix(_stem(main_name) + "-").split("~")[0]
        for line, row in enumerate(rows, start=2):
            parent_key, key = str(row.pop("PARENT_KEY", "") or ""), str(row.pop("KEY", "") or "")
            repeat_name = _repeat_of_key(key) or repeat
            parent = by_key.get(parent_key)
            if parent is None:
                orphans.append(_orphan(name, line, "PARENT_KEY", parent_key, main_name, "KEY"))
                continue
            parent.setdefault(repeat_name, []).append(row)
            if key:
                by_key[key] = row
    yield from _numbered(main, orphans)


def read_workbook(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """KoboToolbox's XLSX export: the first sheet's submissions with their repeat sheets."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        tables: list[Table] = [(ws.title, _sheet_rows(ws)) for ws in wb.worksheets]
    finally:
        wb.close()
    (main_name, main), repeats = tables[0], tables[1:]
    by_index: dict[str, dict[str, dict[str, Any]]] = {main_name: {}}
    by_uuid = {str(r["_uuid"]): r for r in main if r.get("_uuid")}
    for n, row in enumerate(main, start=1):
        by_index[main_name][_index(row.get("_index")) or str(n)] = row
    orphans: list[dict[str, Any]] = []
    for name, rows in repeats:
        own = by_index.setdefault(name, {})
        for line, row in enumerate(rows, start=2):
            table = str(row.pop("_parent_table_name", "") or "")
            index = _index(row.pop("_parent_index", None))
            parent_sheet = _sheet_named(table, by_index, main_name)
            parent = by_index.get(parent_sheet, {}).get(index)
            if parent is None and parent_sheet == main_name:
                parent = by_uuid.get(str(row.get("_submission__uuid") or ""))
            own_index = _index(row.pop("_index", None))
            if parent is None:
                orphans.append(_orphan(name, line, "_parent_index", index, parent_sheet, "_index"))
                continue
            parent.setdefault(name, []).append(row)
            if own_index:
                own[own_index] = row
    yield from _numbered(main, orphans)


def _numbered(
    main: list[dict[str, Any]], orphans: list[dict[str, Any]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    yield from enumerate(main, start=1)
    yield from enumerate(orphans, start=len(main) + 1)


def _orphan(
    table: str, line: int, column: str, value: str, parent: str, key: str
) -> dict[str, Any]:
    where = {"table": table, "line": line, "column": column, "value": value}
    return {ORPHAN: {**where, "parent": parent, "key": key}}


def _csv_rows(data: bytes) -> list[dict[str, Any]]:
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    return [dict(row) for row in csv.DictReader(text)]


def _sheet_rows(ws: Any) -> list[dict[str, Any]]:
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    return [
        {k: v for k, v in zip(header, values, strict=False) if k}
        for values in rows
        if values and any(v is not None for v in values)
    ]


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


def _sheet_named(table: str, sheets: dict[str, Any], main: str) -> str:
    """The sheet of a ``_parent_table_name``: Excel cuts sheet names at 31 characters, and Kobo
    names the first section after the form, which its sheet may not carry."""
    for name in (table, table[:31]):
        if name in sheets:
            return name
    return main
