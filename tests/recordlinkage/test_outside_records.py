"""Linkage on an outside record set (names, sex, birth date, district only) does at least as
well as a plain splink model of those fields (issue #13, item 6; the benchmark is
benchmarks/bench_linkage_plain.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from benchmarks.bench_linkage_plain import ours, plain_splink
from benchmarks.outside_records import outside_records

from lantern.recordlinkage import prepare_one, prepare_records
from lantern.recordlinkage.metrics import cluster_accuracy
from tests.recordlinkage.record_rows import record_frame


@pytest.mark.parametrize(("level", "numbered"), [("heavy", False), ("light", True)])
def test_never_worse_than_plain_splink(level: str, numbered: bool) -> None:
    records, truth = outside_records(500, seed=3, level=level, numbered=numbered)
    mine = cluster_accuracy(ours(records), truth)
    plain = cluster_accuracy(plain_splink(records), truth)
    assert mine.f1 >= plain.f1, (mine, plain)


def test_numbered_districts_stay_apart() -> None:
    """A register that numbers its districts: District 06 is District 6, not District 07
    (romanising alone dropped the digits, and every district agreed with every other)."""
    frame = prepare_records(
        record_frame(prs_MailingCity=["District 06", "district 6", "District 07", "Ward 3B"])
    )
    six, also_six, seven, ward = frame["city"]
    assert six == also_six
    assert six != seven
    assert ward == "ward b 3"


def test_sex_as_other_registers_write_it() -> None:
    """``F``, ``female``, ``Girl`` are read as the HTCDS codes are, in batch linkage and in
    search alike; what says nothing stays unknown."""
    written = ["F", "female", "Girl", "Masculine", "m", "BOY", "NonSpecifiedUnknown", "1"]
    expected = ["F", "F", "F", "M", "M", "M", None, None]
    frame = prepare_records(record_frame(prs_Gender=written))
    assert [None if pd.isna(v) else v for v in frame["sex"]] == expected
    assert [prepare_one({"prs_Gender": value})["sex"] for value in written] == expected
