"""Loads the ILO/EC indicator catalogue (strength of each indicator in each of the four lists).

A small loader of our own, reading the package copy kept in ``lantern.taxonomy``, so the rules
depend on the data file and not on another package's API.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, cast

import yaml

from lantern.screening.vocabulary import DIMENSIONS, PROFILES, Dimension, Profile, Strength

# The catalogue's `provisional` section says adult_sexual is not transcribed and adult_labour
# weights stand in; standards.md 3.4 corroborates "Forced tasks or clients = Strong" in both
# sexual-exploitation lists, so that one weight is carried over.
_BORROWED_PROFILE: dict[Profile, Profile] = {"adult_sexual": "adult_labour"}
_CORROBORATED: dict[tuple[Profile, str], Strength] = {
    ("adult_sexual", "D5.forced_tasks_clients"): "S",
}


class CatalogueError(ValueError):
    """The indicator catalogue file is not as the rules expect."""


@dataclass(frozen=True, slots=True)
class Indicator:
    """One ILO/EC operational indicator and its strength per list (None: not in that list)."""

    id: str
    dimension: Dimension
    label: str
    strengths: dict[Profile, Strength | None]

    def strength(self, profile: Profile) -> Strength | None:
        return self.strengths.get(profile)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The catalogue with its provenance; `verified` False makes every result provisional."""

    source: str
    verified: bool
    indicators: dict[str, Indicator]
    provisional_profiles: dict[Profile, str]

    def for_dimension(self, dimension: Dimension) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.dimension == dimension]


def _strength(raw: Any, where: str) -> Strength | None:
    if raw is None or raw in ("S", "M", "W"):
        return cast("Strength | None", raw)
    raise CatalogueError(f"{where}: strength must be S, M, W or null, not {raw!r}")


def parse_catalogue(data: Any) -> Catalogue:
    """Build a Catalogue from the parsed YAML mapping, checking every entry."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogueError("catalogue must be a mapping with an 'indicators' list")
    indicators: dict[str, Indicator] = {}
    for n, entry in enumerate(data["indicators"]):
        where = f"indicators[{n}]"
        if not isinstance(entry, dict) or entry.get("dim") not in DIMENSIONS:
            raise CatalogueError(f"{where}: needs 'id', 'label' and 'dim' in D1..D6")
        strengths: dict[Profile, Strength | None] = {}
        for profile in PROFILES:
            if profile in entry:
                strengths[profile] = _strength(entry[profile], f"{where}.{profile}")
            elif profile in _BORROWED_PROFILE:
                borrowed = _strength(entry.get(_BORROWED_PROFILE[profile]), where)
                strengths[profile] = _CORROBORATED.get((profile, entry["id"]), borrowed)
            else:
                strengths[profile] = None
        indicators[str(entry["id"])] = Indicator(
            id=str(entry["id"]),
            dimension=entry["dim"],
            label=str(entry["label"]),
            strengths=strengths,
        )
    provisional = data.get("provisional") or {}
    return Catalogue(
        source=str(data.get("source", "")),
        verified=data.get("verified") is True,
        indicators=indicators,
        provisional_profiles={p: str(provisional[p]) for p in PROFILES if p in provisional},
    )


@functools.cache
def load_catalogue() -> Catalogue:
    """The packaged ILO/EC catalogue (read once per process)."""
    path = files("lantern.taxonomy") / "data" / "ilo-indicators.yaml"
    return parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8")))
