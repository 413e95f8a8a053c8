"""The story's API bodies and answers. Answers are built from the service's records
(``lantern.edges.schemas.out_of``); a change answers with the history row it wrote."""

from __future__ import annotations

import datetime as dt

from lantern.edges.bounds import Code, Codes, Name, Text
from lantern.edges.schemas import In, Out, out_of
from lantern.protection.story.history import Change
from lantern.protection.story.records import (
    ActorView,
    CircumstancesView,
    EpisodeView,
    EventView,
    Removed,
)

EventOut = out_of(EventView, "StoryEventOut")
EpisodeOut = out_of(EpisodeView, "StoryEpisodeOut")
ActorOut = out_of(ActorView, "StoryActorOut")
CircumstancesOut = out_of(CircumstancesView, "CircumstancesOut")
ChangeOut = out_of(Change, "CaseChangeOut")
RemovedOut = out_of(Removed, "StoryRemovedOut")


class StoryOut(Out):
    case_id: int
    reference: str
    circumstances: CircumstancesOut  # type: ignore[valid-type]
    events: list[EventOut]  # type: ignore[valid-type]
    episodes: list[EpisodeOut]  # type: ignore[valid-type]
    actors: list[ActorOut]  # type: ignore[valid-type]


class EventSavedOut(Out):
    """The journey step as saved, and the history row kept (none when nothing changed)."""

    event: EventOut  # type: ignore[valid-type]
    change_id: int | None


class EpisodeSavedOut(Out):
    episode: EpisodeOut  # type: ignore[valid-type]
    change_id: int | None


class ActorSavedOut(Out):
    actor: ActorOut  # type: ignore[valid-type]
    change_id: int | None


class CircumstancesSavedOut(Out):
    circumstances: CircumstancesOut  # type: ignore[valid-type]
    change_id: int | None


class _Why(In):
    reason: Text = ""  # required to change or remove what was recorded


class EventIn(_Why):
    """A step of the journey; codes from the taxonomy (event_types, countries, transport_modes);
    ``crossing`` legal, illegal or blank."""

    type: Code
    date: dt.date | None = None
    country: Code = ""
    state: Name = ""
    city: Name = ""
    transport: Code = ""
    crossing: Code = ""


class EventPatch(_Why):
    """Only the fields sent change; null or "" clears one."""

    type: Code | None = None
    date: dt.date | None = None
    country: Code | None = None
    state: Name | None = None
    city: Name | None = None
    transport: Code | None = None
    crossing: Code | None = None


class EpisodeIn(_Why):
    form: Code
    isic_section: Code = ""
    start: dt.date | None = None
    end: dt.date | None = None
    country: Code = ""


class EpisodePatch(_Why):
    form: Code | None = None
    isic_section: Code | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    country: Code | None = None


class ActorIn(_Why):
    """``ref``: an existing reference links that person; blank gives a new one. Never a name."""

    role: Code
    relationship: Code = ""
    ref: Name = ""
    network_ref: Name = ""


class ActorPatch(_Why):
    role: Code | None = None
    relationship: Code | None = None
    network_ref: Name | None = None


class CircumstancesPatch(_Why):
    vulnerabilities: Codes | None = None
    method_of_recruitment: Code | None = None
    methods_of_control: Codes | None = None
    forms_of_exploitation: Codes | None = None
    acts: Codes | None = None


class RemoveIn(In):
    reason: Text
