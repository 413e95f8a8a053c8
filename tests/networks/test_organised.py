"""The organised networks alone equal the whole analysis's: the same networks (same ids),
the same flags with their reasons, the same corridors of the flagged ones, in order."""

from __future__ import annotations

import random

import pytest

from lantern.networks import GraphInputError, Journey, Link, analyse
from lantern.networks.flags import OrganisedCrimeRule
from lantern.networks.organised import flagged_corridors, organised_networks

ROLES = ("recruiter", "transporter", "exploiter", "corrupt_official", "harbourer", "")
PLACES = ("NPL:Sindhupalchok", "NPL:Kathmandu", "IND:Mumbai", "IND:Raxaul", "BGD:Dhaka")


def _register(trial: int) -> tuple[list[Link], list[Journey]]:
    """A synthetic register: cases with one to three perpetrators each, roles repeated now and
    then, some links across a border, journeys for most cases (some with two)."""
    rng = random.Random(trial)
    people = [f"p{i}" for i in range(rng.randint(3, 60))]
    cases = [f"c{i}" for i in range(rng.randint(3, 150))]
    links = [
        Link(
            p,
            c,
            rng.choice(ROLES),
            border_crossing=rng.random() < 0.2,
            evidence=f"role:{rng.randrange(10_000)}",
        )
        for c in cases
        for p in rng.sample(people, min(len(people), rng.randint(1, 3)))
        for _ in range(rng.choice((1, 1, 2)))
    ]
    rng.shuffle(links)
    journeys = [
        Journey(
            c,
            rng.choice(PLACES),
            rng.choice((*PLACES, "")),
            tuple(rng.sample(PLACES, rng.randint(0, 1))),
            ("bus",) if rng.random() < 0.5 else (),
            rng.random() < 0.4,
        )
        for c in cases
        for _ in range(rng.choice((0, 1, 1, 1, 2)))
    ]
    return links, journeys


@pytest.mark.parametrize("trial", range(40))
def test_the_flags_and_corridors_are_the_whole_analysis(trial: int) -> None:
    links, journeys = _register(trial)
    seed = trial % 5
    whole = analyse(links, journeys, seed=seed)
    alone = organised_networks(links, journeys, seed=seed)
    assert alone.flags == {n.id: n.organised_crime for n in whole.networks}
    assert alone.cases == {n.id: n.cases for n in whole.networks}
    flagged = set(alone.flagged)
    assert alone.corridors == tuple(c for c in whole.corridors if c.network in flagged)


def test_some_registers_have_flagged_and_unflagged_networks() -> None:
    """The comparison above is not empty: networks of both kinds occur."""
    found = [organised_networks(*_register(t), seed=t % 5) for t in range(40)]
    assert sum(len(f.flagged) for f in found) > 20
    assert sum(len(f.flags) - len(f.flagged) for f in found) > 20
    assert sum(len(f.corridors) for f in found) > 50


def test_a_link_without_a_case_is_refused_as_by_analyse() -> None:
    with pytest.raises(GraphInputError, match="link 2"):
        organised_networks([Link("p1", "c1"), Link("p2", " ")])


@pytest.mark.parametrize("trial", range(40))
def test_the_flagged_corridors_alone_are_the_organised_networks_corridors(trial: int) -> None:
    """Leaving out the networks too small to be flagged changes no corridor, under the default
    rule and under rules that flag smaller or only larger groups."""
    links, journeys = _register(trial)
    seed = trial % 5
    rule = (
        None,
        OrganisedCrimeRule(min_members=1, min_signs=2),
        OrganisedCrimeRule(min_members=5),
    )[trial % 3]
    whole = organised_networks(links, journeys, seed=seed, rule=rule)
    assert flagged_corridors(links, journeys, seed=seed, rule=rule) == whole.corridors
