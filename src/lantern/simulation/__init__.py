"""A synthetic country of trafficked children, with the truth known, and agencies' records of them.

Pure Python (no Django, no database). ``simulate(config)`` builds a small world in memory;
``write(config, out_dir)`` streams a large one to files. Both are deterministic for a seed.
"""

from lantern.simulation.config import CAPTURE_SETTINGS, ConfigError, SimulationConfig
from lantern.simulation.output import FILES, write
from lantern.simulation.scenario import SCENARIO_NAMES, Scenario, ScenarioError, load_scenario
from lantern.simulation.world import World, simulate

__all__ = [
    "CAPTURE_SETTINGS",
    "FILES",
    "SCENARIO_NAMES",
    "ConfigError",
    "Scenario",
    "ScenarioError",
    "SimulationConfig",
    "World",
    "load_scenario",
    "simulate",
    "write",
]
