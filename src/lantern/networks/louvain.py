"""Louvain communities exactly as networkx finds them (``nx.community.louvain_communities``,
networkx 3.x, undirected, integer weights), on integer nodes and plain lists.

Why a port: over a national register the networkx call spends most of its time on graph
objects (building, copying, aggregating) and on hashing tuple node keys. This is the same
algorithm step for step: the same random permutation of the nodes from the same seed, the same
order of neighbours, the same arithmetic (so the same ties broken the same way) and the same
stopping rule, hence the same communities. ``tests/networks/test_louvain.py`` checks it
against networkx on random graphs.

The graph is given as networkx would hold it: nodes ``0..n-1`` in the graph's node order and
the edges ``(u, v, weight)`` in the order ``graph.edges(data="weight")`` yields them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence

Adjacency = list[dict[int, int]]


def _adjacency(n: int, edges: Iterable[tuple[int, int, int]]) -> Adjacency:
    """As ``nx.Graph.add_weighted_edges_from`` orders neighbours (a repeated edge keeps its
    place and takes the last weight)."""
    adj: Adjacency = [{} for _ in range(n)]
    for u, v, w in edges:
        adj[u][v] = w
        adj[v][u] = w
    return adj


def _degrees(adj: Adjacency) -> list[int]:
    """Weighted degrees, a self-loop counted twice (``nx.Graph.degree``)."""
    return [sum(nbrs.values()) + nbrs.get(u, 0) for u, nbrs in enumerate(adj)]


def _modularity(adj: Adjacency, communities: Sequence[set[int]], resolution: float) -> float:
    """``nx.community.modularity`` of an undirected graph, in its order of operations."""
    degree = _degrees(adj)
    deg_sum = sum(degree)
    m = deg_sum / 2
    if m == 0:
        return 0
    norm = 1 / deg_sum**2

    def contribution(comm: set[int]) -> float:
        inner = sum(w for u in comm for v, w in adj[u].items() if v >= u and v in comm)
        degree_sum = sum(degree[u] for u in comm)
        return inner / m - resolution * degree_sum * degree_sum * norm

    return sum(map(contribution, communities))


def _components(adj: Adjacency) -> list[int]:
    """Each node's connected component (a label shared by the component's nodes)."""
    parent = list(range(len(adj)))

    def root(u: int) -> int:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for u, nbrs in enumerate(adj):
        for v in nbrs:
            a, b = root(u), root(v)
            if a != b:
                parent[b] = a
    return [root(u) for u in range(len(adj))]


def _one_level(
    adj: Adjacency,
    members: list[set[int]],
    partition: list[set[int]],
    component: list[int],
    m: float,
    resolution: float,
    rng: random.Random,
) -> tuple[list[set[int]], list[set[int]], bool]:
    """One pass of node moves until none improves modularity (networkx's ``_one_level``).

    Three shortcuts that move nothing networkx would not:

    - the weights towards each community are summed as integers (exact, as networkx's float
      sums of integer weights are);
    - a node whose neighbours are all in its own community is left there without computing
      the gains (its only candidate is its own community, which networkx keeps on a tie):
      each node counts its neighbours outside its community, kept up to date as nodes move;
    - a connected component in which no node moved during a sweep is passed over in the next
      sweeps: a node's gains depend only on its component (its neighbours' communities and
      their totals; ``m`` is fixed), so each of its nodes would meet the very state it met
      before and stay again. A national register is many small networks and a few large
      ones; after the first sweeps only the large ones are still moving."""
    n = len(adj)
    node2com = list(range(n))
    inner_partition = [{u} for u in range(n)]
    gamma = resolution / 2
    degrees = _degrees(adj)
    total = list(degrees)
    nbrs = [[(v, w) for v, w in a.items() if v != u] for u, a in enumerate(adj)]
    outside = [len(nb) for nb in nbrs]  # every node alone: every neighbour is outside
    rand_nodes = list(range(n))
    rng.shuffle(rand_nodes)
    nb_moves = 1
    improvement = False
    moving = set(component)  # components with a move in the last sweep (all, at first)
    while nb_moves > 0:
        nb_moves = 0
        moved: set[int] = set()
        for u in rand_nodes:
            if not outside[u] or component[u] not in moving:
                continue
            u_com = node2com[u]
            weights: defaultdict[int, int] = defaultdict(int)
            for nbr, wt in nbrs[u]:
                weights[node2com[nbr]] += wt
            degree = degrees[u]
            total[u_com] -= degree
            best_gain = weights.get(u_com, 0) * m - gamma * (total[u_com] * degree)
            best_com = u_com
            for com, com_wt in weights.items():
                gain = com_wt * m - gamma * (total[com] * degree)
                if gain > best_gain:
                    best_gain = gain
                    best_com = com
            total[best_com] += degree
            if best_com != u_com:
                u_nodes = members[u]
                partition[u_com].difference_update(u_nodes)
                partition[best_com].update(u_nodes)
                inner_partition[u_com].remove(u)
                inner_partition[best_com].add(u)
                improvement = True
                nb_moves += 1
                moved.add(component[u])
                node2com[u] = best_com
                _moved(u, u_com, best_com, nbrs, node2com, outside)
        moving = moved
    partition = [p for p in partition if p]
    inner_partition = [p for p in inner_partition if p]
    return partition, inner_partition, improvement


def _moved(
    u: int,
    left: int,
    joined: int,
    nbrs: list[list[tuple[int, int]]],
    node2com: list[int],
    outside: list[int],
) -> None:
    """Keeps the counts of neighbours outside each community as ``u`` moves."""
    mine = 0
    for v, _w in nbrs[u]:
        com = node2com[v]
        if com == left:
            outside[v] += 1
        elif com == joined:
            outside[v] -= 1
            mine += 1
    outside[u] = len(nbrs[u]) - mine


def _aggregate(
    adj: Adjacency, members: list[set[int]], partition: list[set[int]], component: list[int]
) -> tuple[Adjacency, list[set[int]], list[int]]:
    """The graph of communities (networkx's ``_aggregate_graph``): one node per community,
    the weights between them summed, in the order networkx adds them; and each community's
    component (a community never spans two)."""
    node2com: dict[int, int] = {}
    grouped: list[set[int]] = []
    components: list[int] = []
    for i, part in enumerate(partition):
        nodes: set[int] = set()
        for node in part:
            node2com[node] = i
            nodes.update(members[node])
        grouped.append(nodes)
        components.append(component[next(iter(part))])
    new: Adjacency = [{} for _ in partition]
    for u, nbrs in enumerate(adj):
        for v, w in nbrs.items():
            if v < u:
                continue  # networkx yields each edge once, from the first of its ends
            a, b = node2com[u], node2com[v]
            if b in new[a]:
                w = w + new[a][b]
            new[a][b] = w
            new[b][a] = w
    return new, grouped, components


def louvain_communities(
    n: int,
    edges: Iterable[tuple[int, int, int]],
    *,
    seed: int,
    resolution: float = 1,
    threshold: float = 0.0000001,
) -> list[set[int]]:
    """The communities networkx's ``louvain_communities(graph, seed=seed)`` gives for the
    graph of ``n`` nodes and these ``edges`` (in the graph's orders, see the module)."""
    rng = random.Random(seed)
    partition = [{u} for u in range(n)]
    adj = _adjacency(n, edges)
    if not any(adj):
        return partition
    mod = _modularity(adj, partition, resolution)
    m = sum(_degrees(adj)) / 2
    members = [{u} for u in range(n)]
    component = _components(adj)
    partition, inner, _moved = _one_level(adj, members, partition, component, m, resolution, rng)
    improvement = True
    found = partition
    while improvement:
        found = [c.copy() for c in partition]
        new_mod = _modularity(adj, inner, resolution)
        if new_mod - mod <= threshold:
            return found
        mod = new_mod
        adj, members, component = _aggregate(adj, members, inner, component)
        partition, inner, improvement = _one_level(
            adj, members, partition, component, m, resolution, rng
        )
    return found
