"""Same seed and settings give byte-identical files; another seed gives other data."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.simulation import FILES, SimulationConfig, write


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in FILES}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    config = SimulationConfig(seed=21, children=2500, agencies=4, scenario="west_africa")
    write(config, tmp_path / "a")
    write(config, tmp_path / "b")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


@pytest.mark.slow
def test_parallel_workers_give_the_same_bytes(tmp_path: Path) -> None:
    # More than one batch of blocks, so the parallel path really splits the work.
    config = SimulationConfig(seed=22, children=2 * 2048 + 100, agencies=3, scenario="mekong")
    write(config, tmp_path / "serial")
    write(config, tmp_path / "parallel", workers=2)
    assert _bytes(tmp_path / "serial") == _bytes(tmp_path / "parallel")


def test_other_seed_gives_other_data(tmp_path: Path) -> None:
    base = SimulationConfig(seed=21, children=1500, agencies=4, scenario="south_east_europe")
    write(base, tmp_path / "a")
    write(SimulationConfig(**{**base.__dict__, "seed": 22}), tmp_path / "b")
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert all(a[name] != b[name] for name in FILES)
