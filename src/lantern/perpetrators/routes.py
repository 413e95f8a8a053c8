"""Routes: the corridors each network moves children along, with their victims and transport,
as the reader may see them (item 5 of #17).

The corridors are the core's (:func:`lantern.networks.corridors.corridors`), computed on the
cases the reader may view only: a case outside the reader's scope adds no victim, no transport
and no place to a route. :func:`register_routes` gives every network's routes across the
register, for the monitoring map.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import ActorRole, TraffickingEvent
from lantern.edges.fields import taxonomy_label
from lantern.edges.language import reader_language
from lantern.errors import NotFound
from lantern.networks import Journey, NetworkAnalysis, analyse
from lantern.networks.corridors import corridors
from lantern.networks.organised import flagged_corridors
from lantern.perpetrators import adapter
from lantern.perpetrators.service import may_read_register
from lantern.taxonomy.countries import country
from lantern.taxonomy.errors import UnknownCode

SEED = 17  # the same register gives the same networks


@dataclass(frozen=True)
class RouteRow:
    """One corridor of one network: places in the reader's words, the countries it goes
    through in order (ISO alpha-3, for a map), the victims and the transport used."""

    network: str  # "network-1", as the page names networks ("Network 1")
    origin: str
    transit: list[str]
    destination: str
    countries: list[str]
    victims: int
    transport: list[str]
    border_crossing: bool


def country_name(code: str) -> str:
    try:
        return country(code).name(reader_language()) if code else ""
    except UnknownCode:
        return code


def place_label(key: str) -> str:
    """ "NPL:Sindhupalchok" as "Sindhupalchok, Nepal"."""
    code, _sep, name = key.partition(":")
    return ", ".join(x for x in (name, country_name(code)) if x)


def rows(
    analysis: NetworkAnalysis, journeys: Sequence[Journey], visible: Iterable[int]
) -> list[RouteRow]:
    """The analysis's networks' corridors over the cases in ``visible`` (case pks) only."""
    shown = {adapter.case_id(pk) for pk in visible}
    cases_of = {n.id: [c for c in n.cases if c in shown] for n in analysis.networks}
    found = corridors(cases_of, [j for j in journeys if j.case in shown])
    out = []
    for c in found:
        stops = [c.origin, *c.transit, c.destination]
        codes = [s.partition(":")[0] for s in stops if s]
        out.append(
            RouteRow(
                network=c.network,
                origin=place_label(c.origin),
                transit=[place_label(t) for t in c.transit],
                destination=place_label(c.destination),
                countries=[x for i, x in enumerate(codes) if x and (i == 0 or codes[i - 1] != x)],
                victims=c.victims,
                transport=[taxonomy_label(t, "transport_modes") for t in c.transport],
                border_crossing=c.border_crossing,
            )
        )
    return out


def analysed(
    roles: Sequence[ActorRole], events: Iterable[TraffickingEvent] | None = None
) -> tuple[NetworkAnalysis, list[Journey]]:
    """The core's analysis of these roles (with ``actor__register_link``) and their cases'
    journeys (``events``: the cases' steps, read here when not given): one analysis, whoever
    calls."""
    if events is None:
        events = TraffickingEvent.objects.filter(case_id__in={r.case_id for r in roles})
    journeys = adapter.journeys(events)
    crossing = {j.case for j in journeys if j.border_crossing}
    return analyse(adapter.links(roles, crossing), journeys, seed=SEED), journeys


def register_routes(user: Any, source: str = "") -> list[RouteRow]:
    """Every network's routes across the register, over the cases ``user`` may view (the
    monitoring map reads these: places and counts, never a name)."""
    if not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    roles = list(
        ActorRole.objects.filter(actor__register_link__isnull=False).select_related(
            "actor__register_link"
        )
    )
    analysis, journeys = analysed(roles)
    visible = policy.scope_cases(user, "view").filter(pk__in={r.case_id for r in roles})
    found = rows(analysis, journeys, visible.values_list("pk", flat=True))
    audit.record(user, "view", "network", "routes", source=source)
    return found


#: A corridor of the monitoring map: origin country, destination country, and the mart's
#: journey scope ("domestic" or "cross_border"); "" is unknown, as in the mart.
CorridorKey = tuple[str, str, str]


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while the whole register becomes millions of small
    objects (links, journeys, pairs) that hold no reference cycles: each of its passes walks
    every object still alive, and over a register copied to 1,003,661 cases they cost about a
    quarter of the analysis (flagged_corridors 22.8 s of CPU with it, 17.2 s without). Reference
    counting still frees everything; the collector resumes, as it was, at the end."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def organised_corridors() -> tuple[dict[CorridorKey, int], tuple[str, ...]]:
    """Cases moved along each corridor by networks the organised-crime rule flags, counted
    across the whole register, and the agencies whose cases they are: aggregates for the
    monitoring map (C182's "links with organized crime"), never a name, a place below the
    country or a case. Callers publish them through disclosure control.

    The register's networks as :func:`analysed` finds them, from plain rows and without what
    the map does not use (places, brokers, networks too small to be flagged):
    ``networks.organised.flagged_corridors``, the same corridors in a fraction of the time
    (``benchmarks/bench_networks_mart.py``)."""
    with _no_cycle_collection():
        roles = adapter.register_roles()
        journeys = adapter.journeys_of_steps(adapter.register_steps())
        crossing = {j.case for j in journeys if j.border_crossing}
        links = adapter.links_of_rows((r[:4] for r in roles), crossing)
        cases: dict[CorridorKey, set[str]] = defaultdict(set)
        for c in flagged_corridors(links, journeys, seed=SEED):
            origin, destination = c.origin.partition(":")[0], c.destination.partition(":")[0]
            scope = "cross_border" if c.border_crossing else "domestic"
            cases[(origin, destination, scope)].update(c.cases)
        counted = {case for found in cases.values() for case in found}
        agencies = sorted(
            {agency for _pk, case, *_r, agency in roles if adapter.case_id(case) in counted}
        )
        return {k: len(v) for k, v in cases.items()}, tuple(agencies)
