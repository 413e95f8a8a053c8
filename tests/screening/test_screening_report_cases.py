"""Worked examples of standards.md and situations told in the seed report, screened end to end.

Each test cites where the story is (`L<n>` = line of /work/shared/reference/seed-report.txt).
Expected outcomes are the legal reading of the story, written by hand from the rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lantern.screening import ScreeningResult, parse_input, rescreen, screen

CHILD_PRESUMED = {"basis": "unknown", "reasons_to_believe_child": True}


def run(facts: dict[str, Any]) -> ScreeningResult:
    return screen(parse_input(facts))


def dims(result: ScreeningResult) -> dict[str, str]:
    return result.to_dict()["dimensions"]


# --- standards.md worked examples -------------------------------------------------------------


def test_standards_3_2_aunt_moves_14_year_old_into_unpaid_domestic_work() -> None:
    # standards.md 3.2 worked example: 14h days, no school, unpaid; moved by an aunt.
    result = run(
        {
            "age": {"years": 14, "basis": "stated"},
            "acts": ["transfer", "harbouring"],
            "indicators": {
                "D4.excessive_hours": "yes",
                "D4.no_education": "yes",
                "D4.low_or_no_salary": "yes",
            },
        }
    )
    assert result.trafficking == "yes"
    assert dims(result)["D4"] == "positive"
    assert result.ilo_child_victim is True
    assert result.elements.means == "not_required"
    assert result.elements.purpose == "yes"  # D4 positive establishes the purpose
    assert result.recommendation.code == "child_victim"


def test_standards_4_2_child_needs_no_means_but_adult_does() -> None:
    # standards.md 4.2 encoding: child -> act and purpose; adult -> act and means and purpose.
    facts = {"acts": ["recruitment"], "means": [], "purposes": ["forced_labour"]}
    child = run({"age": {"years": 16, "basis": "documented"}, **facts})
    adult = run({"age": {"years": 30, "basis": "documented"}, **facts})
    assert child.trafficking == "yes"
    assert adult.trafficking == "no"
    assert adult.recommendation.code == "adult_not_trafficked"


def test_standards_7_3_unknown_answers_never_count_as_absent() -> None:
    # standards.md 7.3: report insufficient_data, never not_positive, when answers are unknown.
    result = run({"age": {"years": 15, "basis": "assessed"}, "acts": ["receipt"]})
    assert set(dims(result).values()) == {"insufficient_data"}
    assert result.trafficking == "undetermined"
    assert "rescreen" in result.flags


def test_standards_4_3_presumption_of_minority() -> None:
    # standards.md 4.3 (CETS 197 art. 10(3)): age uncertain + reasons to believe -> a child.
    result = run({"age": CHILD_PRESUMED, "acts": ["transportation"], "purposes": ["servitude"]})
    assert result.is_child is True
    assert result.age_basis == "presumed_minor"
    assert result.trafficking == "yes"


# --- the report's own accounts -----------------------------------------------------------------


def test_bali_boy_promised_school_then_made_to_beg() -> None:
    # seed-report L211-L213: "about 14", offered work in Denpasar, promised schooling, made to beg.
    result = run(
        {
            "age": {"years": 14, "basis": "stated"},
            "acts": ["recruitment", "transportation"],
            "means": ["deception"],
            "purposes": ["forced_begging"],
            "indicators": {"D1.education": "yes", "D1.nature_of_job": "yes"},
        }
    )
    assert result.trafficking == "yes"
    assert dims(result)["D1"] == "positive"
    assert "non_punishment" in result.flags  # begging must not be charged to the child
    assert "do not detain or prosecute" in result.recommendation.text


def test_girl_sold_by_bus_driver_to_thai_brothel() -> None:
    # seed-report L185-L188: free ride to a "factory job", sold to a brothel, unknown debt.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["transportation", "transfer", "receipt"],
            "means": ["deception", "payments_to_controller"],
            "purposes": ["sexual_exploitation"],
            "indicators": {
                "D1.nature_of_job": "yes",
                "D5.debt_bondage": "yes",
                "D5.strong_influence": "yes",
                "D4.wage_manipulation": "yes",
            },
        }
    )
    assert result.trafficking == "yes"
    assert result.profile == "child_sexual"
    assert dims(result)["D5"] == "positive"
    assert dims(result)["D1"] == "insufficient_data"  # one strong alone is not enough yet
    assert {"presumed_minor", "non_punishment"} <= set(result.flags)
    assert result.provisional is True
    assert "provisional_profile" in {r.code for r in result.reasons}


def test_cameroonian_child_taken_by_night_into_domestic_work() -> None:
    # seed-report L319-L324: collected via the godmother, pirogue to Molyko, 1 meal, beatings.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["recruitment", "transportation", "transfer", "receipt"],
            "indicators": {
                "D4.excessive_hours": "yes",
                "D4.bad_living": "yes",
                "D5.violence": "yes",
                "D5.isolation": "yes",
            },
        }
    )
    assert result.trafficking == "yes"
    assert result.ilo_child_victim is True
    assert dims(result)["D4"] == "positive" and dims(result)["D5"] == "positive"
    assert result.ilo_adult_victim is None  # not applicable to a child


def test_camel_jockeys_trafficked_to_the_gulf() -> None:
    # seed-report L354: young boys, ~20 kilos, strapped to camels: hazardous, starved, no pay.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["transportation", "receipt"],
            "purposes": ["forced_labour"],
            "indicators": {
                "D4.hazardous_work": "yes",
                "D4.very_bad_conditions": "yes",
                "D4.bad_living": "yes",
            },
        }
    )
    assert dims(result)["D4"] == "positive"  # three medium
    assert result.trafficking == "yes"
    assert result.ilo_child_victim is True


def test_nepali_girl_resold_from_brothel_to_brothel() -> None:
    # seed-report L264-L266: caught by a station guard, sent back, tortured, sold on twice.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["transfer", "receipt", "harbouring"],
            "means": ["force"],
            "purposes": ["sexual_exploitation"],
            "indicators": {"D5.violence": "yes", "D5.isolation": "yes"},
        }
    )
    assert result.trafficking == "yes"
    assert "non_punishment" in result.flags
    assert result.recommendation.code == "child_victim"


def test_albanian_children_hawking_in_greece_pushed_into_sex() -> None:
    # seed-report L250: street vending in Thessaloniki under "operators", then commercial sex.
    result = run(
        {
            "age": {"years": 13, "basis": "stated"},
            "acts": ["harbouring", "receipt"],
            "purposes": ["forced_labour", "sexual_exploitation"],
        }
    )
    assert result.trafficking == "yes"
    assert result.profile == "child_sexual"
    assert "non_punishment" in result.flags


def test_placement_as_domestic_servant_turns_exploitative() -> None:
    # seed-report L303, L307 (West Africa incl. Benin, Togo): placement is not in itself
    # trafficking (DEF-24) but may become exploitative over time; re-screening records it.
    first = rescreen(
        [],
        parse_input(
            {
                "age": {"years": 11, "basis": "assessed"},
                "acts": ["transfer", "harbouring"],
                "purposes": [],
                "indicators": {"D4.excessive_hours": "no", "D4.no_education": "no"},
            }
        ),
        datetime(2024, 3, 1),
    )
    assert first.current.trafficking == "no"
    assert first.current.recommendation.code == "child_not_trafficked"
    later = rescreen(
        first.records,
        parse_input(
            {
                "age": {"years": 12, "basis": "assessed"},
                "acts": ["transfer", "harbouring"],
                "indicators": {"D4.excessive_hours": "yes", "D4.no_education": "yes"},
            }
        ),
        datetime(2025, 1, 15),
    )
    assert later.current.trafficking == "yes"
    assert [(c.from_status, c.to_status, c.at) for c in later.changes] == [
        ("not_trafficking", "trafficking", datetime(2025, 1, 15))
    ]


def test_mekong_children_begging_and_hawking_in_thailand() -> None:
    # seed-report L346: children from Myanmar, Laos, Cambodia trafficked into Thai street begging.
    result = run(
        {
            "age": {"years": 9, "basis": "assessed"},
            "acts": ["recruitment", "transportation"],
            "purposes": ["forced_begging"],
            "knowingly_bought_entry": False,
        }
    )
    assert result.trafficking == "yes"
    assert result.smuggling is False
    assert "non_punishment" in result.flags


def test_nepali_girl_recruited_for_a_carpet_factory() -> None:
    # seed-report L196: girls recruited for carpet factories, later trafficked to India.
    result = run(
        {
            "age": {"years": 12, "basis": "stated"},
            "acts": ["recruitment"],
            "indicators": {"D4.excessive_hours": "yes", "D4.hazardous_work": "yes"},
        }
    )
    assert dims(result)["D4"] == "positive"  # one strong + one medium
    assert result.elements.purpose == "yes"
    assert result.trafficking == "yes"


def test_laotian_boy_on_a_fishing_boat_around_the_clock() -> None:
    # seed-report L348-L352: fishing round the clock in shifts; could not swim.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["transportation", "receipt"],
            "indicators": {"D4.excessive_hours": "yes", "D4.hazardous_work": "yes"},
        }
    )
    assert result.trafficking == "yes"
    assert any(r.code == "purpose_from_d4" for r in result.reasons)


def test_child_intercepted_in_transit_before_any_exploitation() -> None:
    # seed-report L721: interception at departure, transit and arrival points; purpose is intent.
    result = run(
        {
            "age": {"years": 15, "basis": "stated"},
            "acts": ["recruitment", "transportation"],
            "purposes": ["forced_labour"],
        }
    )
    assert result.trafficking == "yes"
    assert result.ilo_child_victim is None  # D4 not yet known: exploitation had not begun
    assert result.recommendation.code == "child_victim"


def test_smuggled_child_later_held_hostage_and_exploited() -> None:
    # seed-report L93 (smuggling knowingly bought) and L165 (smugglers threaten, drug, exchange
    # the children): smuggling at first, re-screened as trafficking with the date of the change.
    crossing = datetime(2024, 6, 1, 22, 0)
    first = rescreen(
        [],
        parse_input(
            {
                "age": {"years": 15, "basis": "stated"},
                "acts": ["transportation"],
                "purposes": [],
                "knowingly_bought_entry": True,
            }
        ),
        crossing,
    )
    assert first.current.smuggling is True
    assert first.current.trafficking == "no"
    assert first.current.recommendation.code == "child_smuggled"
    exploited = datetime(2024, 7, 20, 9, 30)
    later = rescreen(
        first.records,
        parse_input(
            {
                "age": {"years": 15, "basis": "stated"},
                "acts": ["transportation", "harbouring"],
                "means": ["threat"],
                "purposes": ["forced_labour"],
                "knowingly_bought_entry": True,
                "indicators": {"D5.threats": "yes", "D5.isolation": "yes"},
            }
        ),
        exploited,
    )
    assert later.current.trafficking == "yes"
    assert later.current.smuggling is False
    assert [(c.code, c.at) for c in later.changes] == [("smuggling_to_trafficking", exploited)]
    assert later.records[0].result.status == "smuggling"  # the earlier result is kept


def test_adult_woman_recruited_under_false_pretences_into_debt_bondage() -> None:
    # seed-report L262: adults recruited under false pretences into debt bondage in the sex trade.
    result = run(
        {
            "age": {"years": 24, "basis": "documented"},
            "acts": ["recruitment", "transportation"],
            "means": ["deception"],
            "purposes": ["sexual_exploitation"],
            "indicators": {
                "D1.nature_of_job": "yes",
                "D1.wages": "yes",
                "D4.excessive_hours": "yes",
                "D4.bad_living": "yes",
                "D5.debt_bondage": "yes",
                "D5.isolation": "yes",
            },
        }
    )
    assert result.is_child is False
    assert result.trafficking == "yes"
    assert result.ilo_adult_victim is True
    assert result.ilo_child_victim is None and result.ilo_child_victim_strict is None
    assert result.profile == "adult_sexual"
    assert result.recommendation.code == "adult_victim"


def test_fifteen_year_old_with_passport_saying_nineteen_recruited_as_dancer() -> None:
    # seed-report L95: recruiting agents give 15-year-old girls passports saying they are over 18
    # and papers to work as "dancers"; whether the purpose is exploitation is not yet known.
    result = run(
        {
            "age": {"years": 15, "basis": "assessed", "documented_years": 19},
            "acts": ["recruitment"],
            "means": ["fraud"],
        }
    )
    assert result.is_child is True
    assert "document_age_conflict" in result.flags
    assert "non_punishment" in result.flags  # the false document is not the child's offence
    assert result.trafficking == "undetermined"
    assert result.recommendation.code == "child_possible_victim"
    assert "purpose" in result.recommendation.text


def test_girl_held_as_domestic_servant_by_a_diplomat() -> None:
    # seed-report L326: a young girl in slave-like conditions, movement restricted, pay withheld.
    result = run(
        {
            "age": CHILD_PRESUMED,
            "acts": ["harbouring"],
            "purposes": ["servitude"],
            "indicators": {"D5.isolation": "yes", "D5.withholding_wages": "yes"},
        }
    )
    assert dims(result)["D5"] == "positive"
    assert result.trafficking == "yes"
