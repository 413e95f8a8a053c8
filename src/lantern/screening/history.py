"""Re-screening over time: a case's status can change, and each change is kept with its date.

A smuggled child who is later exploited becomes a trafficking case (DEF-15); a placement can
turn exploitative (DEF-24). Earlier results are never rewritten, only followed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from lantern.screening.catalogue import Catalogue
from lantern.screening.inputs import ScreeningInput
from lantern.screening.result import ScreeningResult, Status
from lantern.screening.rules import screen


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    """A result as it stood at one moment."""

    at: datetime
    result: ScreeningResult


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A change of status between two screenings, dated by the later one."""

    at: datetime
    from_status: Status
    to_status: Status

    @property
    def code(self) -> str:
        return f"{self.from_status}_to_{self.to_status}"


@dataclass(frozen=True, slots=True)
class ScreeningHistory:
    """All screenings of one case in time order, and the status changes between them."""

    records: tuple[ScreeningRecord, ...]
    changes: tuple[StatusChange, ...]

    @property
    def current(self) -> ScreeningResult:
        return self.records[-1].result

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": self.current.to_dict(),
            "records": [{"at": r.at.isoformat(), "status": r.result.status} for r in self.records],
            "changes": [
                {"at": c.at.isoformat(), "from": c.from_status, "to": c.to_status, "code": c.code}
                for c in self.changes
            ],
        }


def rescreen(
    history: Sequence[ScreeningRecord],
    new_input: ScreeningInput,
    at: datetime,
    catalogue: Catalogue | None = None,
) -> ScreeningHistory:
    """Screen the new facts at `at` and return the history with every status change dated."""
    if history and at < history[-1].at:
        raise ValueError("at: a re-screening cannot be dated before the last screening")
    records = (*history, ScreeningRecord(at, screen(new_input, catalogue)))
    changes = tuple(
        StatusChange(later.at, earlier.result.status, later.result.status)
        for earlier, later in pairwise(records)
        if earlier.result.status != later.result.status
    )
    return ScreeningHistory(records, changes)
