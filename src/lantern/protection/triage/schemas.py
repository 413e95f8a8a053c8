"""The triage API's bodies and answers: an item is the service's ``QueueItem``, as it is."""

from __future__ import annotations

from lantern.edges.bounds import Id, Text
from lantern.edges.schemas import In, Out, out_of
from lantern.protection.triage.service import QueueItem

TriageItemOut = out_of(QueueItem, "TriageItemOut")


class QueueOut(Out):
    """The open items, most urgent first, then by due time."""

    items: list[TriageItemOut]  # type: ignore[valid-type]


class AssignOfficerIn(In):
    officer: Id  # a caseworker or supervisor of the agency


class HandledIn(In):
    note: Text  # what was done; required (encrypted, highly sensitive)
