"""How urgent a report is, from the report's own answers, and why: the rule is written here once
and every item keeps the reasons it was given (as screening keeps its reasons).

The reporter's own gravity sets the level (CASE-05: Emergency is immediate danger, Intervene is
high, Report and Monitor are normal). A concern of trafficking or exploitation is at least
high. A child under 15 (below the general minimum age for work, ILO C138 art. 2) is raised one
step when the reporter asked for action, or when met alone: a 13-year-old a bystander says needs
intervention is immediate. An unknown age raises nothing (the child is presumed a minor anyway).
Plain Python: the service and the tests call it with the cleaned answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

IMMEDIATE, HIGH, NORMAL = "immediate", "high", "normal"
ORDER = (IMMEDIATE, HIGH, NORMAL)  # most urgent first; an item's rank is its index here
YOUNG_AGE = 15  # under this age a child's report is raised one step (see the module's doc)

# Each reason's code and how the page words it.
REASONS = {
    "reporter_emergency": _("The reporter said it is an emergency (immediate danger)"),
    "reporter_intervene": _("The reporter asked for intervention"),
    "reporter_report": _("The reporter asked for a report"),
    "reporter_monitor": _("The reporter asked to monitor"),
    "concern_trafficking": _("Suspected trafficking or exploitation"),
    "young_child": _("The child is under 15"),
    "young_child_alone": _("A child under 15 met alone"),
}
_BY_SEVERITY = {
    "emergency": (IMMEDIATE, "reporter_emergency"),
    "intervene": (HIGH, "reporter_intervene"),
    "report": (NORMAL, "reporter_report"),
    "monitor": (NORMAL, "reporter_monitor"),
}
_GRAVE_CONCERNS = frozenset({"suspected_trafficking", "possible_exploitation"})


@dataclass(frozen=True)
class Assessment:
    urgency: str  # one of ORDER
    reasons: tuple[str, ...]  # codes of REASONS, in the order they applied

    @property
    def rank(self) -> int:
        return ORDER.index(self.urgency)


def _raise(level: str) -> str:
    return ORDER[max(ORDER.index(level) - 1, 0)]


def assess(severity: str, concerns: Sequence[str], age: int | None) -> Assessment:
    """The urgency of a report with the reporter's ``severity``, ``concerns`` and the child's
    ``age`` (None when nobody knows it), with the reasons that set it."""
    level, first = _BY_SEVERITY.get(severity, (NORMAL, ""))
    reasons = [first] if first else []
    if _GRAVE_CONCERNS.intersection(concerns) and level == NORMAL:
        level = HIGH
        reasons.append("concern_trafficking")
    young = age is not None and age < YOUNG_AGE
    if young and level == HIGH:
        level = _raise(level)
        reasons.append("young_child")
    elif young and "unaccompanied" in concerns and level == NORMAL:
        level = _raise(level)
        reasons.append("young_child_alone")
    return Assessment(level, tuple(reasons))
