"""Networks from links: communities, key brokers, the cases each touches, the organised-crime
flag with its reasons, and the corridors each uses.

Communities are Leiden's (igraph, seeded, so the same links give the same networks:
:mod:`lantern.networks.communities`) on the perpetrator-case graph; places stay out of it
because a bus park or a border town is every group's. Brokers are the perpetrators with the
highest betweenness centrality: those through whom the shortest paths between others' cases
run (exact per connected part, sampled with the seed in a part of more than
:data:`EXACT_BETWEENNESS_UP_TO` nodes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from lantern.networks.communities import leiden_communities
from lantern.networks.corridors import Corridor, corridors
from lantern.networks.flags import (
    CORRUPT_OFFICIAL,
    OrganisedCrimeFlag,
    OrganisedCrimeRule,
    organised_crime,
)
from lantern.networks.graph import (
    CASE,
    PERPETRATOR,
    PLACE,
    GraphInputError,
    Journey,
    Link,
    Node,
    build_graph,
    people_and_cases,
)

EXACT_BETWEENNESS_UP_TO = 500
BETWEENNESS_SAMPLE = 250
#: Brokers listed per network (those with a betweenness above zero).
BROKERS_PER_NETWORK = 3


@dataclass(frozen=True, slots=True)
class Broker:
    """A perpetrator through whom others' cases connect."""

    perpetrator: str
    betweenness: float
    cases: int
    networks_reached: tuple[str, ...]  # other networks whose cases this person touches


@dataclass(frozen=True, slots=True)
class Network:
    """One detected network: who, which cases, what roles and places, the flag."""

    id: str
    perpetrators: tuple[str, ...]
    cases: tuple[str, ...]
    roles: tuple[str, ...]
    places: tuple[str, ...]
    border_cases: int
    brokers: tuple[Broker, ...]
    organised_crime: OrganisedCrimeFlag


@dataclass(frozen=True, slots=True)
class NodeView:
    kind: str
    id: str
    network: str | None


@dataclass(frozen=True, slots=True)
class EdgeView:
    source: Node
    target: Node
    kind: str
    roles: tuple[str, ...]
    evidence: tuple[str, ...]
    border_crossing: bool


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """What surrounds one perpetrator or case, with the evidence behind each edge: to draw."""

    centre: Node
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]


@dataclass(frozen=True)
class NetworkAnalysis:
    graph: nx.Graph
    networks: tuple[Network, ...]
    network_of: dict[str, str]  # perpetrator -> network id
    centrality: dict[str, float]  # perpetrator -> betweenness
    corridors: tuple[Corridor, ...]

    def network(self, network_id: str) -> Network:
        for network in self.networks:
            if network.id == network_id:
                return network
        raise KeyError(network_id)

    def networks_of_case(self, case: str) -> tuple[str, ...]:
        """The networks whose perpetrators took part in ``case`` (a resold child: several)."""
        node = (CASE, case)
        if node not in self.graph:
            return ()
        found = {self.network_of[n[1]] for n in self.graph.neighbors(node) if n[0] == PERPETRATOR}
        return tuple(sorted(found))

    def around(self, kind: str, id: str, radius: int = 2) -> Neighbourhood:
        """The perpetrators, cases and places within ``radius`` steps of one node."""
        centre = (kind, id)
        if centre not in self.graph:
            raise KeyError(centre)
        ego = nx.ego_graph(self.graph, centre, radius=radius)
        nodes = tuple(
            NodeView(k, i, self.network_of.get(i) if k == PERPETRATOR else None)
            for k, i in sorted(ego.nodes)
        )
        edges = tuple(
            EdgeView(
                a,
                b,
                data.get("kind", ""),
                tuple(data.get("roles", ())),
                tuple(data.get("evidence", ())),
                bool(data.get("border_crossing", False)),
            )
            for a, b, data in sorted(ego.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2])))
        )
        return Neighbourhood(centre, nodes, edges)


def _betweenness(graph: nx.Graph, seed: int) -> dict[Node, float]:
    """Betweenness over the whole graph, computed part by part (no path joins two parts)."""
    total = graph.number_of_nodes()
    scale = 2.0 / ((total - 1) * (total - 2)) if total > 2 else 0.0
    found: dict[Node, float] = {}
    for part in nx.connected_components(graph):
        if len(part) < 3:
            found.update(dict.fromkeys(part, 0.0))
            continue
        sub = graph.subgraph(part).copy()  # a view filters every step: 3x slower
        k = None if len(part) <= EXACT_BETWEENNESS_UP_TO else BETWEENNESS_SAMPLE
        raw = nx.betweenness_centrality(sub, k=k, normalized=False, seed=seed)
        found.update({node: value * scale for node, value in raw.items()})
    return found


def _communities(graph: nx.Graph, seed: int, resolution: float) -> list[set[Node]]:
    """Leiden's communities (:mod:`lantern.networks.communities`) of the perpetrator-case
    graph, its nodes numbered in its order (as ``organised._communities`` numbers them)."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v], w) for u, v, w in graph.edges(data="weight", default=1)]
    found = [
        {nodes[i] for i in community}
        for community in leiden_communities(len(nodes), edges, seed=seed, resolution=resolution)
    ]
    groups = [c for c in found if any(n[0] == PERPETRATOR for n in c)]

    def order(c: set[Node]) -> tuple[int, int, str]:
        people = sorted(n[1] for n in c if n[0] == PERPETRATOR)
        return (-len(people), -len(c), people[0])

    return sorted(groups, key=order)


def analyse(
    links: Sequence[Link],
    journeys: Sequence[Journey] = (),
    *,
    seed: int = 1,
    resolution: float = 1.0,
    rule: OrganisedCrimeRule | None = None,
) -> NetworkAnalysis:
    """Networks, brokers, cases, flags and corridors from ``links`` (and the cases' journeys).

    Raises :class:`~lantern.networks.graph.GraphInputError` for a link without a perpetrator
    or a case.
    """
    graph = build_graph(links, journeys)
    people = people_and_cases(graph)
    between = _betweenness(people, seed) if people.number_of_nodes() else {}
    network_of: dict[str, str] = {}
    groups = _communities(people, seed, resolution) if people.number_of_nodes() else []
    for number, group in enumerate(groups, 1):
        for kind, id in group:
            if kind == PERPETRATOR:
                network_of[id] = f"network-{number}"
    cases_of: dict[str, set[str]] = defaultdict(set)
    for a, b in people.edges:  # every edge joins a perpetrator and a case
        (_, person), (_, case) = (a, b) if a[0] == PERPETRATOR else (b, a)
        cases_of[network_of[person]].add(case)
    networks = tuple(
        _network(graph, f"network-{n}", group, cases_of, network_of, between, rule)
        for n, group in enumerate(groups, 1)
    )
    centrality = {id: between.get((PERPETRATOR, id), 0.0) for id in network_of}
    routes = corridors({n.id: n.cases for n in networks}, journeys)
    return NetworkAnalysis(graph, networks, network_of, centrality, routes)


def _network(
    graph: nx.Graph,
    network_id: str,
    group: set[Node],
    cases_of: dict[str, set[str]],
    network_of: dict[str, str],
    between: dict[Node, float],
    rule: OrganisedCrimeRule | None,
) -> Network:
    members = sorted(id for kind, id in group if kind == PERPETRATOR)
    cases = sorted(cases_of.get(network_id, set()))
    roles: set[str] = set()
    places: set[str] = set()
    officials = 0
    border = set()
    for person in members:
        node = (PERPETRATOR, person)
        own_roles: set[str] = set()
        for other, data in graph[node].items():
            if other[0] == PLACE:
                places.add(other[1])
            elif other[0] == CASE:
                own_roles.update(data["roles"])
                if data["border_crossing"]:
                    border.add(other[1])
        roles |= own_roles
        officials += CORRUPT_OFFICIAL in own_roles
    border |= {c for c in cases if graph.nodes[(CASE, c)].get("border_crossing")}
    ranked = sorted(members, key=lambda p: (-between.get((PERPETRATOR, p), 0.0), p))
    brokers = []
    for person in ranked[:BROKERS_PER_NETWORK]:
        value = between.get((PERPETRATOR, person), 0.0)
        if value <= 0:
            break
        touched = [c for c in graph[(PERPETRATOR, person)] if c[0] == CASE]
        reached = {
            network_of[p[1]]
            for c in touched
            for p in graph[c]
            if p[0] == PERPETRATOR and network_of[p[1]] != network_id
        }
        brokers.append(Broker(person, value, len(touched), tuple(sorted(reached))))
    flag = organised_crime(len(members), len(cases), frozenset(roles), len(border), officials, rule)
    return Network(
        id=network_id,
        perpetrators=tuple(members),
        cases=tuple(cases),
        roles=tuple(sorted(roles)),
        places=tuple(sorted(places)),
        border_cases=len(border),
        brokers=tuple(brokers),
        organised_crime=flag,
    )


__all__ = [
    "Broker",
    "EdgeView",
    "GraphInputError",
    "Neighbourhood",
    "Network",
    "NetworkAnalysis",
    "NodeView",
    "analyse",
]
