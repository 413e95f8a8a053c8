"""The thin adapter between the register and the pure network core (``lantern.networks``):
the register's roles and the cases' journeys in, the core's :class:`Link` and :class:`Journey`
tuples out. Ids only ("p12" a register record, "c5" a case, "NPL:Sindhupalchok" a place), so
the core never sees a name and the pages map ids back to what the reader may see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from lantern.cases.models import ActorRole, TraffickingEvent
from lantern.networks import Journey, Link


def person_id(pk: int) -> str:
    return f"p{pk}"


def case_id(pk: int) -> str:
    return f"c{pk}"


def place_key(event: TraffickingEvent) -> str:
    """A place as the journeys name it: country code and the finest place recorded."""
    return f"{event.country}:{event.city or event.state or ''}"


def _crosses(steps: list[TraffickingEvent]) -> bool:
    return len({e.country for e in steps if e.country}) > 1 or any(e.crossing for e in steps)


def journeys(events: Iterable[TraffickingEvent]) -> list[Journey]:
    """Each case's journey from its steps in order: origin, transit points, destination, the
    transport used and whether a border was crossed."""
    by_case: dict[int, list[TraffickingEvent]] = defaultdict(list)
    for e in sorted(events, key=lambda e: (e.case_id, e.seq)):
        by_case[e.case_id].append(e)
    found = []
    for case, steps in by_case.items():
        stops: list[str] = []
        for e in steps:
            key = place_key(e)
            if e.country and (not stops or stops[-1] != key):
                stops.append(key)
        found.append(
            Journey(
                case_id(case),
                origin=stops[0] if stops else "",
                destination=stops[-1] if len(stops) > 1 else "",
                transit=tuple(stops[1:-1]),
                transport=tuple(sorted({e.transport for e in steps if e.transport})),
                border_crossing=_crosses(steps),
            )
        )
    return found


def links(roles: Iterable[ActorRole], crossing: set[str]) -> list[Link]:
    """One link per role a register record plays in a case; its evidence is the role's id.

    ``roles`` need ``actor__register_link``; ``crossing`` holds the core ids of the cases
    whose journey crosses a border."""
    found = []
    for r in roles:
        case = case_id(r.case_id)
        found.append(
            Link(
                person_id(r.actor.register_link.perpetrator_id),
                case,
                role=r.role,
                border_crossing=case in crossing,
                evidence=f"role:{r.pk}",
            )
        )
    return found
