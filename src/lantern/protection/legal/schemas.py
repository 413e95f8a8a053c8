"""The legal track's API bodies and answers: proceedings and their event log."""

from __future__ import annotations

import datetime as dt

from lantern.edges.bounds import Codes
from lantern.edges.schemas import In
from lantern.protection.api_common import Withheld


class LegalIn(In):
    kind: str
    lawyer_name: str = ""
    accompaniment: str = ""
    testimony_measures: Codes = []
    non_punishment_invoked: bool = False
    notes: str = ""


class LegalUpdateIn(In):
    status: str | None = None
    lawyer_name: str | None = None
    accompaniment: str | None = None
    testimony_measures: Codes | None = None
    non_punishment_invoked: bool | None = None
    child_detained_or_charged: bool | None = None
    add_hearing: bool = False
    add_interview: bool = False


class ProceedingEventIn(In):
    kind: str
    held_on: dt.date
    held_at: dt.time | None = None
    place: str = ""
    accompanied: bool
    accompanied_by: str = ""
    testimony_measures: Codes = []
    outcome: str = ""


class EventOut(Withheld):
    """A hearing, interview or other step; who accompanied the child for readers of
    identities, the outcome for the highly sensitive tier."""

    id: int
    kind: str
    held_on: str
    held_at: str | None
    place: str
    accompanied: bool | None
    accompanied_by: str | None
    testimony_measures: list[str]
    outcome: str | None
    recorded_at: str


class ProceedingOut(Withheld):
    id: int
    kind: str
    status: str
    lawyer_name: str | None
    accompaniment: str | None
    testimony_measures: list[str]
    non_punishment_invoked: bool
    child_detained_or_charged: bool
    hearings: int
    interviews: int
    interview_limit: int
    interviews_over_limit: bool
    unaccompanied_events: int
    events: list[EventOut]


class LoggedEventOut(EventOut):
    """The event logged, and its proceeding's counts (the ETH-10 repeated-interview flag)."""

    proceeding: ProceedingOut
