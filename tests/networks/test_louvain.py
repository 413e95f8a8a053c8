"""The Louvain port finds networkx's communities exactly: same seed, same graph, same sets."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from lantern.networks.louvain import louvain_communities


def _graph(trial: int) -> nx.Graph:
    """A random weighted graph whose nodes and edges were added in a shuffled order (the
    order is part of what Louvain's result depends on)."""
    rng = random.Random(trial)
    n = rng.randint(2, 250)
    base = nx.gnm_random_graph(n, rng.randint(1, 3 * n), seed=trial)
    graph = nx.Graph()
    nodes = list(base)
    rng.shuffle(nodes)
    graph.add_nodes_from(nodes)
    edges = list(base.edges)
    rng.shuffle(edges)
    for u, v in edges:
        graph.add_edge(u, v, weight=rng.randint(1, 3))
    if trial % 7 == 0:  # a self-loop now and then (aggregated levels have them anyway)
        graph.add_edge(nodes[0], nodes[0], weight=2)
    return graph


@pytest.mark.parametrize("trial", range(120))
def test_the_port_gives_networkx_communities(trial: int) -> None:
    graph = _graph(trial)
    seed = trial % 13
    resolution = (1.0, 0.5, 1.5)[trial % 3]
    expected = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    index = {u: i for i, u in enumerate(graph)}
    edges = [(index[u], index[v], w) for u, v, w in graph.edges(data="weight")]
    found = louvain_communities(len(graph), edges, seed=seed, resolution=resolution)
    assert sorted(sorted(c) for c in found) == sorted(sorted(index[u] for u in c) for c in expected)


def test_a_graph_without_edges_is_every_node_alone() -> None:
    assert louvain_communities(3, [], seed=1) == [{0}, {1}, {2}]


def _many_networks(trial: int) -> nx.Graph:
    """Many small networks and a few larger ones, their nodes interleaved, as a register's
    perpetrator-case graph is: the port passes over networks that have settled, which must
    not change what it finds in the others."""
    rng = random.Random(1000 + trial)
    graph = nx.Graph()
    parts = [
        nx.gnm_random_graph(size, rng.randint(size - 1, 2 * size), seed=trial * 100 + i)
        for i, size in enumerate(rng.choices((2, 3, 5, 40, 120), (8, 6, 4, 2, 1), k=30))
    ]
    nodes = [(i, u) for i, part in enumerate(parts) for u in part]
    rng.shuffle(nodes)
    graph.add_nodes_from(nodes)
    edges = [((i, u), (i, v)) for i, part in enumerate(parts) for u, v in part.edges]
    rng.shuffle(edges)
    for u, v in edges:
        graph.add_edge(u, v, weight=rng.randint(1, 3))
    return graph


@pytest.mark.parametrize("trial", range(40))
def test_the_port_gives_networkx_communities_on_many_networks(trial: int) -> None:
    graph = _many_networks(trial)
    seed = trial % 5
    expected = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    index = {u: i for i, u in enumerate(graph)}
    edges = [(index[u], index[v], w) for u, v, w in graph.edges(data="weight")]
    found = louvain_communities(len(graph), edges, seed=seed)
    assert sorted(sorted(c) for c in found) == sorted(sorted(index[u] for u in c) for c in expected)
