"""The notes API's bodies and answers, built from the services' records (``out_of``)."""

from __future__ import annotations

import datetime as dt

from lantern.edges.bounds import BoundedInt, Code, Text
from lantern.edges.schemas import In, out_of
from lantern.protection.notes.attachments import AttachmentView
from lantern.protection.notes.service import NoteView, VersionView

NoteOut = out_of(NoteView, "CaseNoteOut")
VersionOut = out_of(VersionView, "NarrativeVersionOut")
AttachmentOut = out_of(AttachmentView, "AttachmentOut")


class NoteIn(In):
    kind: Code  # visit, call, meeting, observation, other
    body: Text
    follow_up_on: dt.date | None = None


class NarrativeIn(In):
    """A new version of the narrative over ``base_version``, the one the writer started
    from (0 for the first); 409 when another version was saved meanwhile."""

    text: Text
    base_version: BoundedInt


class DeletionIn(In):
    reason: Text
