"""The care-plan API's body and answer."""

from __future__ import annotations

import datetime as dt

from lantern.edges.bounds import Codes, Id
from lantern.edges.schemas import In
from lantern.protection.api_common import Withheld


class CarePlanIn(In):
    needs: Codes
    goals: str
    child_views: str = ""
    responsible: Id | None = None
    due_dates: dict[str, dt.date] = {}
    review_due: dt.date | None = None


class PlanOut(Withheld):
    """A care plan's version; goals and the child's views for the highly sensitive tier."""

    id: int
    case: int
    version: int
    status: str
    needs: list[str]
    due_dates: dict[str, dt.date]
    goals: str | None
    child_views: str | None
    responsible: str | None
    review_due: str | None
    created_by: str | None
    approved_by: str | None
    approved_at: str | None
