"""The safety API's bodies and answers: risk assessments, safe places, placements."""

from __future__ import annotations

import datetime as dt

from lantern.edges.bounds import Capacity, Code, Codes, Id, Name, Text
from lantern.edges.schemas import In, Out
from lantern.protection.api_common import Withheld


class RiskIn(In):
    immediate_needs: Codes = []
    risk_to_child: str
    risk_to_family: str
    risk_to_helpers: str
    family_involved: bool | None = None
    notes: str = ""


class RiskOut(Withheld):
    id: int
    immediate_needs: list[str]
    risk_to_child: str
    risk_to_family: str
    risk_to_helpers: str
    family_involved: bool | None
    level: str
    notes: str | None
    assessed_at: str | None


class SafePlaceIn(In):
    name: Name
    kind: Code
    address: Text
    capacity: Capacity | None = None


class PlaceOut(Out):
    """A safe place; its address only on a need to know (``address_withheld`` otherwise)."""

    id: int
    name: str
    kind: str
    agency: str
    capacity: int | None
    address: str | None
    address_withheld: bool


class PlacementIn(In):
    place: Id
    start: dt.date | None = None


class PlacedOut(Out):
    id: int
    place: int
    start: str | None


class PlacementOut(Out):
    id: int
    start: str
    end: str | None
    place: PlaceOut
