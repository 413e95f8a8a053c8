"""The register's API answers, built from the service's records (``out_of``), and its bodies.

Bodies take every field as optional: a refusal comes before input is judged, and a missing
field is the service's reason (422), in the user's words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field

from lantern.edges.bounds import Code, Id, Name
from lantern.edges.schemas import In, Out, out_of
from lantern.perpetrators.linking import Evidence, PairView
from lantern.perpetrators.network import Group, NetEdge, Node
from lantern.perpetrators.records import (
    CaseRoleView,
    IdentifierView,
    PerpetratorDetail,
    PerpetratorSummary,
    StepView,
)
from lantern.perpetrators.routes import RouteRow

IdentifierOut = out_of(IdentifierView, "PerpetratorIdentifierOut")
CaseRoleOut = out_of(CaseRoleView, "PerpetratorCaseRoleOut")
StepOut = out_of(StepView, "JusticeStepOut")
SummaryOut = out_of(PerpetratorSummary, "PerpetratorSummaryOut")
NodeOut = out_of(Node, "NetworkNodeOut")
EdgeOut = out_of(NetEdge, "NetworkEdgeOut")
EvidenceOut = out_of(Evidence, "PerpetratorPairEvidenceOut")
PairOut = out_of(PairView, "PerpetratorPairOut")
GroupOut = out_of(Group, "NetworkGroupOut")
RouteOut = out_of(RouteRow, "NetworkRouteOut")


class DetailOut(Out):
    """A register record: identifiers, the cases the reader may view, the others counted."""

    id: int
    reference: str
    kind: str
    sex: str
    citizenship: str
    agency: str
    identifiers: list[IdentifierOut]  # type: ignore[valid-type]
    cases: list[CaseRoleOut]  # type: ignore[valid-type]
    other_cases: int
    justice: list[StepOut]  # type: ignore[valid-type]
    days_to_verdict: int | None


assert {f for f in DetailOut.model_fields} == set(PerpetratorDetail.__dataclass_fields__)


class NetworkOut(Out):
    """The network drawn: nodes the reader may open, edges with their evidence, the cases it
    touches that the reader may not view (counted), and the organised-crime flag's reasons."""

    nodes: list[NodeOut]  # type: ignore[valid-type]
    edges: list[EdgeOut]  # type: ignore[valid-type]
    hidden_cases: int
    perpetrators: int
    cases: int
    flagged: bool
    reasons: list[str]
    communities: int
    groups: list[GroupOut]  # type: ignore[valid-type]
    routes: list[RouteOut]  # type: ignore[valid-type]


class LookupIn(In):
    """One exact identifier: a name (or alias), a phone number or a vehicle."""

    kind: Code = ""
    value: Name = ""


class IdentifierIn(In):
    kind: Code
    value: Name


class IdentifiersIn(In):
    """Identifiers to add, and optionally the record's kind (person, business) and sex."""

    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=50)
    kind: Code = ""
    sex: Code = ""


class ReportIn(IdentifiersIn):
    """What a child says about one of the case's suspected traffickers (its story's row)."""

    role_id: Id | None = None


class StepIn(In):
    stage: Code = ""
    date: dt.date | None = None
    case_ids: list[Id] = Field(default_factory=list, max_length=100)
    proceeding_ids: list[Id] = Field(default_factory=list, max_length=100)
    sentence_months: int | None = Field(default=None, ge=0, le=1200)


@dataclass(frozen=True)
class Added:
    added: int


class AddedOut(Out):
    """How many identifiers were new (nothing of the register is shown back)."""

    added: int


class PairDecisionIn(In):
    """A reviewer's decision on a pair: ``same`` (merge) or ``different``."""

    decision: Code = ""


class PairDecisionOut(Out):
    decision: str
    kept_id: int | None
