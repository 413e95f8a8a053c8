"""The community API's bodies and answers: the register, committees and their reports,
campaigns, education and inspections. Dates travel as ISO 8601 text."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from lantern.edges.bounds import LIST_MAX, Age, BoundedInt, Code, Codes, Id, Name, Text
from lantern.edges.schemas import In, Out

# --- the at-risk register ---


class AtRiskIn(In):
    given_name: Name = ""
    family_name: Name = ""
    community: Name = ""
    district: Name = ""
    age: Age | None = None
    gender: Code = ""
    risk_factors: Codes = []
    services: Codes = []
    notes: Text = ""
    consent_by: Code = ""  # child, guardian or both: without it the register refuses the child
    consent_on: dt.date | None = None


class AtRiskRowOut(Out):
    id: int
    given_name: str | None
    family_name: str | None
    district: str
    age: int | None
    gender: str
    risk_factors: list[str]
    services: list[str]
    consent_by: str
    consent_on: str
    referred_at: str


class AtRiskListOut(Out):
    children: list[AtRiskRowOut]


class PreventionVisitOut(Out):
    id: int
    visited_on: str
    outcome: str
    notes: str | None


class AtRiskOut(AtRiskRowOut):
    community: str | None
    notes: str | None
    visits: list[PreventionVisitOut]


class PreventionVisitIn(In):
    visited_on: dt.date
    outcome: Code
    notes: Text = ""


class WithdrawnOut(Out):
    erased: bool


# --- committees ---


class CommitteeIn(In):
    name: Name
    kind: Code
    area_code: Code  # lantern.taxonomy.areas: NPL or NPL/Bagmati
    area: Name = ""  # villages, district or route, in words
    facilitators: Annotated[list[Id], Field(max_length=LIST_MAX)] = []


class MemberOut(Out):
    id: int
    name: str | None
    contact: str | None
    role: str
    joined_on: str


class CommitteeOut(Out):
    id: int
    name: str
    kind: str
    area_code: str  # blank: recorded before areas were chosen from the list; area says where
    area: str
    facilitators: list[str]
    members: list[MemberOut]


class CommitteeListOut(Out):
    committees: list[CommitteeOut]


class MemberIn(In):
    name: Name
    contact: Name = ""
    role: Code = "member"
    joined_on: dt.date


class ReportIn(In):
    seen: Text
    seen_on: dt.date
    place: Name
    severity: Code
    concerns: Codes
    child_name: Name = ""
    child_age: Age | None = None
    child_gender: Code = ""


class ReportOut(Out):
    """A report as the group sees it: what became of it, no case and no name."""

    id: int
    seen_on: str
    recorded_at: str
    place: str
    severity: str
    concerns: list[str]
    child_age: int | None
    child_gender: str
    status: str
    urgency: str


class ReportListOut(Out):
    reports: list[ReportOut]


# --- campaigns ---


class CampaignIn(In):
    title: Name
    audiences: Codes
    area_code: Code  # lantern.taxonomy.areas: NPL or NPL/Bagmati
    area: Name = ""  # villages, district or route, in words
    materials: Codes
    starts_on: dt.date
    ends_on: dt.date | None = None
    reach: BoundedInt | None = None


class CampaignOut(Out):
    id: int
    agency: str
    title: str
    audiences: list[str]
    area_code: str  # blank: recorded before areas were chosen from the list; area says where
    area: str
    materials: list[str]
    starts_on: str
    ends_on: str | None
    reach: int | None


class SameAreaOut(CampaignOut):
    overlaps: bool


class CampaignDetailOut(CampaignOut):
    same_area: list[SameAreaOut]


class CampaignListOut(Out):
    campaigns: list[CampaignOut]


class ReachIn(In):
    reach: BoundedInt


# --- education ---


class EnrolmentIn(In):
    kind: Code
    institution: Name
    course: Name = ""
    started_on: dt.date


class AttendanceOut(Out):
    month: str
    days_attended: int
    days_open: int


class EnrolmentOut(Out):
    id: int
    kind: str
    institution: str | None
    course: str
    started_on: str
    ended_on: str | None
    completed: bool | None
    attendance: list[AttendanceOut]
    attendance_rate: float | None


class EnrolmentListOut(Out):
    enrolments: list[EnrolmentOut]


class AttendanceIn(In):
    month: dt.date
    days_attended: BoundedInt
    days_open: BoundedInt


class FinishIn(In):
    ended_on: dt.date
    completed: bool


# --- labour inspections ---


class InspectionIn(In):
    visited_on: dt.date
    workplace: Name
    sector: Code
    area_code: Code  # lantern.taxonomy.areas: NPL or NPL/Bagmati
    area: Name = ""  # town or industrial zone, in words
    children_found: BoundedInt
    referrals_made: BoundedInt
    notes: Text = ""


class InspectionOut(Out):
    id: int
    agency: str
    visited_on: str
    workplace: str
    sector: str
    area_code: str  # blank: recorded before areas were chosen from the list; area says where
    area: str
    children_found: int
    referrals_made: int
    notes: str | None


class InspectionListOut(Out):
    visits: int
    children_found: int
    referrals_made: int
    inspections: list[InspectionOut]
