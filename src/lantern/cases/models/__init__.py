"""The case and the person, and what hangs off the case itself (DESIGN.md section 3).

The protection workflow's records live in their domain packages (``lantern.protection.*``),
the directory in ``lantern.directory``; they keep their tables in this app (``app_label``).
"""

from lantern.cases.importjobs.models import ImportJob, ImportStatus
from lantern.cases.models.assignment import CaseAssignment
from lantern.cases.models.case import (
    Actor,
    ActorRole,
    Case,
    Consent,
    EventType,
    Exploitation,
    HtcdsStatus,
    Level,
    LifecycleState,
    Person,
    TraffickingEvent,
    TraffickingStatus,
)
from lantern.cases.models.closure import ClosureRequest, ClosureStatus
from lantern.cases.models.fieldsubmission import FieldSubmission
from lantern.cases.models.screening import IndicatorObservation, ScreeningResult, Trafficking
from lantern.cases.models.transition import CaseTransition

__all__ = [
    "Actor",
    "ActorRole",
    "Case",
    "CaseAssignment",
    "CaseTransition",
    "ClosureRequest",
    "ClosureStatus",
    "Consent",
    "EventType",
    "Exploitation",
    "FieldSubmission",
    "HtcdsStatus",
    "ImportJob",
    "ImportStatus",
    "IndicatorObservation",
    "Level",
    "LifecycleState",
    "Person",
    "ScreeningResult",
    "Trafficking",
    "TraffickingEvent",
    "TraffickingStatus",
]
