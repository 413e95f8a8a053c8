"""Peak memory of reading a field export's linked tables: ODK Central's CSV zip and Kobo's XLSX.

Builds an export of N submissions (each with two journey steps and one episode, as the intake
form's repeats), then reads it through ``lantern.cases.importing.linked`` as the import does,
row by row, and reports the peak of Python's allocations (tracemalloc) while reading. Run it
against two trees to compare (``PYTHONPATH=<tree>/src``); nothing is imported into a store.

    python benchmarks/bench_field_exports.py [--rows 50000] [--no-repeats]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook

MAIN = ["SubmissionDate", "child-given_name", "child-family_name", "child-age", "notes"]


def _main_cells(i: int) -> list[Any]:
    return ["2026-11-21T08:00:00Z", f"Given{i}", f"Family{i}", i % 18, "x" * 40]


def odk_zip(path: Path, rows: int, repeats: bool) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("f.csv", "w") as raw, io.TextIOWrapper(raw, "utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([*MAIN, "KEY"])
            for i in range(rows):
                w.writerow([*_main_cells(i), f"uuid:{i:08d}"])
        if repeats:
            with (
                zf.open("f-journey.csv", "w") as raw,
                io.TextIOWrapper(raw, "utf-8", newline="") as fh,
            ):
                w = csv.writer(fh)
                w.writerow(["step_type", "step_country", "PARENT_KEY", "KEY"])
                for i in range(rows):
                    for j in (1, 2):
                        w.writerow(
                            ["transit", "IND", f"uuid:{i:08d}", f"uuid:{i:08d}/journey[{j}]"]
                        )
    return path


def kobo_xlsx(path: Path, rows: int, repeats: bool) -> Path:
    wb = Workbook(write_only=True)
    main = wb.create_sheet("intake")
    main.append([*MAIN, "_uuid", "_index"])
    for i in range(rows):
        main.append([*_main_cells(i), f"{i:08d}", i + 1])
    journey = wb.create_sheet("journey")
    journey.append(["journey/step_type", "_parent_table_name", "_parent_index", "_index"])
    if repeats:
        for i in range(rows):
            for j in (1, 2):
                journey.append(["transit", "intake", i + 1, 2 * i + j])
    else:
        journey.append(["transit", "intake", 1, 1])
    wb.save(path)
    return path


Reader = Callable[[Path], Iterator[tuple[int, dict[str, Any]]]]


def measure(read: Reader, path: Path) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    count = sum(1 for _ in read(path))
    seconds = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"{count} rows, peak {peak / 2**20:.1f} MiB ({seconds:.1f} s under tracemalloc)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-repeats", action="store_true")
    args = parser.parse_args()
    repeats = not args.no_repeats
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()  # the importing package's models load with it; no store is touched
    from lantern.cases.importing import linked

    with tempfile.TemporaryDirectory() as tmp:
        zipped = odk_zip(Path(tmp) / "f.zip", args.rows, repeats)
        print(f"ODK Central CSV zip: {measure(linked.read_zip, zipped)}")
        book = kobo_xlsx(Path(tmp) / "k.xlsx", args.rows, repeats)
        print(f"KoboToolbox XLSX:    {measure(linked.read_workbook, book)}")


if __name__ == "__main__":
    main()
