"""Madigan & York (1997) Bayesian model averaging over decomposable graphs, as R's dga does it.

Every decomposable graphical model of the lists gets a hyper-Dirichlet prior (delta per cell of
the full table, 2^-p by default); its marginal likelihood factorises over cliques and
separators, so the posterior of (graph, number missed) is exact on a grid of totals. Graphs
are equally likely a priori; the prior on the total is 1/N. For 3 to 5 lists (8, 61 and 822
graphs), as dga ships them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from lantern.estimation.result import Estimate, Interval
from lantern.estimation.table import CaptureTable

FloatArray = npt.NDArray[np.float64]
MIN_LISTS, MAX_LISTS = 3, 5
#: dga's reference runs (r-reference.csv): 1,000 grid points up to eleven times the observed.
DEFAULT_POINTS = 1000
DEFAULT_MAX_FACTOR = 11


@dataclass(frozen=True)
class Graph:
    """A decomposable graph by its cliques and (non-empty) separators, lists as bitmasks."""

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]


def _chordal(p: int, adj: list[int]) -> bool:
    """Maximum cardinality search gives a perfect elimination order iff the graph is chordal."""
    order: list[int] = []
    weight = [0] * p
    left = set(range(p))
    while left:
        v = max(sorted(left), key=lambda u: weight[u])
        earlier = [u for u in order if adj[v] >> u & 1]
        # the earlier neighbours of v must form a clique
        for a, b in combinations(earlier, 2):
            if not adj[a] >> b & 1:
                return False
        order.append(v)
        left.remove(v)
        for u in left:
            if adj[v] >> u & 1:
                weight[u] += 1
    return True


@cache
def decomposable_graphs(p: int) -> tuple[Graph, ...]:
    """Every decomposable graph on ``p`` lists, with cliques and junction-tree separators."""
    pairs = list(combinations(range(p), 2))
    out = []
    for mask in range(1 << len(pairs)):
        edges = tuple(e for i, e in enumerate(pairs) if mask >> i & 1)
        adj = [0] * p
        for a, b in edges:
            adj[a] |= 1 << b
            adj[b] |= 1 << a
        if not _chordal(p, adj):
            continue
        complete = [
            s
            for s in range(1, 1 << p)
            if all(adj[a] >> b & 1 for a, b in combinations(_members(s), 2))
        ]
        cliques = [s for s in complete if not any(t != s and t & s == s for t in complete)]
        out.append(Graph(edges, tuple(cliques), _separators(cliques)))
    return tuple(out)


def _members(s: int) -> list[int]:
    return [i for i in range(s.bit_length()) if s >> i & 1]


def _separators(cliques: list[int]) -> tuple[int, ...]:
    """Separators of a junction tree: a maximum-weight spanning forest of the clique graph
    (weights = sizes of the intersections), keeping non-empty intersections."""
    parent = list(range(len(cliques)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    links = sorted(
        ((bin(a & b).count("1"), i, j) for (i, a), (j, b) in combinations(enumerate(cliques), 2)),
        reverse=True,
    )
    seps = []
    for size, i, j in links:
        if size and root(i) != root(j):
            parent[root(i)] = root(j)
            seps.append(cliques[i] & cliques[j])
    return tuple(seps)


def _component_logml(table: CaptureTable, missing: FloatArray, delta: float) -> FloatArray:
    """log marginal likelihood of every margin (row = subset bitmask - 1) at every grid point."""
    p = table.k
    cells = table.cells
    counts = table.counts.astype(np.float64)
    out = np.zeros(((1 << p) - 1, missing.size))
    for subset in range(1, 1 << p):
        size = bin(subset).count("1")
        alpha = delta * 2.0 ** (p - size)
        margin = np.zeros(1 << p)
        np.add.at(margin, cells & subset, counts)
        kept = margin[[s for s in range(1 << p) if s & ~subset == 0]]
        rest = kept[1:]
        out[subset - 1] = (
            gammaln(kept[0] + missing + alpha)
            + float(np.sum(gammaln(rest + alpha)))
            - (1 << size) * gammaln(alpha)
        )
    return out


def posterior_weights(
    table: CaptureTable, missing: FloatArray, delta: float | None = None
) -> FloatArray:
    """Posterior probabilities of (graph, number missed), shape (graphs, grid points)."""
    p = table.k
    if not MIN_LISTS <= p <= MAX_LISTS:
        raise ValueError(f"dga averages over decomposable graphs of 3 to 5 lists, got {p}")
    d = 2.0**-p if delta is None else delta
    n = float(table.observed)
    comp = _component_logml(table, missing, d)
    total_alpha = d * 2.0**p
    norm = gammaln(total_alpha) - gammaln(missing + n + total_alpha)
    graphs = decomposable_graphs(p)
    logw = np.empty((len(graphs), missing.size))
    for g, graph in enumerate(graphs):
        cl = sum(comp[c - 1] for c in graph.cliques)
        sep = sum((comp[s - 1] for s in graph.separators), np.zeros(missing.size))
        logw[g] = cl - sep + (len(graph.cliques) - len(graph.separators)) * norm
    multinomial = (
        gammaln(missing + n + 1)
        - float(np.sum(gammaln(table.counts.astype(np.float64) + 1)))
        - gammaln(missing + 1)
    )
    logw += multinomial - np.log(n + missing)
    logw -= logw.max()
    w = np.exp(logw)
    return w / w.sum()


def quantile(totals: FloatArray, mass: FloatArray, prob: float) -> float:
    """Linear interpolation of the total at cumulative probability ``prob`` (R's ``approx``);
    NaN below the first grid point's mass, as there."""
    cdf = np.cumsum(mass)
    if prob < cdf[0]:
        return float("nan")
    return float(np.interp(prob, cdf, totals))


def dga(
    table: CaptureTable,
    *,
    level: float = 0.95,
    max_total: float | None = None,
    points: int = DEFAULT_POINTS,
    delta: float | None = None,
) -> Estimate:
    """Posterior median of the total and its equal-tailed interval, averaged over graphs."""
    n = table.observed
    top = DEFAULT_MAX_FACTOR * n if max_total is None else max_total
    if top <= n or points < 10:
        raise ValueError("the grid needs a largest total above the observed and 10+ points")
    missing = np.linspace(0.0, top - n, points)
    w = posterior_weights(table, missing, delta)
    mass = w.sum(axis=0)
    totals = missing + n
    tail = (1 - level) / 2
    med, lo, hi = (quantile(totals, mass, q) for q in (0.5, tail, 1 - tail))
    graphs = decomposable_graphs(table.k)
    gw = w.sum(axis=1)
    best = int(np.argmax(gw))
    warnings = []
    if mass[-1] > 1e-4:
        warnings.append(
            f"the posterior puts {mass[-1]:.1e} on the grid's last point: raise --max-total"
        )
    if np.isnan(lo):
        # R's dga answers NA; the smallest total there is, the observed, is the honest end
        lo = float(n)
        warnings.append(
            f"more than {tail:.1%} of the posterior says no one was missed: the lower end is "
            "the observed count"
        )
    cliques = graphs[best].cliques
    terms = tuple(tuple(table.lists[i] for i in _members(c)) for c in cliques)
    model = "[" + ",".join("".join(str(i + 1) for i in _members(c)) for c in cliques) + "]"
    return Estimate(
        lists=table.lists,
        observed=n,
        dark_figure=med - n,
        estimate=med,
        interval=Interval(level, lo, hi, "equal-tailed posterior interval, averaged over graphs"),
        model_terms=terms,
        model=model,
        model_sparsemse="",
        minus_infinity=(),
        method="dga",
        settings={
            "description": "Bayesian model averaging over decomposable graphs (Madigan & York "
            "1997, R's dga)",
            "delta": 2.0**-table.k if delta is None else delta,
            "grid_points": points,
            "max_total": top,
            "graphs": len(graphs),
            "top_graph_probability": float(gw[best]),
            "posterior_mode": float(totals[int(np.argmax(mass))]),
        },
        warnings=tuple(warnings),
    )
