"""Where children come from and who serves there: the gaps in the directory's coverage.

For each area of origin (the child's home country and province), the children identified
there (distinct people among the cases ``user`` may list) beside the approved services that
cover it (their own areas, else their organisation's; a country covers its provinces). An area
with many children and no service is a gap. Counts only, never a child's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.directory.models import EntryStatus
from lantern.directory.service import listed, reach_of
from lantern.errors import NotAllowed


@dataclass(frozen=True)
class AreaRow:
    """One area of origin: ``NPL/Bagmati``, or ``NPL`` when the province is unknown."""

    area: str
    country: str
    province: str
    children: int
    services: int
    service_names: tuple[str, ...]

    @property
    def gap(self) -> bool:
        return self.services == 0


def coverage(user: Any) -> list[AreaRow]:
    """Areas of origin by children identified, most first, with the services covering each."""
    if not policy.allows(user, "directory", "coverage"):
        raise NotAllowed(_("the coverage map is for coordinators"))
    origins = (
        policy.scoped(user, "case", "list")
        .exclude(person__home_country="")
        .values("person__home_country", "person__home_state")
        .annotate(n=Count("person", distinct=True))
    )
    services = [
        (s, reach_of(s).areas)
        for s in listed(user, "service")
        .filter(status=EntryStatus.APPROVED, organisation__status=EntryStatus.APPROVED)
        .select_related("organisation")
    ]
    counts: dict[tuple[str, str], int] = {}
    for o in origins:
        key = (o["person__home_country"].upper(), " ".join(o["person__home_state"].split()))
        counts[key] = counts.get(key, 0) + o["n"]
    rows = []
    for (country, province), n in counts.items():
        area = f"{country}/{province}" if province else country
        serving = [s for s, areas in services if _covers_origin(areas, area)]
        names = tuple(sorted({f"{s.organisation.name}: {s.name}" for s in serving}))
        rows.append(AreaRow(area, country, province, n, len(serving), names))
    return sorted(rows, key=lambda r: (r.services > 0, -r.children, r.area))


def _covers_origin(areas: list[str], area: str) -> bool:
    """A service with no area named serves none in particular, so it closes no gap; one that
    names the country covers every province of it; a province covers only itself."""
    folded = {a.casefold() for a in areas}
    return area.casefold() in folded or area.split("/", 1)[0].casefold() in folded
