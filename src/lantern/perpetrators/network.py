"""The network around one perpetrator or one case: perpetrators, children's cases, places and
routes, with the evidence behind each edge and the organised-crime flag with its reasons.

Built from the register (every case a perpetrator is named in, whoever holds it), then cut to
what the reader may see: a case outside the reader's case scope is counted, never shown, and
its places are not drawn. The analysis (communities, brokers, the flag) is the pure core's
(``lantern.networks``, through ``adapter``) and runs on the whole network, so what the reader
is told does not depend on what they may open.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import ActorRole, Case, TraffickingEvent
from lantern.edges.fields import taxonomy_label
from lantern.errors import NotFound
from lantern.networks import NetworkAnalysis
from lantern.perpetrators import adapter, graph, reasons, routes
from lantern.perpetrators.models import ActorLink, IdentifierKind, Perpetrator
from lantern.perpetrators.service import may_read_register

MAX_PERPETRATORS = 60  # a drawing a person can read; the rest is counted
WIDTH, HEIGHT = 640, 420


@dataclass(frozen=True)
class Node:
    id: str  # "p12" perpetrator, "c5" case, "l:NPL:Sindhupalchok" place
    kind: str  # perpetrator, case, place
    label: str
    x: int = 0
    y: int = 0
    url_id: int | None = None  # the record it opens, when the reader may open it
    broker: bool = False  # among the most central perpetrators


@dataclass(frozen=True)
class NetEdge:
    a: str
    b: str
    kind: str  # role (perpetrator-case), route (place-place), place (case-place)
    evidence: str  # what the records say, in the reader's words


@dataclass(frozen=True)
class Group:
    """One network the core found among those shown, with its flag in the reader's words."""

    id: str  # "network-1"
    perpetrators: int
    cases: int
    flagged: bool
    reasons: list[str]
    centre: bool  # the network of the perpetrator or case the page is about


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: list[NetEdge] = field(default_factory=list)
    hidden_cases: int = 0  # cases in the network the reader may not view
    perpetrators: int = 0
    cases: int = 0
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)
    communities: int = 0
    groups: list[Group] = field(default_factory=list)
    routes: list[routes.RouteRow] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def _place(e: TraffickingEvent) -> tuple[str, str]:
    key = adapter.place_key(e)
    return f"l:{key}", routes.place_label(key)


def _expand(seeds: set[int]) -> tuple[set[int], list[ActorRole]]:
    """Perpetrators reached from ``seeds`` through shared cases (two hops), and their roles."""
    people = set(seeds)
    for _hop in range(2):
        cases = ActorRole.objects.filter(actor__register_link__perpetrator__in=people).values(
            "case_id"
        )
        more = set(
            ActorLink.objects.filter(actor__roles__case__in=cases).values_list(
                "perpetrator_id", flat=True
            )
        )
        if more <= people or len(people) >= MAX_PERPETRATORS:
            break
        people |= set(sorted(more - people)[: MAX_PERPETRATORS - len(people)])
    roles = list(
        ActorRole.objects.filter(actor__register_link__perpetrator__in=people).select_related(
            "actor__register_link", "case__agency", "actor__agency"
        )
    )
    return people, roles


def _groups(analysis: NetworkAnalysis, centre: set[str]) -> list[Group]:
    """Each network found, the centre's first, with its flag's reasons translated."""
    found = [
        Group(
            id=n.id,
            perpetrators=len(n.perpetrators),
            cases=len(n.cases),
            flagged=n.organised_crime.flagged,
            reasons=[reasons.sentence(r, n.roles) for r in n.organised_crime.reasons],
            centre=n.id in centre,
        )
        for n in analysis.networks
    ]
    return sorted(found, key=lambda g: not g.centre)


def _names(user: Any, people: set[int]) -> dict[int, str]:
    """Reference and first name of the records the policy lets ``user`` view; the others of
    the network are counted and drawn, not named nor opened."""
    names: dict[int, str] = {}
    rows = policy.scoped(user, "perpetrator", "view").filter(pk__in=people)
    for p in rows.prefetch_related("identifiers"):
        first = next(
            (str(i.value) for i in p.identifiers.all() if i.kind == IdentifierKind.NAME), ""
        )
        names[p.pk] = f"{p.reference} {first}".strip()
    return names


def _centre(analysis: NetworkAnalysis, seeds: set[int], case: int | None) -> set[str]:
    if case is not None:
        return set(analysis.networks_of_case(adapter.case_id(case)))
    return {
        analysis.network_of[p] for p in map(adapter.person_id, seeds) if p in analysis.network_of
    }


def build(user: Any, seeds: set[int], case: int | None = None) -> Network:
    """The network reached from the perpetrators ``seeds`` (named in ``case``, when the page
    is a case's), as ``user`` may see it."""
    people, roles = _expand(seeds)
    case_ids = {r.case_id for r in roles}
    visible = set(
        policy.scope_cases(user, "view").filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    events = list(TraffickingEvent.objects.filter(case_id__in=case_ids).order_by("case_id", "seq"))
    names = _names(user, people)
    pid = {r.pk: adapter.person_id(r.actor.register_link.perpetrator_id) for r in roles}
    analysis, journeys = routes.analysed(roles, events)
    brokers = {b.perpetrator for n in analysis.networks for b in n.brokers}
    net = Network(perpetrators=len(people), cases=len(case_ids))
    net.hidden_cases = len(case_ids - visible)
    net.communities = len(analysis.networks)
    net.groups = _groups(analysis, _centre(analysis, seeds, case))
    centre = [g for g in net.groups if g.centre] or net.groups[:1]
    net.flagged = any(g.flagged for g in centre)
    net.reasons = next(
        (g.reasons for g in centre if g.flagged), centre[0].reasons if centre else []
    )
    net.routes = routes.rows(analysis, journeys, visible)
    shown: list[tuple[str, str, str, int | None]] = [
        (f"p{p}", "perpetrator", names.get(p, ""), p if p in names else None)
        for p in sorted(people)
    ]
    refs = {r.case_id: r.case.reference for r in roles}
    shown += [(f"c{c}", "case", refs[c], c) for c in sorted(visible)]
    edges: list[NetEdge] = []
    for r in roles:
        if r.case_id not in visible:
            continue
        rel = taxonomy_label(r.relationship, "relationship_to_trafficker") if r.relationship else ""
        evidence = _("%(role)s in case %(case)s, recorded by %(agency)s as %(ref)s") % {
            "role": taxonomy_label(r.role, "actor_roles"),
            "case": r.case.reference,
            "agency": r.actor.agency.name,
            "ref": r.actor.ref,
        }
        edges.append(
            NetEdge(pid[r.pk], f"c{r.case_id}", "role", f"{evidence}{' · ' + rel if rel else ''}")
        )
    places: dict[str, str] = {}
    for e in events:
        if e.case_id not in visible:
            continue
        key, label = _place(e)
        places[key] = label
        edges.append(
            NetEdge(
                f"c{e.case_id}",
                key,
                "place",
                _("%(step)s in %(place)s%(date)s")
                % {
                    "step": taxonomy_label(e.type, "event_types"),
                    "place": label,
                    "date": f" ({e.date.isoformat()})" if e.date else "",
                },
            )
        )
    by_case: dict[int, list[TraffickingEvent]] = defaultdict(list)
    for e in events:
        if e.case_id in visible:
            by_case[e.case_id].append(e)
    for steps in by_case.values():
        for a, b in pairwise(steps):
            ka, kb = _place(a)[0], _place(b)[0]
            if ka != kb:
                how = taxonomy_label(b.transport, "transport_modes") if b.transport else ""
                edges.append(
                    NetEdge(
                        ka,
                        kb,
                        "route",
                        _("Route of case %(case)s") % {"case": refs[b.case_id]}
                        + (f" · {how}" if how else ""),
                    )
                )
    shown += [(k, "place", v, None) for k, v in sorted(places.items())]
    pos = graph.layout([s[0] for s in shown], [(e.a, e.b) for e in edges], WIDTH, HEIGHT)
    net.nodes = [
        Node(i, kind, label, *pos.get(i, (0, 0)), url_id=pk, broker=i in brokers)
        for i, kind, label, pk in shown
    ]
    net.edges = edges
    return net


def around_perpetrator(user: Any, row: Perpetrator, source: str = "") -> Network:
    if not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    net = build(user, {row.pk})
    audit.record(user, "view", "network", row.pk, fields=("identifiers",), source=source)
    return net


def around_case(user: Any, case: Case, source: str = "") -> Network:
    """The network of the perpetrators named in a case the reader may view."""
    if not may_read_register(user) or not policy.case_allows(user, "view", case):
        raise NotFound(_("No such case"))
    seeds = set(
        ActorLink.objects.filter(actor__roles__case=case).values_list("perpetrator_id", flat=True)
    )
    net = build(user, seeds, case.pk)
    audit.record(user, "view", "network", f"case {case.pk}", fields=("identifiers",), source=source)
    return net
