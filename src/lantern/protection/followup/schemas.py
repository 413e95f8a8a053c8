"""The follow-up API's bodies and answers: the baseline, visits, and the before/after."""

from __future__ import annotations

import datetime as dt

from lantern.edges.schemas import In, Out
from lantern.protection.api_common import Withheld


class BaselineIn(In):
    wellbeing: dict[str, int]
    notes: str = ""


class ScheduleIn(In):
    scheduled_for: dt.date


class VisitIn(In):
    wellbeing: dict[str, int]
    retrafficking_risk: str
    notes: str = ""


class VisitOut(Withheld):
    id: int
    kind: str
    scheduled_for: str | None
    done_at: str | None
    wellbeing: dict[str, int]
    retrafficking_risk: str
    notes: str | None


class WellbeingOut(Out):
    """The baseline against the latest visit; the change only once both exist."""

    baseline: dict[str, int] | None
    latest: dict[str, int] | None
    change: dict[str, int] | None
    total_change: int | None = None
    visits: int | None = None
    method: str | None = None
