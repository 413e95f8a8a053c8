"""How a Lantern code is written in an HTCDS 2.0 record, and that it reads back as itself."""

from __future__ import annotations

from lantern import taxonomy
from lantern.taxonomy import htcds


def test_a_code_is_written_as_its_htcds_value_and_reads_back() -> None:
    assert htcds.value("exploitation_forms", "armed_conflict") == "ForcedMilitaryByNonStateActors"
    assert htcds.value("isic_sections", "T") == "T_ActivitiesOfHouseholdsAsEmployers"
    assert htcds.value("actor_roles", "recruiter") == "RecruiterOrIntermediary"
    assert htcds.value("event_types", "transit") == "Transit"
    for name in taxonomy.list_names():
        for code in taxonomy.code_list(name):
            assert taxonomy.validate(name, htcds.value(name, code.id)) == code.id, (name, code)


def test_a_code_the_standard_lacks_is_written_as_lantern_id() -> None:
    assert htcds.value("exploitation_forms", "forced_criminality") == "forced_criminality"
    assert htcds.value("intake_channels", "hotline") == "hotline"
    assert htcds.values("transport_modes", ["bus", "", "boat"]) == ["bus", "boat"]


def test_blank_and_retired_codes_are_written_as_stored() -> None:
    assert htcds.value("genders", "") == ""
    assert htcds.value("genders", "Retired") == "Retired"


def test_countries_are_written_alpha_2() -> None:
    assert htcds.country_value("NPL") == "NP"
    assert htcds.country_value("NAM") == "NA"  # Namibia, never "missing"
    assert htcds.country_value("") == ""
    assert taxonomy.country("NA").alpha3 == "NAM"
