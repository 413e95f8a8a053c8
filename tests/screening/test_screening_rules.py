"""Rule-level behaviour: thresholds, age, three-valued outcomes, provisional, non-punishment."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from typing import Any

import pytest
import yaml

from lantern.screening import (
    ACTS,
    MEANS,
    PURPOSES,
    RULESET_VERSION,
    AgeEvidence,
    ScreeningResult,
    checklist,
    load_catalogue,
    parse_input,
    rescreen,
    screen,
)
from lantern.screening.age import assess_age
from lantern.screening.catalogue import CatalogueError, parse_catalogue
from lantern.screening.dimensions import meets_threshold


def run(facts: dict[str, Any]) -> ScreeningResult:
    return screen(parse_input(facts))


@pytest.mark.parametrize(
    ("strengths", "positive"),
    [
        ("SS", True),
        ("SM", True),
        ("SW", True),
        ("MMM", True),
        ("MMW", True),
        ("S", False),
        ("MM", False),
        ("MW", False),
        ("WWWW", False),  # weak alone never suffices
        ("", False),
    ],
)
def test_dimension_threshold_follows_the_brochure(strengths: str, positive: bool) -> None:
    assert meets_threshold(list(strengths)) is positive  # type: ignore[arg-type]


def test_dimension_with_no_chance_left_is_not_positive() -> None:
    d4 = [i.id for i in load_catalogue().for_dimension("D4")]
    result = run({"age": {"years": 12}, "indicators": dict.fromkeys(d4, "no")})
    assert result.to_dict()["dimensions"]["D4"] == "not_positive"
    one_open = dict.fromkeys(d4, "no") | {"D4.excessive_hours": "unknown", "D4.bad_living": "yes"}
    result = run({"age": {"years": 12}, "indicators": one_open})
    assert result.to_dict()["dimensions"]["D4"] == "insufficient_data"


@pytest.mark.parametrize(
    ("age", "is_child", "basis", "flag"),
    [
        (AgeEvidence(17, "documented"), True, "documented", None),
        (AgeEvidence(18, "documented"), False, "documented", None),
        (
            AgeEvidence(16, "assessed", documented_years=19),
            True,
            "assessed",
            "document_age_conflict",
        ),
        (
            AgeEvidence(20, "stated", documented_years=16),
            True,
            "documented",
            "age_evidence_conflict",
        ),
        (
            AgeEvidence(19, "stated", reasons_to_believe_child=True),
            True,
            "presumed_minor",
            "presumed_minor",
        ),
        (
            AgeEvidence(None, "unknown", reasons_to_believe_child=True),
            True,
            "presumed_minor",
            "presumed_minor",
        ),
        (AgeEvidence(None, "unknown", reasons_to_believe_child=False), None, "unknown", None),
        (AgeEvidence(None, "unknown", documented_years=21), False, "documented", None),
    ],
)
def test_age_rules(age: AgeEvidence, is_child: bool | None, basis: str, flag: str | None) -> None:
    finding = assess_age(age)
    assert (finding.is_child, finding.basis) == (is_child, basis)
    assert (flag in finding.flags) if flag else finding.flags == ()


def test_unknown_age_decides_only_when_both_rules_agree() -> None:
    facts = {"acts": ["recruitment"], "purposes": ["forced_labour"]}
    open_means = run(facts)
    assert open_means.is_child is None
    assert open_means.trafficking == "undetermined"
    assert open_means.recommendation.codes[0] == "age_first"
    assert "age" in open_means.recommendation.text
    both = run({**facts, "means": ["coercion"]})
    assert both.trafficking == "yes"
    assert both.ilo_child_victim is None and both.ilo_adult_victim is None  # undetermined


def test_adult_means_can_be_shown_by_a_positive_dimension() -> None:
    result = run(
        {
            "age": {"years": 35, "basis": "documented"},
            "acts": ["recruitment"],
            "purposes": ["forced_labour"],
            "indicators": {"D5.documents": "yes", "D5.violence": "yes"},
        }
    )
    assert result.elements.means == "yes"
    assert result.trafficking == "yes"


def test_adult_rule_needs_all_three_ilo_terms() -> None:
    base = {
        "age": {"years": 30, "basis": "documented"},
        "profile": "adult_labour",
        "indicators": {
            "D2.violence": "yes",
            "D2.threats": "yes",  # S + M
            "D4.excessive_hours": "yes",
            "D4.bad_living": "yes",
        },
    }
    assert run(base).ilo_adult_victim is None  # D5/D6 still unknown
    d5 = [i.id for i in load_catalogue().for_dimension("D5")]
    d6 = [i.id for i in load_catalogue().for_dimension("D6")]
    closed = base["indicators"] | dict.fromkeys(d5 + d6, "no")  # type: ignore[operator]
    assert run({**base, "indicators": closed}).ilo_adult_victim is False
    opened = closed | {
        "D6.dependency": "yes",
        "D6.economic_reasons": "yes",
        "D6.unknown_area": "yes",
    }
    assert run({**base, "indicators": opened}).ilo_adult_victim is True


def test_strict_child_reading_is_reported_beside_the_palermo_reading() -> None:
    result = run(
        {
            "age": {"years": 10, "basis": "assessed"},
            "acts": ["transfer"],
            "indicators": {
                "D1.nature_of_job": "yes",
                "D1.education": "yes",
                "D4.excessive_hours": "yes",
                "D4.bad_living": "yes",
            },
        }
    )
    assert result.ilo_child_victim is True
    assert result.ilo_child_victim_strict is True
    codes = [r.code for r in result.reasons]
    assert "ilo_child_victim_strict" in codes and "ilo_adult_victim" not in codes


def test_forced_criminality_flags_non_punishment_for_a_child() -> None:
    result = run(
        {
            "age": {"years": 16, "basis": "stated"},
            "indicators": {"D5.illicit_activities": "yes"},
        }
    )
    assert "non_punishment" in result.flags
    text = next(r.text for r in result.reasons if r.code == "non_punishment")
    assert "Forced criminality" in text and "child" in text


def test_no_non_punishment_flag_without_grounds() -> None:
    result = run({"age": {"years": 16}, "acts": ["transfer"], "purposes": ["forced_labour"]})
    assert "non_punishment" not in result.flags


def test_every_result_is_provisional_while_the_catalogue_is_unverified() -> None:
    result = run({})
    data = result.to_dict()
    assert data["provisional"] is True
    assert data["ruleset_version"] == RULESET_VERSION
    assert any(r["code"] == "provisional" for r in data["reasons"])


def test_a_verified_catalogue_lifts_provisional_except_for_provisional_lists() -> None:
    raw = yaml.safe_load(
        (files("lantern.taxonomy") / "data" / "ilo-indicators.yaml").read_text("utf-8")
    )
    verified = parse_catalogue(raw | {"verified": True})
    labour = screen(parse_input({"profile": "child_labour"}), verified)
    sexual = screen(parse_input({"profile": "child_sexual"}), verified)
    assert labour.provisional is False
    assert sexual.provisional is True


def test_catalogue_matches_the_reference_tables() -> None:
    catalogue = load_catalogue()
    child_labour = {i.strength("child_labour") for i in catalogue.indicators.values()}
    assert "W" not in child_labour  # standards.md 3.3: the child-labour list has no weak items
    assert catalogue.indicators["D3.false_law_info"].strength("child_labour") is None
    assert catalogue.indicators["D4.hazardous_work"].strength("child_sexual") == "S"
    # adult_sexual borrows adult_labour, except the corroborated "forced tasks or clients" = S
    assert catalogue.indicators["D5.threats"].strength("adult_sexual") == "M"
    assert catalogue.indicators["D5.forced_tasks_clients"].strength("adult_sexual") == "S"


def test_malformed_catalogue_is_refused() -> None:
    with pytest.raises(CatalogueError, match="strength"):
        parse_catalogue(
            {"indicators": [{"id": "D1.x", "dim": "D1", "label": "x", "child_labour": "X"}]}
        )
    with pytest.raises(CatalogueError):
        parse_catalogue({"indicators": [{"id": "D9.x", "dim": "D9", "label": "x"}]})


def test_checklist_groups_the_profile_indicators_by_dimension() -> None:
    items = checklist("child_labour")
    ids = {i.indicator_id for i in items}
    assert "D3.false_law_info" not in ids and "D4.no_social_protection" not in ids
    assert [i.dimension for i in items] == sorted(i.dimension for i in items)
    first_d4 = next(i for i in items if i.dimension == "D4")
    assert first_d4.indicator_id == "D4.excessive_hours" and first_d4.strength == "S"
    assert all(i.label in i.question and i.provisional for i in items)
    adult = checklist("adult_labour")
    assert any(i.strength == "W" for i in adult)
    with pytest.raises(ValueError, match="profile"):
        checklist("children")  # type: ignore[arg-type]


def test_rescreen_refuses_a_date_before_the_last_screening() -> None:
    first = rescreen([], parse_input({}), datetime(2024, 5, 1))
    with pytest.raises(ValueError, match="before the last"):
        rescreen(first.records, parse_input({}), datetime(2024, 4, 1))


def test_history_to_dict_keeps_every_status_with_its_date() -> None:
    h = rescreen([], parse_input({"age": {"years": 12}, "acts": ["receipt"]}), datetime(2024, 1, 2))
    h = rescreen(
        h.records,
        parse_input({"age": {"years": 12}, "acts": ["receipt"], "purposes": ["forced_labour"]}),
        datetime(2024, 2, 3),
    )
    data = h.to_dict()
    assert [r["status"] for r in data["records"]] == ["undetermined", "trafficking"]
    assert data["changes"] == [
        {
            "at": "2024-02-03T00:00:00",
            "from": "undetermined",
            "to": "trafficking",
            "code": "undetermined_to_trafficking",
        }
    ]


@pytest.mark.parametrize(
    ("codes", "filename"),
    [
        (ACTS, "palermo_acts.yaml"),
        (MEANS, "palermo_means.yaml"),
        (PURPOSES, "palermo_purposes.yaml"),
    ],
)
def test_element_codes_match_the_taxonomy_code_lists(codes: frozenset[str], filename: str) -> None:
    # The case model stores these ids; screening and taxonomy must spell them alike.
    data = yaml.safe_load((files("lantern.taxonomy") / "data" / filename).read_text("utf-8"))
    assert {c["id"] for c in data["codes"]} == codes
