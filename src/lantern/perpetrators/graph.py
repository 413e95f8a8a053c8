"""Where to draw each node of a network page: a seeded spring layout scaled to the drawing.

Only the drawing lives here; the analysis (communities, brokers, the organised-crime flag,
corridors) is the pure core's, ``lantern.networks``, reached through ``adapter``.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

Edge = tuple[str, str]


def layout(
    nodes: Iterable[str], edges: Iterable[Edge], width: int, height: int, margin: int = 30
) -> dict[str, tuple[int, int]]:
    """Positions for a drawing of ``width`` x ``height`` (a seeded spring layout)."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
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
