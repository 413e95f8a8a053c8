"""CTDC mappings: legacy -> 2024 folding, and the rule that composites never expand."""

from __future__ import annotations

import copy
import math

import pytest

from lantern.taxonomy import UnknownCode, code_list
from lantern.taxonomy.codes import read_data_file
from lantern.taxonomy.ctdc import (
    FLAG_LISTS,
    MAPPING_FILE,
    _parse,
    ctdc_2024_flags,
    ctdc_2024_to_lantern,
    ctdc_age_broad,
    ctdc_gender,
    legacy_to_2024,
    mapping,
)
from lantern.taxonomy.errors import TaxonomyDataError


def test_composites_are_those_standards_section_1_4_names() -> None:
    spec = mapping()
    assert spec.composites == {
        "meansDebtBondageEarnings",
        "meansThreats",
        "meansAbusePsyPhySex",
        "meansDenyBasicNeeds",
        "isOtherExploit",
    }
    assert set(spec.legacy_to_2024["meansThreats"]) == {
        "meansOfControlThreats",
        "meansOfControlThreatOfLawEnforcement",
        "meansOfControlUsesChildren",
    }


@pytest.mark.parametrize("composite", sorted(mapping().composites))
def test_a_2024_composite_positive_never_expands_into_its_parts(composite: str) -> None:
    codes = ctdc_2024_to_lantern({composite: "1"})
    assert codes.ctdc_composites == {composite}
    assert not (codes.control_methods or codes.exploitation_forms or codes.isic_sections)


def test_round_trip_keeps_one_to_one_codes_and_leaves_composites_composite() -> None:
    flags = ctdc_2024_flags(control_methods=["PhysicalThreats", "WithholdsDocuments"])
    assert flags == {"meansThreats": 1, "meansWithholdDocs": 1}
    back = ctdc_2024_to_lantern(flags)
    assert back.control_methods == {"WithholdsDocuments"}  # not PhysicalThreats
    assert back.ctdc_composites == {"meansThreats"}


def test_a_mapping_file_that_expands_a_composite_is_refused() -> None:
    content = copy.deepcopy(read_data_file(MAPPING_FILE))
    content["to_lantern"]["meansDebtBondageEarnings"] = {"control_methods": "DebtBondage"}
    with pytest.raises(TaxonomyDataError, match="meansDebtBondageEarnings"):
        _parse(content)


def test_legacy_flags_fold_by_or_and_unknown_never_becomes_no() -> None:
    debt, earnings = "meansOfControlDebtBondage", "meansOfControlTakesEarnings"
    target = "meansDebtBondageEarnings"
    assert legacy_to_2024({debt: 1, earnings: 0})[target] == 1
    assert legacy_to_2024({debt: "0", earnings: "0"})[target] == 0
    assert legacy_to_2024({debt: "-99", earnings: 0})[target] is None
    assert legacy_to_2024({debt: 0})[target] is None  # a missing column is unknown
    assert legacy_to_2024({debt: -99.0, earnings: math.nan})[target] is None
    assert legacy_to_2024({debt: 1.0, earnings: -99})[target] == 1


def test_legacy_other_exploitation_types_fold_into_is_other_exploit() -> None:
    row = {"isOtherExploit": 0, "isForcedMarriage": 1, "isForcedMilitary": 0}
    assert legacy_to_2024(row)["isOtherExploit"] == 1


def test_a_cell_that_is_not_a_flag_is_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match="meansOfControlThreats"):
        legacy_to_2024({"meansOfControlThreats": "sometimes"})


def test_every_ctdc_annotation_on_flag_lists_is_a_2024_field() -> None:
    fields = set(mapping().fields_2024)
    for name in (*FLAG_LISTS, "relationship_to_trafficker"):
        for code in code_list(name):
            assert code.ctdc is None or code.ctdc in fields, f"{name}.{code.id}"


def test_lantern_codes_to_ctdc_2024_flags() -> None:
    flags = ctdc_2024_flags(
        exploitation_forms=["forced_begging", "sexual_exploitation", "organ_removal"],
        control_methods=["DebtBondage", "TakesEarnings"],
        isic_sections=["T", "C"],
        sex_exploitation_types=["Prostitution"],
        relationship_to_trafficker="Familial",
    )
    assert flags == {
        "isForcedLabour": 1,
        "isSexualExploit": 1,
        "isOtherExploit": 1,
        "meansDebtBondageEarnings": 1,
        "sectorOfLabourDomesticWork": 1,
        "sectorOfSexProstitution": 1,
        "recruiterRelationFamily": 1,
    }
    with pytest.raises(UnknownCode, match="isic_sections"):
        ctdc_2024_flags(isic_sections=["Z"])


def test_gender_and_age_map_to_ctdc_values_with_unknown_left_blank() -> None:
    assert ctdc_gender("Feminine") == "Woman"
    assert ctdc_gender("TransgenderMasculine") == "Trans/Transgender/NonConforming"
    assert ctdc_gender("NonSpecifiedUnknown") is None
    assert ctdc_gender(None) is None
    ages = {8: "0--8", 9: "9--17", 17: "9--17", 18: "18--20", 47: "39--47", 48: "48+"}
    assert {a: ctdc_age_broad(a) for a in ages} == ages
    assert ctdc_age_broad(None) is None
