"""``lantern count``'s path on worlds it was not built on (#13): another generator's children,
names and typing errors (benchmarks/outside_records.py), with a capture model of its own
(benchmarks/count_other_worlds.py). Where the lists are independent, or one agency refers
children to another, and the agencies type as a careful register does, the figure covers the
truth and lands within 20% of it. (The benchmark shows where it does not: heavy typing and
visibility that differs between children; docs/estimation.md.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.count_other_worlds import SETTINGS, world

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
