"""Rows of the R reference (r-reference.csv) that a frequentist log-linear method produced."""

from __future__ import annotations

import csv

from lantern.estimation import CaptureTable, read_capture_csv
from tests.paths import REFERENCE

REF = REFERENCE / "mse"


def rows() -> list[dict[str, str]]:
    with (REF / "r-reference.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def table(name: str) -> CaptureTable:
    return read_capture_csv(REF / f"{name}.csv")


def num(value: str) -> float | None:
    return None if value in ("", "NA") else float(value)


def close(ours: float, theirs: float, rel: float) -> bool:
    return abs(ours - theirs) <= rel * abs(theirs)


def file_order(name: str) -> list[int]:
    """Cell bitmasks in the data file's row order (SparseMSE resamples the rows as given)."""
    with (REF / f"{name}.csv").open(newline="") as fh:
        body = list(csv.reader(fh))[1:]
    return [sum(int(v) << i for i, v in enumerate(r[:-1])) for r in body]
