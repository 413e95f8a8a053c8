"""The directory API's bodies and answers (``lantern.directory.fields`` checks the values)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from lantern.edges.bounds import LIST_MAX, Age, Capacity, Code, Codes, Id, Name, Text
from lantern.edges.schemas import In, Out


class ReachIn(In):
    areas: Codes = []
    age_min: Age | None = None
    age_max: Age | None = None
    sexes: Codes = []
    forms: Codes = []
    capacity: Capacity | None = None
    referral_criteria: Text = ""


class OrganisationIn(ReachIn):
    name: Name
    type: Code
    country: Code = ""
    services: Codes = []
    contact: Name = ""
    email: Name = ""
    phone: Name = ""
    description: Text = ""
    language: Code = "en"
    agency: Id | None = None  # a coordinator's entry for another agency (else one's own)


class OrganisationPatch(ReachIn):
    """The fields to change (those absent stay as they are)."""

    name: Name = ""
    type: Code = ""
    country: Code = ""
    services: Codes = []
    contact: Name = ""
    email: Name = ""
    phone: Name = ""
    description: Text = ""
    language: Code = "en"


class ServiceIn(ReachIn):
    name: Name = ""
    support_type: Code = ""
    description: Text = ""
    contact: Name = ""
    language: Code = "en"


class ProjectIn(In):
    title: Name = ""
    description: Text = ""
    funders: Annotated[list[Name], Field(max_length=LIST_MAX)] = []
    budget: str | None = None  # a decimal amount, as text ("25000.50")
    currency: Code = ""
    areas: Codes = []
    start: dt.date | None = None
    end: dt.date | None = None
    language: Code = "en"


class LessonIn(In):
    title: Name = ""
    tried: Text = ""
    result: Code = ""
    text: Text = ""
    project: Id | None = None
    language: Code = "en"


class ReviewIn(In):
    """Which entry of the organisation: the organisation itself (no kind), or one of its
    services, projects or lessons by id."""

    kind: Code = "organisation"
    id: Id | None = None


class EntryOut(Out):
    """Any directory entry: its kind, id, organisation, title, status and its fields."""

    kind: str
    id: int
    organisation: int
    organisation_name: str
    title: str
    status: str
    language: str
    submitted_at: str | None
    approved_at: str | None
    fields: dict[str, object]


class OrganisationOut(EntryOut):
    entries: list[EntryOut] = []


class CoverageOut(Out):
    area: str
    country: str
    province: str
    children: int
    services: int
    service_names: list[str]
    campaigns: int
    campaign_names: list[str]
    committees: int
    committee_names: list[str]
    unplaced: bool  # the province is unknown or names no province of the vocabulary
