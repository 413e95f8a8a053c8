"""The referral API's bodies and answers, and the directory it refers to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.edges.bounds import Codes, Id
from lantern.edges.schemas import In, Out
from lantern.protection.api_common import Withheld


class OrganisationOut(Out):
    id: int
    name: str
    type: str
    country: str
    services: list[str]


class ReferralIn(In):
    organisation: Id | None = None  # or a directory service (its organisation receives it)
    service: Id | None = None
    services: Codes
    fields_shared: Codes = []
    consent_basis: str
    due_date: dt.date
    override_reason: str = ""


class AnswerIn(In):
    reason: str = ""


class CompleteIn(In):
    note: str


class ReferralOut(Withheld):
    """A referral's workflow facts (no child data)."""

    id: int
    case: int
    organisation: str
    service: str | None = None
    services: list[str]
    fields_shared: list[str]
    consent_basis: str
    override_reason: str | None
    status: str
    requested_at: str
    due_date: str
    overdue: bool
    response_reason: str | None
    completion_note: str | None


class PacketOut(Out):
    """What the receiving organisation sees: the request and only the fields shared."""

    referral: int
    case_reference: str
    organisation: str
    services: list[str]
    due_date: str
    status: str
    consent_basis: str
    child: dict[str, Any]  # the fields shared, by name (referrals.service.SHAREABLE)
