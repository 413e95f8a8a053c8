"""Where children come from and who works there: the gaps in the response's coverage.

For each area of origin (the child's home country and province, read into the one area
vocabulary, ``lantern.taxonomy.areas``), the children identified there (distinct people among
the cases ``user`` may list) beside the approved services that cover it (their own areas, else
their organisation's) and the prevention work in it: campaigns and vigilance committees, which
the national response keeps above the directory and lends through the setting
``LANTERN_COVERAGE_ACTIVITIES`` (a country covers its provinces). An area with children and no
service is a gap; one with no campaign and no committee is a prevention gap. Counts only,
never a child's record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.directory.models import EntryStatus
from lantern.directory.service import listed, reach_of
from lantern.errors import NotAllowed
from lantern.taxonomy import UnknownCode
from lantern.taxonomy import areas as vocabulary

CAMPAIGN, COMMITTEE = "campaign", "committee"


@dataclass(frozen=True)
class Activity:
    """Prevention work in an area: a campaign or a committee, by its public name."""

    kind: str  # campaign or committee
    area: str  # an area code; blank when its record names none yet
    name: str
    detail: str = ""  # the area as its record writes it (villages, a route)


@dataclass(frozen=True)
class AreaRow:
    """One area of origin: ``NPL/Bagmati``, or ``NPL`` when the province is unknown or names
    no province of the vocabulary (``unplaced``)."""

    area: str
    country: str
    province: str
    children: int
    services: int
    service_names: tuple[str, ...]
    campaigns: int = 0
    campaign_names: tuple[str, ...] = ()
    committees: int = 0
    committee_names: tuple[str, ...] = ()
    unplaced: bool = False

    @property
    def gap(self) -> bool:
        return self.services == 0

    @property
    def prevention_gap(self) -> bool:
        return self.campaigns == 0 and self.committees == 0


def _activities(user: Any) -> list[Activity]:
    """The prevention work ``user`` may see, from the provider the setting names (none if
    it names none)."""
    target = getattr(settings, "LANTERN_COVERAGE_ACTIVITIES", "")
    if not target:
        return []
    provider: Callable[[Any], Iterable[Activity]] = import_string(target)
    return list(provider(user))


def origin_area(country: str, province: str) -> tuple[str, str, bool]:
    """(area code, province name, unplaced) of a child's home country and province text (a
    district's name places the child in its province)."""
    country = (country or "").strip().upper()
    try:
        whole = vocabulary.whole(country)
    except UnknownCode:
        return country, "", True
    # a province as agencies write it: its name, its ISO code, or a district within it
    found = vocabulary.match(province, (whole.country,)) if province.strip() else None
    if found is None or not found.province or found.country != whole.country:
        return whole.code, "", True
    return found.code, found.province, False


def coverage(user: Any) -> list[AreaRow]:
    """Areas of origin by children identified: gaps first (no service), then by children."""
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
    work = [a for a in _activities(user) if a.area]
    counts: dict[tuple[str, str, bool], int] = {}
    for o in origins:
        key = origin_area(o["person__home_country"], o["person__home_state"])
        counts[key] = counts.get(key, 0) + o["n"]
    rows = []
    for (area, province, unplaced), n in counts.items():
        serving = [s for s, areas in services if _covers_origin(areas, area)]
        names = tuple(sorted({f"{s.organisation.name}: {s.name}" for s in serving}))
        here = [a for a in work if vocabulary.covers([a.area], area)]
        campaigns = sorted({a.name for a in here if a.kind == CAMPAIGN})
        committees = sorted({a.name for a in here if a.kind == COMMITTEE})
        rows.append(
            AreaRow(
                area,
                area.split("/", 1)[0],
                province,
                n,
                len(serving),
                names,
                campaigns=len(campaigns),
                campaign_names=tuple(campaigns),
                committees=len(committees),
                committee_names=tuple(committees),
                unplaced=unplaced,
            )
        )
    return sorted(rows, key=lambda r: (r.services > 0, -r.children, r.area, r.unplaced))


def unplaced_activities(user: Any) -> list[Activity]:
    """Campaigns and committees whose record names no area of the vocabulary yet: text an
    earlier version kept, for a coordinator to place."""
    return [a for a in _activities(user) if not a.area]


def _covers_origin(areas: list[str], area: str) -> bool:
    """A service with no area named serves none in particular, so it closes no gap; one that
    names the country covers every province of it; a province covers only itself."""
    return vocabulary.covers(areas, area)
