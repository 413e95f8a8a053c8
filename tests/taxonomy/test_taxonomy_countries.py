"""Countries: ISO look-ups, translated names and UNODC GLOTIP regions."""

from __future__ import annotations

import pytest

from lantern.taxonomy import UnknownCode, all_countries, code_list, country
from lantern.taxonomy.countries import flow_scope, region_table

GLOTIP_REGIONS = {
    "Europe and Central Asia": {
        "Western and Southern Europe",
        "Central and South-Eastern Europe",
        "Eastern Europe and Central Asia",
    },
    "East Asia and the Pacific": {"East Asia and the Pacific"},
    "South Asia": {"South Asia"},
    "North Africa and the Middle East": {"North Africa and the Middle East"},
    "Sub-Saharan Africa": {"Sub-Saharan Africa"},
    "North America": {"North America"},
    "Central America and the Caribbean": {"Central America and the Caribbean"},
    "South America": {"South America"},
}

# The 193 member states of the United Nations (ISO 3166-1 alpha-3).
_UN_MEMBER_STATES_TEXT = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA
BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK
COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD
GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ
LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE
MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT
QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF
SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA
USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBER_STATES = tuple(_UN_MEMBER_STATES_TEXT.split())


@pytest.mark.parametrize(
    ("code", "region", "subregion"),
    [
        ("NPL", "South Asia", "South Asia"),
        ("THA", "East Asia and the Pacific", "East Asia and the Pacific"),
        ("ALB", "Europe and Central Asia", "Central and South-Eastern Europe"),
        ("GRC", "Europe and Central Asia", "Western and Southern Europe"),
        ("CIV", "Sub-Saharan Africa", "Sub-Saharan Africa"),
        ("UKR", "Europe and Central Asia", "Eastern Europe and Central Asia"),
        ("SAU", "North Africa and the Middle East", "North Africa and the Middle East"),
        ("HTI", "Central America and the Caribbean", "Central America and the Caribbean"),
        ("BRA", "South America", "South America"),
        ("USA", "North America", "North America"),
    ],
)
def test_country_regions(code: str, region: str, subregion: str) -> None:
    found = country(code)
    assert (found.region, found.subregion) == (region, subregion)


def test_un_member_state_list_is_complete_and_each_has_a_glotip_region() -> None:
    assert len(set(UN_MEMBER_STATES)) == 193
    for alpha3 in UN_MEMBER_STATES:
        found = country(alpha3)
        assert found.region in GLOTIP_REGIONS, alpha3
        assert found.subregion in GLOTIP_REGIONS[found.region], alpha3


def test_lookup_accepts_alpha2_and_alpha3_in_any_case() -> None:
    assert country("np").alpha3 == "NPL"
    assert country(" tha ").alpha2 == "TH"
    assert country("Civ") is country("CI")


@pytest.mark.parametrize("bad", ["XYZ", "ZZ", "Nepal", "", "N"])
def test_unknown_country_raises_unknown_code_naming_the_list(bad: str) -> None:
    with pytest.raises(UnknownCode, match="countries"):
        country(bad)


def test_names_are_translated_from_the_iso_catalogues() -> None:
    assert country("DEU").name() == "Germany"
    assert country("DEU").name("fr") == "Allemagne"
    assert country("DEU").name("es") == "Alemania"
    assert country("BOL").name() == "Bolivia"  # the common name, not "Bolivia, Plurinational..."


def test_every_iso_country_is_placed_or_explicitly_unassigned() -> None:
    table = region_table()
    for found in all_countries():
        assert (found.region is None) == (found.alpha3 in table.unassigned)
    assert country("ATA").region is None  # Antarctica has no GLOTIP region


def test_region_table_declares_it_is_derived_not_verified() -> None:
    table = region_table()
    assert table.verified is False
    assert "M49" in table.source


@pytest.mark.parametrize(
    ("origin", "destination", "scope"),
    [
        ("THA", "tha", "domestic"),
        ("NPL", "IND", "intra_subregional"),
        ("ALB", "GRC", "intra_regional"),
        ("NGA", "ITA", "trans_regional"),
        ("MMR", "ATA", None),
    ],
)
def test_flow_scope(origin: str, destination: str, scope: str | None) -> None:
    assert flow_scope(origin, destination) == scope


def test_countries_code_list_serves_forms_and_imports() -> None:
    countries = code_list("countries")
    assert len(countries) == len(all_countries())
    assert "NPL" in countries
    assert countries.label("CIV", "es") == country("CIV").name("es")
