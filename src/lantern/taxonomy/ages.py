"""Age groups: which band of a scheme an age in years falls in.

Bands are read from the ids of the ``age_groups`` code list (``child_15_17``,
``ctdc_48_plus``), so the list is the only place they are defined. Schemes: ``child``
(0-11, 12-14, 15-17, 18+; C182 art. 2 puts the child line at 18) and ``ctdc`` (CTDC ageBroad).
"""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.taxonomy.codes import code_list

AGE_GROUPS = "age_groups"
MAX_AGE = 130
_BAND_ID = re.compile(r"^(?P<scheme>[a-z]+)_(?P<low>\d+)_(?P<high>\d+|plus)$")


@lru_cache(maxsize=1)
def schemes() -> dict[str, tuple[tuple[int, int | None, str], ...]]:
    """Per scheme, its bands as (lowest age, highest age or None, id), lowest first."""
    bands: dict[str, list[tuple[int, int | None, str]]] = {}
    for code_id in code_list(AGE_GROUPS).ids():
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
