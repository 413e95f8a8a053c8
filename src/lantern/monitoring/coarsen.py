"""What the mart keeps of an age and a journey: categories, never the exact values.

Pure functions, shared by the mart's build and the statistics that read it, so that a category
means the same thing on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable

from lantern.taxonomy import age_group_of_range
from lantern.taxonomy.ages import MINOR_UNKNOWN

#: What is known when the source gave only "a minor" or "an adult", or a band that spans several
#: of Lantern's groups: the ``age_groups`` list's own "Minor, exact age unknown", and an adult
#: of unknown exact age, which the list counts as 18+ and the mart keeps apart.
MINOR_AGE_UNKNOWN = MINOR_UNKNOWN
ADULT_AGE_UNKNOWN = "adult_unknown"
ADULT = "child_18_plus"
CHILD_AGE_CATEGORIES = ("child_0_11", "child_12_14", "child_15_17", MINOR_AGE_UNKNOWN)
ADULT_AGE_CATEGORIES = (ADULT, ADULT_AGE_UNKNOWN)
AGE_CATEGORIES = CHILD_AGE_CATEGORIES + ADULT_AGE_CATEGORIES


def age_category(age_min: int | None, age_max: int | None) -> str:
    """The age group the known bounds of an age put it in ('' when not even that is known).

    An exact age or a band within one group is that group; a band of minors spanning groups (or
    "a minor", max 17) is "minor, exact age unknown"; "an adult" with no upper bound is "adult,
    exact age unknown"; a band across 18, or nothing, is unknown: never a presumed minor.
    """
    if age_min is not None and age_max is not None and age_min > age_max:
        return ""
    if age_min is not None and age_min >= 18 and age_max is None:
        return ADULT_AGE_UNKNOWN
    return age_group_of_range(age_min, age_max) or ""


def journey_scope(countries: Iterable[str]) -> str:
    """ "domestic" when every known step of the journey is in one country, "cross_border" when
    it crosses one, '' when no step names a country."""
    known = {c for c in countries if c}
    if not known:
        return ""
    return "domestic" if len(known) == 1 else "cross_border"
