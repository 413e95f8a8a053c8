"""Code lists: every list loads cleanly, carries provenance, and honours the record format."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from lantern.taxonomy import LANGUAGES, UnknownCode, code_list, list_names, validate
from lantern.taxonomy.codes import parse_code_list
from lantern.taxonomy.errors import TaxonomyDataError

RECORD_FORMAT = Path(__file__).resolve().parents[2] / "docs" / "record-format.md"

# Lists the task brief asks for, by name.
REQUIRED_LISTS = {
    "exploitation_forms", "isic_sections", "palermo_acts", "palermo_means", "palermo_purposes",
    "control_methods", "recruitment_methods", "actor_roles", "event_types", "transport_modes",
    "support_types", "case_outcomes", "return_pathways", "vulnerability_factors",
    "consent_items", "agency_types", "intake_channels", "case_statuses", "genders",
    "age_evidence", "trafficking_statuses", "decision_orgs", "relationship_to_trafficker",
    "sex_exploitation_types", "age_groups", "countries",
}  # fmt: skip

# Record-format columns whose list the table names only as "code".
UNBRACKETED_COLUMNS = {
    "vic_TraffickingStatus": "trafficking_statuses",
    "vic_TraffickingStatusDecisionMakingOrg": "decision_orgs",
    "vic_RelationshipToTrafficker": "relationship_to_trafficker",
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
}
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _record_format_ids() -> dict[str, set[str]]:
    """List name -> the code ids docs/record-format.md names for it."""
    text = RECORD_FORMAT.read_text(encoding="utf-8")
    named: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 5 or not cells[1].startswith("`"):
            continue
        column, kind, meaning = cells[1].strip("`"), cells[2], cells[3]
        bracket = re.search(r"\[([a-z_]+)\]", kind)
        list_name = bracket.group(1) if bracket else UNBRACKETED_COLUMNS.get(column)
        if list_name is None or list_name == "countries" or "JSON" in kind:
            continue
        ids = {t for t in re.findall(r"`([^`]+)`", meaning) if _IDENT.match(t)}
        named.setdefault(list_name, set()).update(ids)
    for block in re.finditer(r"Codes of `([a-z_]+)`[^:]*:\s*(.+?)(?:\n\n|\Z)", text, re.S):
        named.setdefault(block.group(1), set()).update(re.findall(r"`([a-z_]+)`", block.group(2)))
    return named


def test_every_required_list_exists() -> None:
    assert set(list_names()) >= REQUIRED_LISTS


@pytest.mark.parametrize("name", list_names())
def test_list_loads_with_provenance_unique_ids_and_three_languages(name: str) -> None:
    codes = code_list(name)
    assert codes.version.strip()
    assert len(codes.source) > 20  # a citation, not a placeholder
    assert isinstance(codes.verified, bool)
    ids = codes.ids()
    assert ids and len(ids) == len(set(ids))
    for code in codes:
        for lang in LANGUAGES:
            assert code.label(lang).strip(), f"{name}.{code.id} has no {lang} label"


def test_record_format_ids_are_all_present() -> None:
    named = _record_format_ids()
    # The parser must have found the lists the contract names, or this test proves nothing.
    assert {"exploitation_forms", "actor_roles", "transport_modes", "genders"} <= set(named)
    for list_name, ids in named.items():
        missing = ids - set(code_list(list_name).ids())
        assert not missing, f"{list_name} lacks {sorted(missing)} named in record-format.md"


def test_event_types_match_the_hte_events_json() -> None:
    assert set(code_list("event_types").ids()) == {"recruitment", "transit", "exploitation"}


def test_palermo_elements_are_exactly_the_protocol_elements() -> None:
    assert set(code_list("palermo_acts").ids()) == {
        "recruitment", "transportation", "transfer", "harbouring", "receipt"
    }  # fmt: skip
    assert set(code_list("palermo_means").ids()) == {
        "threat", "force", "coercion", "abduction", "fraud", "deception", "abuse_of_power",
        "abuse_of_vulnerability", "payments_to_controller",
    }  # fmt: skip
    assert {
        "sexual_exploitation", "forced_labour", "forced_services", "slavery",
        "slavery_like_practices", "servitude", "organ_removal", "forced_begging",
        "forced_criminality", "forced_marriage", "illegal_adoption", "armed_conflict",
    } == set(code_list("palermo_purposes").ids())  # fmt: skip


# HTCDS 2.0 values, from standards.md section 2.3 (the standard's field table).
HTCDS_VALUES = {
    "exploitation_forms": {
        "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
        "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption",
        "Surrogacy", "Other",
    },
    "control_methods": {
        "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily", "DebtBondage",
        "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings",
        "RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities",
        "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
        "WithholdsDocuments", "Other",
    },
    "actor_roles": {
        "TravellingPartner", "Transporter", "RecruiterOrIntermediary", "BrokerTravelAgent",
        "TransferredIndividual", "HarbouredIndividual", "SoldIndividual", "BoughtIndividual",
        "ReceivedIndividual", "ControlledIndividual", "Smuggler", "Abuser", "Kidnapper",
        "Exploiter", "Other",
    },
    "support_types": {
        "Education", "Financial", "Health", "LabourExploitationRehabilitation", "Legal",
        "Livelihood", "RightsBasedTraining", "SexualExploitationRehabilitation", "SocialCare",
    },
    "recruitment_methods": {
        "AtAPlaceOfBusiness", "AtAnEducationalInstitution", "AtWork",
        "ThroughOnlineSocialNetworks", "ThroughAnOnlineAdvertisement",
        "ThroughATelevisionAdvert", "ThroughANewspaperAdvert", "ThroughFamilyOrFamilyEvents",
        "ThroughFriendsOrSocialEvents", "Other",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(HTCDS_VALUES))
def test_every_htcds_value_of_the_field_has_a_code(name: str) -> None:
    mapped = {code.htcds for code in code_list(name) if code.htcds}
    assert HTCDS_VALUES[name] <= mapped


def test_control_methods_ids_are_exactly_the_htcds_values() -> None:
    assert set(code_list("control_methods").ids()) == HTCDS_VALUES["control_methods"]


def test_isic_sections_are_a_to_u_with_htcds_names_prefixed_by_the_letter() -> None:
    sections = code_list("isic_sections")
    assert "".join(sections.ids()) == "ABCDEFGHIJKLMNOPQRSTU"
    assert sections.get("A").htcds == "A_AgricultureForestryAndFishing"
    for code in sections:
        assert code.htcds is not None and code.htcds.startswith(f"{code.id}_")


def test_c182_worst_forms_are_tagged_with_their_clause() -> None:
    forms = code_list("exploitation_forms")
    expected = {
        "armed_conflict": "a", "debt_bondage": "a", "forced_labour": "a", "sale_of_children": "a",
        "sexual_exploitation": "b", "child_prostitution": "b", "child_pornography": "b",
        "forced_criminality": "c", "drug_production_trafficking": "c", "hazardous_work": "d",
    }  # fmt: skip
    assert {i: forms.get(i).c182 for i in expected} == expected
    assert {code.c182 for code in forms if code.c182} == {"a", "b", "c", "d"}
    assert forms.get("organ_removal").c182 is None  # not a C182 worst form


def test_every_agency_kind_names_its_htcds_deciding_organisation() -> None:
    kinds = code_list("agency_types")
    orgs = code_list("decision_orgs")
    assert {k.id: k.decision_org in orgs for k in kinds} == dict.fromkeys(kinds.ids(), True)
    assert kinds.get("ngo").htcds == "NGO" and validate("agency_types", "NGO") == "ngo"
    assert kinds.get("police").decision_org == "Police"


def test_brief_named_codes_are_present() -> None:
    wanted = {
        "case_outcomes": {
            "reunited_with_family", "group_home_with_job", "remained_in_care", "ran_away",
            "died", "transferred", "alternative_care", "independent_living",
        },
        "support_types": {
            "accommodation", "medical", "psychosocial", "legal", "education",
            "vocational_training", "livelihood", "family_tracing",
        },
        "consent_items": {
            "assent_to_interview", "informed_of_purpose", "research_use",
            "right_to_request_data", "retention_period", "withdrawal", "family_tracing",
            "referral_sharing",
        },
        "age_evidence": {"documented", "assessed", "stated", "presumed_minor"},
        "actor_roles": {"document_forger", "corrupt_official", "complicit_transporter",
                        "placement_agency"},
        "vulnerability_factors": {"poverty", "family_breakdown", "statelessness",
                                  "demand_for_cheap_labour", "migration_tradition"},
    }  # fmt: skip
    for name, ids in wanted.items():
        assert ids <= set(code_list(name).ids()), name


def test_validate_returns_the_canonical_id_for_ids_and_htcds_values() -> None:
    assert validate("genders", " feminine ") == "Feminine"
    assert validate("actor_roles", "RecruiterOrIntermediary") == "recruiter"
    assert validate("exploitation_forms", "ForcedMilitaryByNonStateActors") == "armed_conflict"
    assert validate("isic_sections", "t_activitiesofhouseholdsasemployers") == "T"
    assert validate("countries", "np") == "NPL"


def test_unknown_code_names_the_list_and_the_value_and_suggests() -> None:
    with pytest.raises(UnknownCode) as caught:
        validate("exploitation_forms", "forced_labor")
    message = str(caught.value)
    assert "exploitation_forms" in message and "forced_labor" in message
    assert "forced_labour" in caught.value.suggestions
    assert isinstance(caught.value, ValueError)


def test_unknown_list_name_is_an_unknown_code_with_a_suggestion() -> None:
    with pytest.raises(UnknownCode, match="exploitation_forms"):
        code_list("exploitation_form")


def test_get_and_contains_are_exact_while_validate_is_lenient() -> None:
    roles = code_list("actor_roles")
    assert "recruiter" in roles and "RecruiterOrIntermediary" not in roles
    with pytest.raises(UnknownCode):
        roles.get("RecruiterOrIntermediary")


def test_choices_and_labels_follow_the_language() -> None:
    genders = code_list("genders")
    assert genders.choices("es")[0] == ("Feminine", genders.label("Feminine", "es"))
    assert [i for i, _ in genders.choices("fr")] == list(genders.ids())
    assert genders.label("Feminine", "fr") != genders.label("Feminine", "en")
    with pytest.raises(ValueError, match="unsupported language"):
        genders.label("Feminine", "de")


def _raw(**overrides: Any) -> dict[str, Any]:
    code = {"id": "x", "en": "X", "fr": "X", "es": "X"}
    content: dict[str, Any] = {"version": "1", "source": "a real citation here", "verified": False}
    content["codes"] = [code]
    code.update(overrides.pop("code", {}))
    content.update(overrides)
    return content


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (_raw(codes=[{"id": "x", "en": "X", "fr": "X", "es": "X"}] * 2), "duplicate id"),
        (_raw(code={"fr": ""}), "'fr'"),
        (_raw(code={"label": "typo"}), "unknown keys"),
        (_raw(code={"c182": "e"}), "c182"),
        (_raw(code={"parent": "nope"}), "unknown parent"),
        (_raw(verified="yes"), "verified"),
        (_raw(code={"id": True}), "'id'"),  # YAML read an unquoted yes/no as a boolean
        (
            _raw(codes=[
                {"id": "a", "en": "A", "fr": "A", "es": "A", "htcds": "B"},
                {"id": "b", "en": "B", "fr": "B", "es": "B"},
            ]),
            "alias",
        ),
    ],
)  # fmt: skip
def test_malformed_list_files_are_refused(content: dict[str, Any], complaint: str) -> None:
    with pytest.raises(TaxonomyDataError, match=complaint):
        parse_code_list("sample", content)


def test_ilo_catalogue_copy_is_byte_identical_to_the_reference() -> None:
    data = resources.files("lantern.taxonomy").joinpath("data", "ilo-indicators.yaml")
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    # sha256 of /work/shared/reference/ilo-indicators.yaml
    assert digest == "8066aaca51bef30c0897fdb72188610722ddac91ed765451eae96ccccb408fbc"
