"""The story's records as readers and the history see them: plain values, dates as ISO text.

``values`` is what the history keeps of a record (before and after); the views are what the
page and the API show (``lantern.edges.schemas.out_of`` builds the answers from them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lantern.cases.models import ActorRole, Case, Exploitation, TraffickingEvent

EVENT_FIELDS = ("type", "date", "country", "state", "city", "transport", "crossing")
EPISODE_FIELDS = ("form", "isic_section", "start", "end", "country")
ACTOR_FIELDS = ("ref", "network_ref", "role", "relationship")
CASE_FIELDS = (
    "vulnerabilities",
    "method_of_recruitment",
    "methods_of_control",
    "forms_of_exploitation",
    "acts",
)
LIST_FIELDS = frozenset({"vulnerabilities", "methods_of_control", "forms_of_exploitation", "acts"})


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def event_values(e: TraffickingEvent) -> dict[str, Any]:
    return {f: _iso(getattr(e, f)) for f in EVENT_FIELDS}


def episode_values(x: Exploitation) -> dict[str, Any]:
    return {f: _iso(getattr(x, f)) for f in EPISODE_FIELDS}


def actor_values(r: ActorRole) -> dict[str, Any]:
    return {
        "ref": r.actor.ref,
        "network_ref": r.actor.network_ref,
        "role": r.role,
        "relationship": r.relationship,
    }


def case_values(case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {f: getattr(case, f) for f in CASE_FIELDS}
    values = {k: list(v or []) if k in LIST_FIELDS else v for k, v in values.items()}
    values["primary_form"] = case.primary_form
    return values


@dataclass(frozen=True)
class EventView:
    """A step of the journey: recruitment, transit or exploitation, where and how."""

    id: int
    seq: int
    type: str
    date: str | None
    country: str
    state: str
    city: str
    transport: str
    crossing: str


@dataclass(frozen=True)
class EpisodeView:
    """An exploitation episode: its form, sector, period and country."""

    id: int
    seq: int
    form: str
    isic_section: str
    start: str | None
    end: str | None
    country: str


@dataclass(frozen=True)
class ActorView:
    """A suspected trafficker's part in this case (``id`` is the role's); ``ref`` is the
    agency's reference for the person, never a name, shared by the agency's cases."""

    id: int
    ref: str
    network_ref: str
    role: str
    relationship: str


@dataclass(frozen=True)
class CircumstancesView:
    """The case-level facts of the story (taxonomy codes)."""

    vulnerabilities: list[str]
    method_of_recruitment: str
    methods_of_control: list[str]
    forms_of_exploitation: list[str]
    primary_form: str
    acts: list[str]


@dataclass(frozen=True)
class StoryView:
    case_id: int
    reference: str
    circumstances: CircumstancesView
    events: list[EventView] = field(default_factory=list)
    episodes: list[EpisodeView] = field(default_factory=list)
    actors: list[ActorView] = field(default_factory=list)


def event_view(e: TraffickingEvent) -> EventView:
    return EventView(id=e.pk, seq=e.seq, **event_values(e))


def episode_view(x: Exploitation) -> EpisodeView:
    return EpisodeView(id=x.pk, seq=x.seq, **episode_values(x))


def actor_view(r: ActorRole) -> ActorView:
    return ActorView(id=r.pk, **actor_values(r))


def circumstances_view(case: Case) -> CircumstancesView:
    return CircumstancesView(**case_values(case))


def story_view(case: Case) -> StoryView:
    return StoryView(
        case_id=case.pk,
        reference=case.reference,
        circumstances=circumstances_view(case),
        events=[event_view(e) for e in case.events.order_by("seq", "pk")],
        episodes=[episode_view(x) for x in case.exploitations.order_by("seq", "pk")],
        actors=[actor_view(r) for r in case.actor_roles.select_related("actor").order_by("pk")],
    )


@dataclass(frozen=True)
class Saved:
    """What a change did: the history row it wrote (None when nothing changed)."""

    change_id: int | None


@dataclass(frozen=True)
class Removed:
    """A record removed from the story, and the history row that keeps what it held."""

    removed: int
    change_id: int
