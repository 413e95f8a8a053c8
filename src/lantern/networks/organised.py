"""The networks' organised-crime flags and the flagged networks' corridors, alone: what the
monitoring map needs from a whole register, without the rest of :func:`analyse`.

:func:`analyse` also builds the graph with its places and evidence, and ranks brokers by
betweenness (most of its time over a national register); none of that changes a flag or a
corridor. :func:`organised_networks` finds the same networks (the same Louvain communities:
:mod:`lantern.networks.louvain` on the same perpetrator-case graph, in the same node and
neighbour order as ``people_and_cases(build_graph(links))``), numbers them the same way and
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

from lantern.networks.corridors import Corridor, corridors
from lantern.networks.flags import (
    CORRUPT_OFFICIAL,
    OrganisedCrimeFlag,
    OrganisedCrimeRule,
    organised_crime,
)
from lantern.networks.graph import Journey, Link, check_links
from lantern.networks.louvain import louvain_communities


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


@dataclass(slots=True)
class _Edge:
    """One perpetrator-case pair: how many links say so, the roles, a border crossed."""

    weight: int = 0
    roles: set[str] | None = None
    border: bool = False


def _edges(links: Sequence[Link]) -> dict[tuple[str, str], _Edge]:
    """The pairs in the order ``build_graph`` adds them (its links sorted by perpetrator, case,
    role and evidence: the first link of each pair comes in the order of the sorted pairs)."""
    found: dict[tuple[str, str], _Edge] = {}
    for link in links:
        key = (link.perpetrator, link.case)
        edge = found.get(key)
        if edge is None:
            edge = found[key] = _Edge()
        edge.weight += 1
        if link.role:
            if edge.roles is None:
                edge.roles = set()
            edge.roles.add(link.role)
        edge.border = edge.border or link.border_crossing
    return {key: found[key] for key in sorted(found)}


def _communities(
    pairs: Sequence[tuple[str, str]], weights: Sequence[int], seed: int, resolution: float
) -> list[list[str]]:
    """The perpetrators of each community, in ``analyse``'s order of networks."""
    node: dict[tuple[bool, str], int] = {}
    for person, case in pairs:
        node.setdefault((True, person), len(node))
        node.setdefault((False, case), len(node))
    adj: list[list[tuple[int, int]]] = [[] for _ in node]
    for (person, case), weight in zip(pairs, weights, strict=True):
        p, c = node[(True, person)], node[(False, case)]
        adj[p].append((c, weight))
        adj[c].append((p, weight))
    edges = [(u, v, w) for u, nbrs in enumerate(adj) for v, w in nbrs if v > u]
    labels = list(node)
    groups = []
    for found in louvain_communities(len(node), edges, seed=seed, resolution=resolution):
        people = sorted(labels[n][1] for n in found if labels[n][0])
        if people:
            groups.append((-len(people), -len(found), people[0], people))
    return [people for *_order, people in sorted(groups, key=lambda g: g[:3])]


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
    check_links(links)
    edges = _edges(links)
    pairs = list(edges)
    groups = _communities(pairs, [e.weight for e in edges.values()], seed, resolution)
    network_of = {p: f"network-{n}" for n, people in enumerate(groups, 1) for p in people}
    crossing = {}
    for journey in sorted(journeys, key=lambda j: j.case):
        crossing[journey.case] = journey.border_crossing  # the last one, as build_graph
    cases_of: dict[str, set[str]] = defaultdict(set)
    border_of: dict[str, set[str]] = defaultdict(set)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for (person, case), edge in edges.items():
        network = network_of[person]
        cases_of[network].add(case)
        if edge.border or crossing.get(case, False):
            border_of[network].add(case)
        if edge.roles:
            roles_of[person] |= edge.roles
    flags: dict[str, OrganisedCrimeFlag] = {}
    for n, people in enumerate(groups, 1):
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


__all__ = ["OrganisedNetworks", "organised_networks"]
