"""The graph of perpetrators, cases and places, built from plain tuples.

A :class:`Link` says that one perpetrator played one role in one case (a child's case), where,
whether a border was crossed, and what evidence says so (a record reference, never text that
identifies anyone). A :class:`Journey` says where a case's child was taken: origin, transit
points, destination, the transport used, whether a border was crossed. Node keys are
``(kind, id)`` tuples: ``("perpetrator", id)``, ``("case", id)`` and ``("place", name)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

PERPETRATOR, CASE, PLACE = "perpetrator", "case", "place"
Node = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Link:
    """One perpetrator's part in one case, with the evidence behind it."""

    perpetrator: str
    case: str
    role: str = ""
    place: str = ""
    border_crossing: bool = False
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Journey:
    """Where one case's child was taken, and how."""

    case: str
    origin: str = ""
    destination: str = ""
    transit: tuple[str, ...] = ()
    transport: tuple[str, ...] = ()
    border_crossing: bool = False


class GraphInputError(ValueError):
    """A link or journey that cannot be placed in the graph (says which and why)."""


def check_links(links: Sequence[Link]) -> None:
    """Raises :class:`GraphInputError` for a link that is not one or names no perpetrator or
    no case."""
    for number, link in enumerate(links, 1):
        if not isinstance(link, Link):
            raise GraphInputError(f"link {number} is a {type(link).__name__}, not a Link")
        if not link.perpetrator.strip() or not link.case.strip():
            raise GraphInputError(f"link {number} names no perpetrator or no case")


def build_graph(links: Sequence[Link], journeys: Iterable[Journey] = ()) -> nx.Graph:
    """Perpetrators and cases joined by what each did there; places where they acted, and
    the places of each case's journey.

    A perpetrator-case edge holds ``roles`` (sorted), ``evidence`` (sorted, distinct),
    ``border_crossing`` and ``weight`` (how many links say so). Place edges have ``kind``
    ``acts_at`` (perpetrator) or ``origin``/``transit``/``destination`` (case).
    """
    check_links(links)
    graph = nx.Graph()
    for link in sorted(links, key=lambda k: (k.perpetrator, k.case, k.role, k.evidence)):
        p, c = (PERPETRATOR, link.perpetrator), (CASE, link.case)
        graph.add_node(p, kind=PERPETRATOR)
        graph.add_node(c, kind=CASE)
        if graph.has_edge(p, c):
            data = graph.edges[p, c]
            data["roles"] = tuple(sorted({*data["roles"], link.role} - {""}))
            data["evidence"] = tuple(sorted({*data["evidence"], link.evidence} - {""}))
            data["border_crossing"] = data["border_crossing"] or link.border_crossing
            data["weight"] += 1
        else:
            graph.add_edge(
                p,
                c,
                kind="took_part",
                roles=(link.role,) if link.role else (),
                evidence=(link.evidence,) if link.evidence else (),
                border_crossing=link.border_crossing,
                weight=1,
            )
        if link.place:
            graph.add_node((PLACE, link.place), kind=PLACE)
            graph.add_edge(p, (PLACE, link.place), kind="acts_at", weight=1)
    for journey in sorted(journeys, key=lambda j: j.case):
        c = (CASE, journey.case)
        if c not in graph:
            continue  # a journey with no perpetrator known says nothing of a network
        graph.nodes[c]["border_crossing"] = journey.border_crossing
        stops = [("origin", journey.origin)]
        stops += [("transit", t) for t in journey.transit]
        stops += [("destination", journey.destination)]
        for kind, name in stops:
            if name:
                graph.add_node((PLACE, name), kind=PLACE)
                graph.add_edge(c, (PLACE, name), kind=kind, weight=1)
    return graph


def people_and_cases(graph: nx.Graph) -> nx.Graph:
    """The perpetrator-case part of the graph: places join unrelated groups (a bus park is
    everyone's), so communities and centrality are computed without them."""
    keep = [n for n, kind in graph.nodes(data="kind") if kind != PLACE]
    return graph.subgraph(keep).copy()
