"""The intake API's bodies (one per channel) and answers."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from lantern.protection.intake import service as intake
from lantern.schemas import In, Out
from lantern.web.bounds import Age, Codes, Id


class ChildIn(In):
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    birthdate: dt.date | None = None
    age: Age | None = None
    age_evidence: str = ""
    gender: str = ""
    citizenship: Codes = []
    identity_number: str = ""
    primary_language: str = ""
    home_country: str = ""

    def child(self) -> intake.Child:
        data = self.model_dump()
        data["citizenship"] = tuple(data["citizenship"])
        return intake.Child(**data)


class IntakeBase(In):
    child: ChildIn = Field(default_factory=ChildIn)
    confirm_new: bool = False


class HotlineIn(IntakeBase):
    concerns: Codes
    severity: str
    place: str = ""
    notes: str = ""


class TransitIn(IntakeBase):
    place: str
    expected_contact: str = ""
    met_by_expected_contact: bool
    return_passage_offered: bool | None = None
    return_passage_provider: str = ""
    rights_information_given: bool | None = None


class RescueIn(IntakeBase):
    rescuing_unit: str
    handed_over_to: Id
    place: str = ""


class ReferralIntakeIn(IntakeBase):
    referring_organisation: str
    referral_reason: str


class SelfReferralIn(IntakeBase):
    place: str = ""
    notes: str = ""


class CommunityReportIn(IntakeBase):
    place: str
    concerns: Codes
    severity: str
    reporter_name: str = ""
    reporter_contact: str = ""


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


class DuplicatesOut(Out):
    """409: review these records, then repeat with ``confirm_new`` to open a new case."""

    detail: str
    field: str = ""
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
