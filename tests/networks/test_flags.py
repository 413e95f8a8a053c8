"""The organised-crime flag follows the evidence and gives its reasons as data."""

from __future__ import annotations

from lantern.networks import Link, OrganisedCrimeRule, analyse
from lantern.networks.flags import organised_crime


def test_a_cross_border_group_with_an_official_is_flagged_with_every_reason() -> None:
    flag = organised_crime(
        members=5,
        victims=7,
        roles=frozenset({"recruiter", "transporter", "exploiter", "corrupt_official"}),
        border_cases=4,
        officials=1,
    )
    assert flag.flagged
    assert flag.signs == (
        "several_victims",
        "several_roles",
        "crosses_borders",
        "corrupt_officials",
    )
    assert [r.code for r in flag.reasons] == [
        "structured_group",
        "several_victims",
        "several_roles",
        "crosses_borders",
        "corrupt_officials",
        "organised",
    ]
    assert flag.reasons[2].params == {
        "count": 4,
        "roles": "corrupt_official, exploiter, recruiter, transporter",
    }
    assert flag.reasons[-1].text == (
        "Organised crime: a group of three or more with 4 of the 4 signs (at least 3)."
    )


def test_a_relative_who_sold_one_child_is_not_organised_crime_and_says_why() -> None:
    flag = organised_crime(
        members=1, victims=1, roles=frozenset({"recruiter"}), border_cases=0, officials=0
    )
    assert not flag.flagged and flag.signs == ()
    assert [r.code for r in flag.reasons] == [
        "small_group",
        "few_victims",
        "few_roles",
        "no_border",
        "no_official",
        "not_organised",
    ]
    assert flag.reasons[1].to_dict() == {
        "code": "few_victims",
        "text": "1 child's case(s): fewer than 5 victims.",
        "params": {"victims": 1, "needed": 5},
    }


def test_many_signs_without_a_group_of_three_are_not_enough() -> None:
    flag = organised_crime(
        members=2,
        victims=9,
        roles=frozenset({"recruiter", "transporter", "exploiter"}),
        border_cases=3,
        officials=0,
    )
    assert not flag.flagged and len(flag.signs) == 3
    assert flag.reasons[0].code == "small_group"


def test_the_analysis_flags_each_network_from_its_own_links() -> None:
    links = [
        Link(f"p{r}", f"case-{c}", role, border_crossing=role == "transporter")
        for c in range(5)
        for r, role in enumerate(("recruiter", "transporter", "exploiter"))
    ] + [Link("aunt", "case-x", "recruiter")]
    result = analyse(links)
    big = result.network(result.network_of["p0"])
    assert big.organised_crime.flagged
    assert big.organised_crime.signs == ("several_victims", "several_roles", "crosses_borders")
    assert big.border_cases == 5
    lone = result.network(result.network_of["aunt"])
    assert not lone.organised_crime.flagged and lone.cases == ("case-x",)
    strict = analyse(links, rule=OrganisedCrimeRule(min_signs=4))
    assert not strict.network(strict.network_of["p0"]).organised_crime.flagged
