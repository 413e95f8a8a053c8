"""Corridors: the routes a network moves children along, with their victims and transport.

A corridor is an (origin, transit points, destination) sequence taken by at least one case a
network touches; its victims are the distinct cases, its transport the means recorded on
those journeys. The table feeds the monitoring map (counts, never names).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lantern.networks.graph import Journey


@dataclass(frozen=True, slots=True)
class Corridor:
    """One route of one network."""

    network: str
    origin: str
    transit: tuple[str, ...]
    destination: str
    victims: int
    cases: tuple[str, ...]
    transport: tuple[str, ...]
    border_crossing: bool

    def as_row(self) -> dict[str, object]:
        """A flat row for tables and the map (places joined by an arrow)."""
        return {
            "network": self.network,
            "origin": self.origin,
            "transit": " → ".join(self.transit),
            "destination": self.destination,
            "victims": self.victims,
            "transport": ", ".join(self.transport),
            "border_crossing": self.border_crossing,
        }


def corridors(
    cases_of_network: Mapping[str, Iterable[str]], journeys: Iterable[Journey]
) -> tuple[Corridor, ...]:
    """Each network's corridors, most victims first (ties by route, for stable output)."""
    journey_of = {j.case: j for j in journeys}
    found: list[Corridor] = []
    for network, cases in cases_of_network.items():
        routes: dict[tuple[str, tuple[str, ...], str], list[Journey]] = defaultdict(list)
        for case in sorted(set(cases)):
            j = journey_of.get(case)
            if j is not None and (j.origin or j.destination):
                routes[(j.origin, j.transit, j.destination)].append(j)
        for (origin, transit, destination), taken in routes.items():
            found.append(
                Corridor(
                    network=network,
                    origin=origin,
                    transit=transit,
                    destination=destination,
                    victims=len(taken),
                    cases=tuple(j.case for j in taken),
                    transport=tuple(sorted({t for j in taken for t in j.transport if t})),
                    border_crossing=any(j.border_crossing for j in taken),
                )
            )
    return tuple(
        sorted(found, key=lambda c: (-c.victims, c.network, c.origin, c.transit, c.destination))
    )
