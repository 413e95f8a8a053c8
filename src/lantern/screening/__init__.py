"""Screening: Palermo art. 3 and the ILO/EC operational indicators, every decision explained.

Pure Python (no Django, no database). Start with `parse_input` (JSON-like dict) or build a
`ScreeningInput`, then call `screen`; `rescreen` follows a case over time; `checklist` lists the
indicators a caseworker asks about.
"""

from lantern.screening.catalogue import Catalogue, Indicator, load_catalogue
from lantern.screening.checklist import ChecklistItem, checklist
from lantern.screening.history import ScreeningHistory, ScreeningRecord, StatusChange, rescreen
from lantern.screening.inputs import (
    AgeEvidence,
    ScreeningInput,
    ScreeningInputError,
    parse_input,
)
from lantern.screening.reasons import Reason, Recommendation
from lantern.screening.result import Elements, ScreeningResult
from lantern.screening.rules import screen
from lantern.screening.vocabulary import ACTS, MEANS, PURPOSES, RULESET_VERSION

__all__ = [
    "ACTS",
    "MEANS",
    "PURPOSES",
    "RULESET_VERSION",
    "AgeEvidence",
    "Catalogue",
    "ChecklistItem",
    "Elements",
    "Indicator",
    "Reason",
    "Recommendation",
    "ScreeningHistory",
    "ScreeningInput",
    "ScreeningInputError",
    "ScreeningRecord",
    "ScreeningResult",
    "StatusChange",
    "checklist",
    "load_catalogue",
    "parse_input",
    "rescreen",
    "screen",
]
