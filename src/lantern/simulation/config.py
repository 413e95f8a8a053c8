"""What a simulation run is asked to build: one frozen, validated value.

Every output depends only on this value, so two runs with equal configs are byte-identical.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal, get_args

from lantern.simulation.scenario import SCENARIO_NAMES

CaptureSetting = Literal["realistic", "independent", "heterogeneous", "dependent"]
CAPTURE_SETTINGS: tuple[str, ...] = get_args(CaptureSetting)

MIN_AGENCIES = 3
MAX_AGENCIES = 10
MAX_CHILDREN = 20_000_000


class ConfigError(ValueError):
    """A setting is out of range; the message names the setting."""


@dataclass(frozen=True)
class SimulationConfig:
    """Settings of one synthetic country.

    ``capture`` chooses how agencies find children, so the assumptions of multiple systems
    estimation hold (``independent``) or are broken on purpose: ``heterogeneous`` (some children
    are far easier to find, for every agency), ``dependent`` (referrals between agencies make
    their lists overlap more than chance) or ``realistic`` (both, moderately).
    """

    seed: int = 1
    children: int = 5000
    agencies: int = 5
    scenario: str = "south_asia"
    capture: CaptureSetting = "realistic"
    start: date = date(2024, 1, 1)
    end: date = date(2025, 12, 31)

    def __post_init__(self) -> None:
        if not 0 <= self.seed < 2**63:
            raise ConfigError(f"seed must be between 0 and 2**63-1, got {self.seed}")
        if not 1 <= self.children <= MAX_CHILDREN:
            raise ConfigError(f"children must be between 1 and {MAX_CHILDREN}, got {self.children}")
        if not MIN_AGENCIES <= self.agencies <= MAX_AGENCIES:
            raise ConfigError(
                f"agencies must be between {MIN_AGENCIES} and {MAX_AGENCIES}, got {self.agencies}"
            )
        if self.scenario not in SCENARIO_NAMES:
            raise ConfigError(
                f"scenario must be one of {', '.join(SCENARIO_NAMES)}, got {self.scenario!r}"
            )
        if self.capture not in CAPTURE_SETTINGS:
            raise ConfigError(
                f"capture must be one of {', '.join(CAPTURE_SETTINGS)}, got {self.capture!r}"
            )
        if (self.end - self.start).days < 60:
            raise ConfigError(
                f"end must be at least 60 days after start (start {self.start}, end {self.end})"
            )
        if self.start.year < 2000 or self.end.year > 2060:
            raise ConfigError(f"start and end must lie between 2000 and 2060 (start {self.start})")

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = self.start.isoformat()
        d["end"] = self.end.isoformat()
        return d
