"""The networks' organised-crime flags and the flagged networks' corridors, alone: what the
monitoring map needs from a whole register, without the rest of :func:`analyse`.

:func:`analyse` also builds the graph with its places and evidence, and ranks brokers by
betweenness (most of its time over a national register); none of that changes a flag or a
corridor. :func:`organised_networks` finds the same networks (the same Leiden communities:
:mod:`lantern.networks.communities` on the same perpetrator-case graph, in the same node and
edge order as ``people_and_cases(build_graph(links))``), numbers them the same way and
gives each the same flag; the flagged ones' corridors are ``analyse``'s, in its order.
``tests/networks/test_organised.py`` checks both against :func:`analyse`.

One difference, on purpose: when places outnumber perpetrators and cases together, networkx
walks the perpetrator-case subgraph in the order of a set of tuples, which differs from run to
run (string hashing); this module keeps the links' order, so its answer does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lantern.networks.communities import leiden_communities
from lantern.networks.corridors import Corridor, corridors
from lantern.networks.flags import (
    CORRUPT_OFFICIAL,
    OrganisedCrimeFlag,
    OrganisedCrimeRule,
    organised_crime,
)
from lantern.networks.graph import Journey, Link, check_links


@dataclass(frozen=True, slots=True)
class OrganisedNetworks:
    """Every network's flag and cases (ids as :func:`analyse` numbers them), and the
    corridors of the flagged networks, most victims first."""

    flags: dict[str, OrganisedCrimeFlag]
    cases: dict[str, tuple[str, ...]]
    corridors: tuple[Corridor, ...]

    @property
    def flagged(self) -> tuple[str, ...]:
        return tuple(n for n, flag in self.flags.items() if flag.flagged)


Pair = tuple[str, str]  # a perpetrator and a case


def _pairs(
    links: Sequence[Link],
) -> tuple[list[Pair], dict[Pair, int], dict[Pair, set[str]], set[Pair]]:
    """The perpetrator-case pairs in the order ``build_graph`` adds them (its links sorted by
    perpetrator, case, role and evidence: the first link of each pair comes in the order of
    the sorted pairs), with how many links say so, their roles and those across a border."""
    weight: dict[Pair, int] = {}
    roles: dict[Pair, set[str]] = {}
    border: set[Pair] = set()
    for link in links:
        key = (link.perpetrator, link.case)
        weight[key] = weight.get(key, 0) + 1
        if link.role:
            found = roles.get(key)
            if found is None:
                roles[key] = {link.role}
            else:
                found.add(link.role)
        if link.border_crossing:
            border.add(key)
    return sorted(weight), weight, roles, border


def _communities(
    pairs: Sequence[Pair], weight: dict[Pair, int], seed: int, resolution: float
) -> list[list[str]]:
    """The perpetrators of each community, in ``analyse``'s order of networks: Leiden on the
    perpetrator-case graph with the nodes numbered in ``people_and_cases``'s order (the
    order of the edges does not matter to :func:`leiden_communities`)."""
    people: dict[str, int] = {}
    cases: dict[str, int] = {}
    person_of: list[str | None] = []  # node -> perpetrator (None: a case)
    edges = []
    for pair in pairs:
        person, case = pair
        u = people.get(person)
        if u is None:
            u = people[person] = len(person_of)
            person_of.append(person)
        v = cases.get(case)
        if v is None:
            v = cases[case] = len(person_of)
            person_of.append(None)
        edges.append((u, v, weight[pair]))
    groups = []
    for found in leiden_communities(len(person_of), edges, seed=seed, resolution=resolution):
        members = sorted(p for p in map(person_of.__getitem__, found) if p is not None)
        if members:
            groups.append((-len(members), -len(found), members[0], members))
    return [members for *_order, members in sorted(groups, key=lambda g: g[:3])]


def organised_networks(
    links: Sequence[Link],
    journeys: Sequence[Journey] = (),
    *,
    seed: int = 1,
    resolution: float = 1.0,
    rule: OrganisedCrimeRule | None = None,
) -> OrganisedNetworks:
    """The flags and flagged corridors ``analyse(links, journeys, seed=..., resolution=...,
    rule=...)`` gives, without its places, evidence and brokers.

    Raises :class:`~lantern.networks.graph.GraphInputError` for a link without a perpetrator
    or a case.
    """
    return _networks(links, journeys, seed, resolution, rule or OrganisedCrimeRule(), 0)


def flagged_corridors(
    links: Sequence[Link],
    journeys: Sequence[Journey] = (),
    *,
    seed: int = 1,
    resolution: float = 1.0,
    rule: OrganisedCrimeRule | None = None,
) -> tuple[Corridor, ...]:
    """``organised_networks(...).corridors``, the flagged networks' corridors alone: what the
    monitoring map needs. Networks with fewer members than an organised group needs
    (``rule.min_members``) can never be flagged, so their cases, roles and flags are not worked
    out at all; over a national register most networks are that small."""
    rule = rule or OrganisedCrimeRule()
    return _networks(links, journeys, seed, resolution, rule, rule.min_members).corridors


def _networks(
    links: Sequence[Link],
    journeys: Sequence[Journey],
    seed: int,
    resolution: float,
    rule: OrganisedCrimeRule,
    smallest: int,
) -> OrganisedNetworks:
    """The networks (numbered among all of them) of at least ``smallest`` members, each with
    its flag and cases, and the corridors of the flagged ones."""
    check_links(links)
    pairs, weight, roles_of_pair, border_pairs = _pairs(links)
    groups = _communities(pairs, weight, seed, resolution)
    kept = [(n, people) for n, people in enumerate(groups, 1) if len(people) >= smallest]
    network_of = {p: f"network-{n}" for n, people in kept for p in people}
    crossing = {}
    for journey in sorted(journeys, key=lambda j: j.case):
        crossing[journey.case] = journey.border_crossing  # the last one, as build_graph
    cases_of: dict[str, set[str]] = defaultdict(set)
    border_of: dict[str, set[str]] = defaultdict(set)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        person, case = pair
        network = network_of.get(person)
        if network is None:
            continue  # a network too small to be flagged
        cases_of[network].add(case)
        if pair in border_pairs or crossing.get(case, False):
            border_of[network].add(case)
        if pair in roles_of_pair:
            roles_of[person] |= roles_of_pair[pair]
    flags: dict[str, OrganisedCrimeFlag] = {}
    for n, people in kept:
        network = f"network-{n}"
        roles = set().union(*(roles_of[p] for p in people))
        officials = sum(CORRUPT_OFFICIAL in roles_of[p] for p in people)
        flags[network] = organised_crime(
            len(people),
            len(cases_of[network]),
            frozenset(roles),
            len(border_of[network]),
            officials,
            rule,
        )
    cases = {n: tuple(sorted(cases_of[n])) for n in flags}
    flagged = {n: cases[n] for n, flag in flags.items() if flag.flagged}
    return OrganisedNetworks(flags, cases, corridors(flagged, journeys))


__all__ = ["OrganisedNetworks", "flagged_corridors", "organised_networks"]
