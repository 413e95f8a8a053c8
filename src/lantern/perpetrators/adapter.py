"""The thin adapter between the register and the pure network core (``lantern.networks``):
the register's roles and the cases' journeys in, the core's :class:`Link` and :class:`Journey`
tuples out. Ids only ("p12" a register record, "c5" a case, "NPL:Sindhupalchok" a place), so
the core never sees a name and the pages map ids back to what the reader may see.

Roles and steps come either as model instances (a page's few) or as plain rows read in one
query (:func:`register_roles`, :func:`register_steps`: the whole register for the monitoring
map, where building a model instance per row would cost most of the time); both go through the
same code, so they give the same links and journeys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from lantern.cases.models import ActorRole, TraffickingEvent
from lantern.networks import Journey, Link

#: One step of a journey as read: case pk, country, state, city, transport, crossing.
Step = tuple[int, str, str, str, str, str]
#: One role of a register record as read: role pk, case pk, role, register record pk, and the
#: code of the case's agency.
RoleRow = tuple[int, int, str, int, str]


def person_id(pk: int) -> str:
    return f"p{pk}"


def case_id(pk: int) -> str:
    return f"c{pk}"


def _place(country: str, state: str, city: str) -> str:
    return f"{country}:{city or state or ''}"


def place_key(event: TraffickingEvent) -> str:
    """A place as the journeys name it: country code and the finest place recorded."""
    return _place(event.country, event.state, event.city)


def journeys(events: Iterable[TraffickingEvent]) -> list[Journey]:
    """Each case's journey from its steps in order: origin, transit points, destination, the
    transport used and whether a border was crossed."""
    ordered = sorted(events, key=lambda e: (e.case_id, e.seq))
    return journeys_of_steps(
        (e.case_id, e.country, e.state, e.city, e.transport, e.crossing) for e in ordered
    )


def journeys_of_steps(steps: Iterable[Step]) -> list[Journey]:
    """:func:`journeys` from plain steps, given in order (by case, then by step)."""
    by_case: dict[int, list[Step]] = defaultdict(list)
    for step in steps:
        by_case[step[0]].append(step)
    found = []
    for case, taken in by_case.items():
        stops: list[str] = []
        for _case, country, state, city, _transport, _crossing in taken:
            key = _place(country, state, city)
            if country and (not stops or stops[-1] != key):
                stops.append(key)
        countries = {s[1] for s in taken if s[1]}
        found.append(
            Journey(
                case_id(case),
                origin=stops[0] if stops else "",
                destination=stops[-1] if len(stops) > 1 else "",
                transit=tuple(stops[1:-1]),
                transport=tuple(sorted({s[4] for s in taken if s[4]})),
                border_crossing=len(countries) > 1 or any(s[5] for s in taken),
            )
        )
    return found


def links(roles: Iterable[ActorRole], crossing: set[str]) -> list[Link]:
    """One link per role a register record plays in a case; its evidence is the role's id.

    ``roles`` need ``actor__register_link``; ``crossing`` holds the core ids of the cases
    whose journey crosses a border."""
    return links_of_rows(
        ((r.pk, r.case_id, r.role, r.actor.register_link.perpetrator_id) for r in roles),
        crossing,
    )


def links_of_rows(rows: Iterable[tuple[int, int, str, int]], crossing: set[str]) -> list[Link]:
    """:func:`links` from plain rows: role pk, case pk, role, register record pk."""
    found = []
    for pk, case_pk, role, perpetrator in rows:
        case = case_id(case_pk)
        found.append(
            Link(
                person_id(perpetrator),
                case,
                role=role,
                border_crossing=case in crossing,
                evidence=f"role:{pk}",
            )
        )
    return found


def register_roles() -> list[RoleRow]:
    """Every role a register record plays, as plain rows (see :data:`RoleRow`)."""
    rows = ActorRole.objects.filter(actor__register_link__isnull=False).values_list(
        "pk", "case_id", "role", "actor__register_link__perpetrator_id", "case__agency__code"
    )
    return list(rows)


def register_steps() -> list[Step]:
    """The journey steps of every case a register record plays a role in, in order, as plain
    rows (see :data:`Step`)."""
    cases = ActorRole.objects.filter(actor__register_link__isnull=False).values("case_id")
    rows = (
        TraffickingEvent.objects.filter(case_id__in=cases)
        .order_by("case_id", "seq", "pk")
        .values_list("case_id", "country", "state", "city", "transport", "crossing")
    )
    return list(rows)
