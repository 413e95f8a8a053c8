"""The register as its readers see it: plain values the pages and the API both show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IdentifierView:
    """A name, alias, phone number, vehicle or place of the perpetrator."""

    id: int
    kind: str
    value: str


@dataclass(frozen=True)
class CaseRoleView:
    """The perpetrator's part in one child's case, as the case's agency recorded it."""

    case_id: int
    case_reference: str
    agency: str
    actor_ref: str  # the agency's own reference for this person
    role: str
    relationship: str


@dataclass(frozen=True)
class StepView:
    """One step of the justice chain."""

    id: int
    stage: str
    date: str
    agency: str
    case_ids: list[int] = field(default_factory=list)
    sentence_months: int | None = None


@dataclass(frozen=True)
class PerpetratorSummary:
    """A register record in a list: its reference, kind and names."""

    id: int
    reference: str
    kind: str
    sex: str
    names: list[str]
    agency: str
    cases: int  # every case it is named in, seen or not


@dataclass(frozen=True)
class PerpetratorDetail:
    """A register record: identifiers, the cases the reader may view with its roles there,
    how many other cases name it, and its justice chain."""

    id: int
    reference: str
    kind: str
    sex: str
    citizenship: str
    agency: str
    identifiers: list[IdentifierView]
    cases: list[CaseRoleView]
    other_cases: int  # cases it is named in that the reader may not view: counted, not shown
    justice: list[StepView]
    days_to_verdict: int | None  # from the first child's identification to the first verdict
