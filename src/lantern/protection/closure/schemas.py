"""The closure's API bodies and answers (``lantern.protection.closure.api``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from lantern.edges.bounds import Code, Text
from lantern.edges.schemas import In, Out, out_of
from lantern.protection.closure.checklist import Item

ItemOut = out_of(Item, "ClosureItemOut")


class AreaOut(Out):
    """An area of the checklist; ``done`` when it leaves nothing open."""

    code: str
    label: str
    done: bool
    items: list[ItemOut]  # type: ignore[valid-type]


class JustifiedOut(Out):
    """An item left open when the request was made, and the reason given for it."""

    key: str
    label: str
    reason: str


class ClosureRequestOut(Out):
    id: int
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    reason: str
    open_items: list[JustifiedOut]
    requested_by: str
    requested_at: str
    decided_by: str
    decided_at: str | None
    decision_reason: str


class ClosureOut(Out):
    """A case's closure: the checklist as of now, and its requests, newest first."""

    case_id: int
    reference: str
    state: str
    outcome: str
    checklist: list[AreaOut]
    requests: list[ClosureRequestOut]


class ClosureIn(In):
    outcome: Code
    reason: Text
    # a reason for each item still open, by its key ("placement:12"); none when all is done
    justifications: Annotated[dict[Code, Text], Field(max_length=100)] = {}


class ApproveIn(In):
    note: Text = ""


class ReturnIn(In):
    reason: Text
