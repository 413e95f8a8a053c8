"""Communities of the perpetrator-case graph: igraph's Leiden (Traag, Waltman and van Eck 2019)
on modularity, seeded, run until an iteration no longer improves it.

Why Leiden and why igraph: Louvain, which this replaced, can leave a community internally
disconnected (two groups joined only through a node that has since left); Leiden refines each
community so that it is well connected, which is what "one network" should mean. igraph runs it
in C: over a national register copied to 1,003,661 cases (1,405,295 nodes, 256,043 networks)
it took 4.8 s of CPU where networkx's Louvain, ported to plain lists, took 58 s
(``benchmarks/bench_networks_mart.py``). :func:`networks.analyse` and the mart's organised
corridors both call :func:`leiden_communities` on the same graph in the same order, so the
networks page and the monitoring map agree.

The result depends on the nodes' numbers and the seed, which the callers fix, and not on the
order the edges come in (they are put in one order here, each as (smaller node, larger node)):
the same links give the same networks. igraph draws its random numbers from one generator
for the whole process; a lock keeps a seeded generator in place for the length of one call.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

import igraph
import numpy as np

_GENERATOR = threading.Lock()


def leiden_communities(
    n: int,
    edges: Sequence[tuple[int, int, int]],
    *,
    seed: int,
    resolution: float = 1.0,
) -> list[list[int]]:
    """The communities of the graph of nodes ``0..n-1`` and weighted ``edges`` ``(u, v, w)``,
    each a sorted list of nodes, in the order of their smallest node."""
    ends = np.array([(u, v) for u, v, _w in edges], dtype=np.int64).reshape(-1, 2)
    ends.sort(axis=1)
    order = np.lexsort((ends[:, 1], ends[:, 0]))
    graph = igraph.Graph(n=n, edges=ends[order])
    weights = np.array([w for _u, _v, w in edges], dtype=np.float64)[order]
    with _GENERATOR:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            found = graph.community_leiden(
                objective_function="modularity",
                weights=weights,
                resolution=resolution,
                n_iterations=-1,
            )
        finally:
            igraph.set_random_number_generator(random)
    groups: dict[int, list[int]] = {}
    for node, community in enumerate(found.membership):
        groups.setdefault(community, []).append(node)
    return sorted(groups.values(), key=lambda members: members[0])
