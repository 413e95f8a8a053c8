"""The ILO/EC indicator catalogue as typed objects."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from lantern.taxonomy import UnknownCode
from lantern.taxonomy.errors import TaxonomyDataError
from lantern.taxonomy.ilo import DIMENSIONS, Profile, Strength, catalogue, parse_catalogue


def test_every_indicator_has_a_dimension_and_at_least_one_weight() -> None:
    indicators = catalogue().indicators
    assert indicators
    for indicator in indicators:
        assert indicator.dimension in DIMENSIONS
        assert indicator.id.startswith(indicator.dimension + ".")
        assert any(indicator.recorded_strength(p) for p in Profile)


def test_dimension_sizes_match_the_delphi_survey() -> None:
    # Indicator counts per dimension reported for the Delphi lists (standards.md section 3.1).
    sizes = Counter(i.dimension for i in catalogue().indicators)
    assert sizes == {"D1": 10, "D2": 10, "D3": 16, "D4": 9, "D5": 15, "D6": 7}


def test_child_labour_list_has_no_weak_indicators_and_omits_adult_only_items() -> None:
    child = catalogue().for_profile("child_labour")
    assert all(i.strength("child_labour") is not Strength.WEAK for i in child)
    ids = {i.id for i in child}
    assert "D3.false_law_info" not in ids and "D4.no_social_protection" not in ids
    assert catalogue().by_id("D4.excessive_hours").strength(Profile.CHILD_LABOUR) is Strength.STRONG


def test_provenance_and_provisional_profiles_are_exposed() -> None:
    cat = catalogue()
    assert cat.verified is False
    assert "WCMS_105023" in cat.source
    assert set(cat.provisional) == {Profile.CHILD_SEXUAL, Profile.ADULT_SEXUAL}
    assert all(cat.is_provisional(p) for p in Profile)  # nothing verified yet


def test_adult_sexual_borrows_adult_labour_weights_but_records_none_of_its_own() -> None:
    indicator = catalogue().by_id("D2.threats")
    assert indicator.recorded_strength("adult_sexual") is None
    assert indicator.strength("adult_sexual") == indicator.strength("adult_labour")
    assert len(catalogue().for_profile("adult_sexual")) == len(
        catalogue().for_profile("adult_labour")
    )


def test_unknown_indicator_and_profile_raise_unknown_code() -> None:
    with pytest.raises(UnknownCode, match=r"D9\.nothing"):
        catalogue().by_id("D9.nothing")
    with pytest.raises(UnknownCode, match="child_labor"):
        catalogue().for_profile("child_labor")


def _catalogue_with(indicator: dict[str, Any]) -> dict[str, Any]:
    return {"source": "x", "verified": False, "indicators": [indicator]}


@pytest.mark.parametrize(
    "indicator",
    [
        {"id": "D7.x", "dim": "D7", "label": "x", "child_labour": "S"},
        {"id": "D1.x", "dim": "D2", "label": "x", "child_labour": "S"},
        {"id": "D1.x", "dim": "D1", "label": "x", "child_labour": "strong"},
        {"id": "D1.x", "dim": "D1", "label": "x", "child_labour": None},
    ],
)
def test_malformed_catalogue_is_refused(indicator: dict[str, Any]) -> None:
    with pytest.raises(TaxonomyDataError):
        parse_catalogue(_catalogue_with(indicator))
