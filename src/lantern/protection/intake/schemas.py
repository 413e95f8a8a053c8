"""The intake API's answers (the bodies are built from ``intake.declaration``)."""

from __future__ import annotations

from lantern.edges.schemas import ErrorOut, Out


class MatchOut(Out):
    """An existing record that may be the child, and why it matched (``intake.Match``)."""

    case_id: int
    reference: str
    agency: str
    registration_date: str
    state: str
    basis: str
    given_name: str = ""
    family_name: str = ""
    birthdate: str = ""


class DuplicatesOut(ErrorOut):
    """409: review these records, then repeat with ``confirm_new`` to open a new case."""

    matches: list[MatchOut]


class ReporterOut(Out):
    name: str
    contact: str


class IntakeOut(Out):
    """The case's intake facts; only ``channel`` and ``recorded`` when none were recorded."""

    channel: str
    recorded: bool
    place: str | None = None
    concerns: list[str] | None = None
    severity: str | None = None
    expected_contact: str | None = None
    met_by_expected_contact: bool | None = None
    return_passage_offered: bool | None = None
    return_passage_provider: str | None = None
    rescuing_unit: str | None = None
    handed_over_to: str | None = None
    referring_organisation: str | None = None
    referral_reason: str | None = None
    rights_information_given: bool | None = None
    reporter: ReporterOut | None = None
    notes: str | None = None
    withheld: list[str] | None = None
