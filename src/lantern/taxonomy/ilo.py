"""The ILO/EC operational indicators of trafficking (Delphi survey, 2009) as typed values.

``data/ilo-indicators.yaml`` is a byte-identical copy of the reference catalogue; this module
only reads it. Screening needs, per indicator, its dimension (D1..D6) and its strength in
each of the four lists, plus the catalogue's `verified` flag and its `provisional` notes,
because a profile whose weights are unverified may only run in provisional mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from lantern.taxonomy.codes import read_data_file
from lantern.taxonomy.errors import TaxonomyDataError, UnknownCode

CATALOGUE_FILE = "ilo-indicators.yaml"


class Strength(StrEnum):
    STRONG = "S"
    MEDIUM = "M"
    WEAK = "W"


class Profile(StrEnum):
    CHILD_LABOUR = "child_labour"
    CHILD_SEXUAL = "child_sexual"
    ADULT_LABOUR = "adult_labour"
    ADULT_SEXUAL = "adult_sexual"


DIMENSIONS: dict[str, str] = {
    "D1": "deceptive recruitment",
    "D2": "coercive recruitment",
    "D3": "recruitment by abuse of vulnerability",
    "D4": "exploitative conditions of work",
    "D5": "coercion at destination",
    "D6": "abuse of vulnerability at destination",
}

# The catalogue did not transcribe adult_sexual weights and says to use adult_labour's
# provisionally; this is that instruction, applied only where no own weight is recorded.
BORROWED_WEIGHTS: dict[Profile, Profile] = {Profile.ADULT_SEXUAL: Profile.ADULT_LABOUR}


@dataclass(frozen=True)
class Indicator:
    """One operational indicator with its strength in each list (None: not in that list)."""

    id: str
    dimension: str
    label: str
    strengths: tuple[tuple[Profile, Strength | None], ...]

    def recorded_strength(self, profile: Profile | str) -> Strength | None:
        """The weight the catalogue itself records for this profile."""
        return dict(self.strengths).get(Profile(profile))

    def strength(self, profile: Profile | str) -> Strength | None:
        """The weight screening uses: recorded, else borrowed as BORROWED_WEIGHTS says."""
        wanted = Profile(profile)
        own = dict(self.strengths)
        if wanted in own:
            return own[wanted]
        lender = BORROWED_WEIGHTS.get(wanted)
        return own.get(lender) if lender is not None else None


@dataclass(frozen=True)
class IndicatorCatalogue:
    """The indicator catalogue with its citation, verification flag and provisional notes."""

    source: str
    verified: bool
    indicators: tuple[Indicator, ...]
    provisional: dict[Profile, str]

    def by_id(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise UnknownCode("ilo_indicators", indicator_id, (i.id for i in self.indicators))

    def for_profile(self, profile: Profile | str) -> tuple[Indicator, ...]:
        """Indicators that carry a weight in this profile's list, in catalogue order."""
        wanted = _profile(profile)
        return tuple(i for i in self.indicators if i.strength(wanted) is not None)

    def is_provisional(self, profile: Profile | str) -> bool:
        """True when results for this profile must be flagged provisional."""
        return not self.verified or _profile(profile) in self.provisional


def _profile(value: Profile | str) -> Profile:
    try:
        return Profile(value)
    except ValueError:
        raise UnknownCode("ilo_profiles", value, [p.value for p in Profile]) from None


def _parse_indicator(raw: dict[str, Any]) -> Indicator:
    indicator_id = raw.get("id")
    dimension = raw.get("dim")
    if not isinstance(indicator_id, str) or dimension not in DIMENSIONS:
        raise TaxonomyDataError(f"{CATALOGUE_FILE}: bad id or dimension in {raw!r}")
    if not indicator_id.startswith(f"{dimension}."):
        raise TaxonomyDataError(f"{CATALOGUE_FILE}: {indicator_id} is not in dimension {dimension}")
    strengths: list[tuple[Profile, Strength | None]] = []
    for profile in Profile:
        if profile.value not in raw:
            continue
        value = raw[profile.value]
        try:
            strengths.append((profile, None if value is None else Strength(value)))
        except ValueError:
            raise TaxonomyDataError(
                f"{CATALOGUE_FILE}: {indicator_id} has strength {value!r}"
            ) from None
    if all(s is None for _, s in strengths):
        raise TaxonomyDataError(f"{CATALOGUE_FILE}: {indicator_id} has no weight in any list")
    return Indicator(indicator_id, str(dimension), str(raw.get("label", "")), tuple(strengths))


def parse_catalogue(content: dict[str, Any]) -> IndicatorCatalogue:
    """Build the catalogue from the parsed YAML, checking what screening relies on."""
    raw_indicators = content.get("indicators")
    if not isinstance(raw_indicators, list) or not isinstance(content.get("verified"), bool):
        raise TaxonomyDataError(f"{CATALOGUE_FILE}: needs 'indicators' and boolean 'verified'")
    indicators = tuple(_parse_indicator(raw) for raw in raw_indicators)
    ids = [i.id for i in indicators]
    if len(ids) != len(set(ids)):
        raise TaxonomyDataError(f"{CATALOGUE_FILE}: duplicate indicator ids")
    provisional = {Profile(k): str(v) for k, v in (content.get("provisional") or {}).items()}
    return IndicatorCatalogue(
        source=str(content.get("source", "")),
        verified=bool(content["verified"]),
        indicators=indicators,
        provisional=provisional,
    )


@lru_cache(maxsize=1)
def catalogue() -> IndicatorCatalogue:
    """The shipped ILO/EC indicator catalogue."""
    return parse_catalogue(read_data_file(CATALOGUE_FILE))
