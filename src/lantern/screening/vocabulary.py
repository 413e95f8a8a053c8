"""The words of the rules: Palermo art. 3 elements, ILO/EC dimensions, profiles and answers.

Kept apart from the rules so that inputs, catalogue and checklist share one spelling of every
code (the case model stores these ids).
"""

from __future__ import annotations

from typing import Literal, get_args

RULESET_VERSION = "palermo-ilo-2009/1"
"""Version of the rules below; every result carries it so a stored result can be re-read later."""

Answer = Literal["yes", "no", "unknown"]
Element = Literal["yes", "no", "unknown", "not_required"]
DimensionResult = Literal["positive", "not_positive", "insufficient_data"]
Trafficking = Literal["yes", "no", "undetermined"]
Strength = Literal["S", "M", "W"]
Profile = Literal["child_labour", "child_sexual", "adult_labour", "adult_sexual"]
AgeBasis = Literal["documented", "assessed", "stated", "unknown"]
Dimension = Literal["D1", "D2", "D3", "D4", "D5", "D6"]

ANSWERS: tuple[Answer, ...] = get_args(Answer)
PROFILES: tuple[Profile, ...] = get_args(Profile)
AGE_BASES: tuple[AgeBasis, ...] = get_args(AgeBasis)
DIMENSIONS: tuple[Dimension, ...] = get_args(Dimension)

# Palermo Protocol art. 3(a).
ACTS: frozenset[str] = frozenset(
    {"recruitment", "transportation", "transfer", "harbouring", "receipt"}
)
MEANS: frozenset[str] = frozenset(
    {
        "threat",
        "force",
        "coercion",
        "abduction",
        "fraud",
        "deception",
        "abuse_of_power",
        "abuse_of_vulnerability",
        "payments_to_controller",
    }
)
# Art. 3(a) minimum list plus the UNODC / national-law "other purposes" and C182 art. 3.
PURPOSES: frozenset[str] = frozenset(
    {
        "sexual_exploitation",
        "forced_labour",
        "forced_services",
        "slavery",
        "slavery_like_practices",
        "servitude",
        "organ_removal",
        "forced_begging",
        "forced_criminality",
        "forced_marriage",
        "illegal_adoption",
        "armed_conflict",
    }
)

DIMENSION_LABELS: dict[Dimension, str] = {
    "D1": "Deceptive recruitment",
    "D2": "Coercive recruitment",
    "D3": "Recruitment by abuse of vulnerability",
    "D4": "Exploitative conditions",
    "D5": "Coercion at destination",
    "D6": "Abuse of vulnerability at destination",
}
RECRUITMENT_DIMENSIONS: tuple[Dimension, ...] = ("D1", "D2", "D3")
DESTINATION_MEANS_DIMENSIONS: tuple[Dimension, ...] = ("D5", "D6")
