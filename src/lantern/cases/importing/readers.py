"""Read an import file as (row number, mapping) pairs, whatever its format.

Row numbers are 1-based data rows (a CSV/XLSX header is row 0), so that an error report's
"row 3" is the third record a person sees under the header.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lantern.cases.importing import linked
from lantern.cases.importing.rows import LEFT_OUT


class UnreadableFile(ValueError):
    """The file itself cannot be read as the format its name says."""


FORMATS = (".csv", ".json", ".xlsx", ".parquet", ".zip")


def keys_vary_by_row(path: Path) -> bool:
    """Whether each row names its own columns (JSON objects) rather than sharing a header."""
    return path.suffix.lower() == ".json"


def count_rows(path: Path) -> int | None:
    """A cheap row count for the progress bar (None when unknown)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as fh:
            return max(sum(1 for _ in fh) - 1, 0)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    return None


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if suffix == ".csv":
        yield from _csv(path)
    elif suffix == ".json":
        yield from _json(path)
    elif suffix == ".xlsx" and linked.is_linked_workbook(path):
        yield from linked.read_workbook(path)  # Kobo's export: repeats on sheets of their own
    elif suffix == ".xlsx":
        yield from _xlsx(path)
    elif suffix == ".zip":
        try:  # ODK Central's CSV zip: repeats in CSVs of their own
            yield from linked.read_zip(path)
        except linked.LinkedTableError as exc:
            raise UnreadableFile(str(exc)) from exc
    elif suffix == ".parquet":
        yield from _parquet(path)
    else:
        raise UnreadableFile(
            f"{path}: unsupported format {suffix!r}; use one of {', '.join(FORMATS)}"
        )


def _csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(10_000_000)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            header = fh.readline()
            fh.seek(0)
            # KoboToolbox writes ``;``-separated CSV: a header with ``;`` and no comma is one.
            delimiter = ";" if ";" in header and "," not in header else ","
            reader = csv.DictReader(fh, delimiter=delimiter)
            if not reader.fieldnames:
                raise UnreadableFile(f"{path}: empty file, no header row")
            for n, row in enumerate(reader, start=1):
                if None in row:
                    row.pop(None)
                    row["__extra_cells__"] = "yes"
                yield n, row
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise UnreadableFile(f"{path}: malformed CSV: {exc}") from exc


def _json(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UnreadableFile(f"{path}: not valid JSON: {exc}") from exc
    # An export that left fields out (the exporting role could not read them) says so: each row
    # carries the names, so that an update keeps what is stored instead of blanking it.
    left_out = _left_out(data)
    # Lantern's {"records"}, KoboToolbox's API {"results"}, ODK Central's OData {"value"}.
    for key in ("records", "results", "value"):
        if isinstance(data, dict) and isinstance(data.get(key), list):
            data = data[key]
    if not isinstance(data, list):
        raise UnreadableFile(f'{path}: expected a list of records or {{"records": [...]}}')
    for n, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            yield n, {"__not_an_object__": type(row).__name__}
        else:
            yield n, {**row, LEFT_OUT: left_out} if left_out else row


def _left_out(data: Any) -> list[str]:
    meta = data.get("metadata") if isinstance(data, dict) else None
    names = meta.get("fields_left_out") if isinstance(meta, dict) else None
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise UnreadableFile(
            f"{path}: not a readable XLSX workbook ({type(exc).__name__})"
        ) from exc
    try:
        rows = wb.active.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise UnreadableFile(f"{path}: empty workbook, no header row")
        names = [str(h).strip() if h is not None else "" for h in header]
        for n, values in enumerate(rows, start=1):
            if values is None or all(v is None for v in values):
                continue
            yield n, {k: v for k, v in zip(names, values, strict=False) if k}
    finally:
        wb.close()


def _parquet(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=5000):
        # Column by column, then zipped: the same dicts as ``to_pylist``, made faster.
        columns = batch.to_pydict()
        names = list(columns)
        for values in zip(*columns.values(), strict=True):
            n += 1
            yield n, dict(zip(names, values, strict=True))
