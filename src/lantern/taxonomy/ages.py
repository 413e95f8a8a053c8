"""Age groups: which band of a scheme an age in years falls in.

Bands are read from the ids of the ``age_groups`` code list (``child_15_17``,
``ctdc_48_plus``), so the list is the only place they are defined. Schemes: ``child``
(0-11, 12-14, 15-17, 18+; C182 art. 2 puts the child line at 18) and ``ctdc`` (CTDC ageBroad).
An age known only as a band (``age_group_of_range``) gets the child band it fits in, else
``minor_unknown`` when it is under 18 but spans child bands (CTDC's 9-17): a source's band is
kept as given and never narrowed to a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.taxonomy.codes import code_list

AGE_GROUPS = "age_groups"
MAX_AGE = 130
_BAND_ID = re.compile(r"^(?P<scheme>[a-z]+)_(?P<low>\d+)_(?P<high>\d+|plus)$")
#: A minor whose exact age (or child band) is unknown: in no scheme, by design.
MINOR_UNKNOWN = "minor_unknown"
ADULT_AGE = 18


@lru_cache(maxsize=1)
def schemes() -> dict[str, tuple[tuple[int, int | None, str], ...]]:
    """Per scheme, its bands as (lowest age, highest age or None, id), lowest first."""
    bands: dict[str, list[tuple[int, int | None, str]]] = {}
    for code_id in code_list(AGE_GROUPS).ids():
        if code_id == MINOR_UNKNOWN:
            continue
        match = _BAND_ID.match(code_id)
        if match is None:
            raise ValueError(f"{AGE_GROUPS}: id {code_id!r} is not <scheme>_<from>_<to|plus>")
        high = None if match["high"] == "plus" else int(match["high"])
        bands.setdefault(match["scheme"], []).append((int(match["low"]), high, code_id))
    return {scheme: tuple(sorted(found)) for scheme, found in bands.items()}


def age_group(years: int | None, scheme: str = "child") -> str | None:
    """The ``age_groups`` id for an age in whole years; None when the age is unknown."""
    if years is None:
        return None
    if isinstance(years, bool) or not isinstance(years, int):
        raise TypeError(f"age must be whole years (int), got {years!r}")
    if not 0 <= years <= MAX_AGE:
        raise ValueError(f"age {years} is outside 0..{MAX_AGE}")
    bands = schemes().get(scheme)
    if bands is None:
        raise ValueError(f"unknown age scheme {scheme!r}; use one of {', '.join(schemes())}")
    for low, high, code_id in bands:
        if years >= low and (high is None or years <= high):
            return code_id
    raise ValueError(f"age {years} falls in no band of scheme {scheme!r}")


def age_group_of_range(low: int | None, high: int | None) -> str | None:
    """The ``child`` group an age known as a band (``low``..``high``, inclusive; None = open)
    falls in: its child band when the whole band fits one, ``minor_unknown`` when it is under
    18 but spans bands, ``child_18_plus`` when at least 18; None when it may be either."""
    if low is None and high is None:
        return None
    if low is not None and low >= ADULT_AGE:
        return age_group(low)
    if high is None or high >= ADULT_AGE:
        return None  # may be a child or an adult: nothing is known of the group
    first = age_group(low or 0)
    return first if first == age_group(high) else MINOR_UNKNOWN
