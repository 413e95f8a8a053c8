"""The tracing API's bodies and answers: a relative's request, its candidates, the decision,
and the family assessment."""

from __future__ import annotations

from lantern.edges.bounds import Id, Year
from lantern.edges.schemas import In, Out
from lantern.protection.api_common import Withheld


class TracingIn(In):
    requester_relation: str
    requester_name: str
    requester_contact: str = ""
    sought_given_name: str = ""
    sought_family_name: str = ""
    sought_birth_year: Year | None = None
    sought_home: str = ""


class TracingOut(Out):
    id: int
    status: str


class AgreementOut(Out):
    """Whether each part agrees: ``None`` when either side is unknown."""

    family_name: bool | None
    given_name: bool | None
    birth_year: bool | None


class SoughtOut(Out):
    given_name: str
    family_name: str
    birth_year: int | None
    home: str


class CandidateOut(Out):
    """A consenting child who may be the one sought, side by side with the request."""

    case_id: int
    reference: str
    agreement: AgreementOut
    request: SoughtOut
    child: SoughtOut


class DecideIn(In):
    case_id: Id
    reason: str


class DecidedOut(Out):
    id: int
    status: str
    matched_case: int | None


class FamilyIn(In):
    safe: bool | None = None
    family_rejects_child: bool | None = None
    family_involved: bool | None = None
    retrafficking_risk: str
    decision: str
    findings: str = ""


class FamilyOut(Withheld):
    id: int
    safe: bool | None
    family_rejects_child: bool | None
    family_involved: bool | None
    retrafficking_risk: str
    decision: str
    findings: str | None
    assessed_at: str | None
