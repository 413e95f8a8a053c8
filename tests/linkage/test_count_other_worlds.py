"""``lantern count``'s path on worlds it was not built on (#13): another generator's children,
names and typing errors (benchmarks/outside_records.py), with a capture model of its own
(benchmarks/count_other_worlds.py). Where the lists are independent, or one agency refers
children to another, and the agencies type as a careful register does, the figure covers the
truth and lands within 20% of it. (The benchmark shows where it does not: heavy typing and
visibility that differs between children; docs/estimation.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.count_other_worlds import SETTINGS, summary, world

from lantern.estimation import RECOMMENDED
from lantern.linkage.count import count_linked
from lantern.recordlinkage import link_records

CHILDREN = 2000


@pytest.mark.parametrize("setting", ["independent", "referral"])
def test_count_covers_another_generators_truth(setting: str, tmp_path: Path) -> None:
    records, seen = world(CHILDREN, seed=1, setting=SETTINGS[setting], level="light")
    path = tmp_path / "records.parquet"
    records.to_parquet(path)
    linked = link_records(path)
    counted = count_linked(path, linked, method=RECOMMENDED, draws=20, seed=1, population="all")
    figure, interval = counted.estimate.estimate, counted.estimate.interval
    assert interval is not None
    assert counted.estimate.observed <= seen.any(axis=1).sum() * 1.1  # links found, not split
    assert interval.low <= CHILDREN <= interval.high, (figure, interval)
    assert abs(figure / CHILDREN - 1) <= 0.2, figure


def test_summary_gives_each_method_its_own_rows() -> None:
    """``--methods dga,lcmcr``: each method's figures are measured apart, never pooled."""
    row = {"setting": "strong", "level": "light", "seed": 1, "true": 1000, "seen": 400}
    rows = [
        row | {"method": "dga", "found": 410, "truth": [700.0, 650.0, 750.0], "pooled": None},
        row | {"method": "lcmcr", "found": 410, "truth": [900.0, 800.0, 1100.0], "pooled": None},
    ]
    lines = summary(rows).splitlines()
    assert lines[2].startswith("| strong | light | dga | truth | -30% (-30% to -30%) | 0 of 1 |")
    assert lines[3].startswith("| strong | light | lcmcr | truth | -10% (-10% to -10%) | 1 of 1 |")
    assert len(lines) == 4  # no pooled rows: no pooled figures
