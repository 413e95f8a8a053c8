"""Small simulated worlds shared by the simulation tests (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.simulation import SimulationConfig, World, simulate, write


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[SimulationConfig, Path]:
    """The 'hardest' world written to disk: most scripts, errors and blanks."""
    config = SimulationConfig(seed=11, children=3000, agencies=6, scenario="hardest")
    out = tmp_path_factory.mktemp("hardest")
    write(config, out)
    return config, out


@pytest.fixture(scope="session")
def independent() -> World:
    return simulate(
        SimulationConfig(
            seed=3, children=6000, agencies=5, scenario="mekong", capture="independent"
        )
    )


@pytest.fixture(scope="session")
def dependent() -> World:
    return simulate(
        SimulationConfig(
            seed=4, children=6000, agencies=5, scenario="south_asia", capture="dependent"
        )
    )


@pytest.fixture(scope="session")
def realistic() -> World:
    return simulate(SimulationConfig(seed=5, children=8000, agencies=7, scenario="south_asia"))
