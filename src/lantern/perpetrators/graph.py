"""The thin adapter between the register and graph analysis: plain node ids and edges in,
communities, centrality and a drawing's positions out.

It calls networkx directly for now; the pure core ``lantern.networks`` replaces these calls
(its communities, key brokers and organised-crime rule) when it lands, so nothing here knows
the register's models.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

Edge = tuple[str, str]


def _graph(nodes: Iterable[str], edges: Iterable[Edge]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    return g


def communities(nodes: Iterable[str], edges: Iterable[Edge], seed: int = 17) -> list[set[str]]:
    """Louvain communities, largest first (deterministic for a seed)."""
    g = _graph(nodes, edges)
    if g.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(g, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def centrality(nodes: Iterable[str], edges: Iterable[Edge]) -> dict[str, float]:
    """Betweenness centrality: who stands between the others (the key brokers)."""
    return dict(nx.betweenness_centrality(_graph(nodes, edges), normalized=True))


def component(nodes: Iterable[str], edges: Iterable[Edge], start: str) -> set[str]:
    """Every node connected to ``start``."""
    g = _graph(nodes, edges)
    return set(nx.node_connected_component(g, start)) if start in g else set()


def layout(
    nodes: Iterable[str], edges: Iterable[Edge], width: int, height: int, margin: int = 30
) -> dict[str, tuple[int, int]]:
    """Positions for a drawing of ``width`` x ``height`` (a seeded spring layout)."""
    g = _graph(nodes, edges)
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() == 1:
        return {n: (width // 2, height // 2) for n in g}
    pos = nx.spring_layout(g, seed=7)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        n: (
            int(margin + (p[0] - min(xs)) / span_x * (width - 2 * margin)),
            int(margin + (p[1] - min(ys)) / span_y * (height - 2 * margin)),
        )
        for n, p in pos.items()
    }
