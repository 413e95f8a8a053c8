"""The count studies' shared measures (benchmarks/study_measures.py): error, coverage and width
over worlds of known truth, as count_study and count_other_worlds print them."""

from __future__ import annotations

import pytest
from benchmarks.count_study import summary as study_summary
from benchmarks.study_measures import measures


def _rows() -> list[dict[str, object]]:
    return [
        {"true": 1000, "pooled": [800.0, 700.0, 1000.0]},  # -20%, the truth on the interval's edge
        {"true": 2000, "pooled": [2600.0, 2100.0, 2900.0]},  # +30%, interval above the truth
        {"true": 1000, "pooled": None},  # no figure (the estimator failed): not a world measured
    ]


def test_measures_read_error_coverage_and_width_against_each_worlds_truth() -> None:
    m = measures(_rows(), "pooled")
    assert m is not None
    assert m.worlds == 2
    assert m.errors == pytest.approx([-0.2, 0.3])
    assert m.covering == 1
    assert m.widths == pytest.approx([0.3, 0.4])
    assert m.within(0.2) == 1
    assert m.median_abs_error == pytest.approx(0.25)
    assert measures([{"true": 1000, "pooled": None}], "pooled") is None


def test_count_study_imports_from_tests_and_summarises_with_the_shared_measures() -> None:
    """count_study once imported its neighbours by script path only, and importing it from a
    test broke collection; it now loads as ``benchmarks.count_study``."""
    rows = [
        {"scenario": "s", "capture": "c", "method": "dga", "truth": None, "single": None} | r
        for r in _rows()
    ]
    table = study_summary(rows)
    assert "| s | c | dga | pooled | +5% (from -20% to +30%) | 25% | 1 of 2 (50%) | 35% |" in table
