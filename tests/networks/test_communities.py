"""Leiden's communities: seeded, well connected, and the obvious groups found."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from lantern.networks.communities import leiden_communities


def _edges(graph: nx.Graph) -> list[tuple[int, int, int]]:
    return [(u, v, w) for u, v, w in graph.edges(data="weight", default=1)]


def _register(trial: int) -> nx.Graph:
    """Many small networks and a few larger ones, nodes interleaved, as a register's
    perpetrator-case graph is."""
    rng = random.Random(trial)
    parts = [
        nx.gnm_random_graph(size, rng.randint(size - 1, 2 * size), seed=trial * 100 + i)
        for i, size in enumerate(rng.choices((2, 3, 5, 40, 120), (8, 6, 4, 2, 1), k=30))
    ]
    labels = list(range(sum(len(p) for p in parts)))
    rng.shuffle(labels)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(labels)))
    start = 0
    for part in parts:
        for u, v in part.edges:
            graph.add_edge(labels[start + u], labels[start + v], weight=rng.randint(1, 3))
        start += len(part)
    return graph


def test_two_groups_joined_by_one_tie_are_two_networks() -> None:
    graph = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    graph.add_edge(0, 6)
    found = leiden_communities(12, _edges(graph), seed=3)
    assert found == [list(range(6)), list(range(6, 12))]


@pytest.mark.parametrize("trial", range(12))
def test_the_same_links_and_seed_give_the_same_networks(trial: int) -> None:
    graph = _register(trial)
    edges = _edges(graph)
    first = leiden_communities(len(graph), edges, seed=trial)
    assert leiden_communities(len(graph), edges, seed=trial) == first
    assert sorted(u for c in first for u in c) == list(range(len(graph)))


@pytest.mark.parametrize("trial", range(12))
def test_every_network_is_connected_and_within_one_part(trial: int) -> None:
    """Leiden's guarantee (Louvain's communities can fall apart inside): a network is one
    connected group, never two groups that share no tie."""
    graph = _register(trial)
    part_of = {u: i for i, part in enumerate(nx.connected_components(graph)) for u in part}
    for community in leiden_communities(len(graph), _edges(graph), seed=trial):
        assert nx.is_connected(graph.subgraph(community))
        assert len({part_of[u] for u in community}) == 1


def test_a_graph_without_edges_is_every_node_alone() -> None:
    assert leiden_communities(3, [], seed=1) == [[0], [1], [2]]


def test_a_higher_resolution_gives_no_fewer_networks() -> None:
    graph = nx.connected_caveman_graph(8, 5)
    edges = _edges(graph)
    coarse = leiden_communities(len(graph), edges, seed=1, resolution=0.2)
    fine = leiden_communities(len(graph), edges, seed=1, resolution=2.0)
    assert len(fine) >= len(coarse) and len(fine) > 1
