"""The narrative and case notes: written by the case's workers, read by the tier that may.

Writing asks the policy for ``("case", "update")`` on the case. Reading asks for the case's
view and the highly sensitive tier (``policy.may_read_field``): a role that views the case
without that tier (an agency administrator, a liaison, the coordinator) is refused, one that
does not view the case gets "no such case". Every read and every change is one audit entry on
the case (so the case's access log shows it) that names the fields, never their text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy.fields import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import guard, now, today
from lantern.edges.bounds import TEXT_MAX
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection.notes.models import CaseNote, NarrativeVersion, NoteKind
from lantern.protection.story import history

READ_FIELDS = ("narrativeversion.text", "casenote.body", "attachment.filename")


def may_read(user: Any, case: Case) -> bool:
    """Whether ``user`` reads ``case``'s notes (views the case, reads the highly sensitive
    tier); a link to them is shown on that answer, the services ask again."""
    return policy.case_allows(user, "view", case) and all(
        policy.may_read_field(user, f) for f in READ_FIELDS
    )


def check_read(user: Any, case: Case) -> None:
    """NotFound outside the user's view; NotAllowed without the highly sensitive tier."""
    guard(user, case, "view")
    if not may_read(user, case):
        raise NotAllowed(_("your role may not read this case's notes and attachments"))


def recorded(
    user: Any, case: Case, action: str, fields: list[str], reason: str, source: str
) -> None:
    """The one place this package records what it read from a case: the audit trail, on the
    case (its access log shows it), naming fields and ids, never their text."""
    audit.record(user, action, "case", case.reference, fields, reason=reason, source=source)


def changed(
    user: Any, case: Case, what: str, record_id: object, fields: list[str], why: str, source: str
) -> None:
    """A change to the case's notes, narrative or files, kept in the case's history (which
    audits it). No copy of the text: the notes keep their own versions, encrypted."""
    history.record_change(
        user,
        case,
        what,
        why,
        None,
        None,
        source=source,
        record_id=record_id,
        tier=Tier.HIGHLY_SENSITIVE,
        fields=fields,
    )


@dataclass(frozen=True)
class NoteView:
    """A case note as the page and the API show it."""

    id: int
    kind: str
    body: str
    follow_up_on: dt.date | None
    written_by: str
    written_at: dt.datetime


@dataclass(frozen=True)
class VersionView:
    """One version of the narrative."""

    version: int
    text: str
    written_by: str
    written_at: dt.datetime


def written(value: str, field: str, empty: str) -> str:
    """``value`` stripped; Invalid with ``empty`` (the user's words) when there is nothing, or
    when it is longer than a note may be."""
    value = (value or "").strip()
    if not value:
        raise Invalid(empty, field)
    if len(value) > TEXT_MAX:
        raise Invalid(
            _("The text is too long: at most %(n)s characters.") % {"n": f"{TEXT_MAX:,}"}, field
        )
    return value


def _who(user: Any) -> str:
    return user.username if user is not None else ""


def note_view(n: CaseNote) -> NoteView:
    return NoteView(n.pk, n.kind, str(n.body), n.follow_up_on, _who(n.written_by), n.written_at)


def version_view(v: NarrativeVersion) -> VersionView:
    return VersionView(v.version, str(v.text), _who(v.written_by), v.written_at)


def notes(user: Any, case: Case, source: str = "") -> list[NoteView]:
    """The case's notes, newest first (read audited)."""
    check_read(user, case)
    rows = [note_view(n) for n in case.notes.select_related("written_by")]
    recorded(user, case, "read", ["casenote.body"], f"{len(rows)} case notes", source)
    return rows


def narrative(user: Any, case: Case, source: str = "") -> list[VersionView]:
    """Every version of the narrative, the current one first (read audited)."""
    check_read(user, case)
    rows = [version_view(v) for v in case.narrative_versions.select_related("written_by")]
    recorded(
        user, case, "read", ["narrativeversion.text"], f"narrative, {len(rows)} versions", source
    )
    return rows


def current_version(case: Case) -> int:
    """The number of the narrative's current version (0: none written yet)."""
    top = case.narrative_versions.aggregate(top=Max("version"))["top"]
    return int(top or 0)


@transaction.atomic
def write_narrative(
    user: Any, case: Case, body: str, base_version: int, source: str = ""
) -> NarrativeVersion:
    """A new version of the narrative, written over ``base_version`` (the one the writer
    started from); Refused when someone saved another version meanwhile, so that no edit is
    lost silently. Earlier versions are kept."""
    guard(user, case, "update")
    body = written(body, "text", _("Write the narrative before saving."))
    Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    current = current_version(case)
    if base_version != current:
        raise Refused(
            _(
                "The narrative was changed by someone else while you were editing (it is now "
                "version %(now)s, you started from version %(base)s). Your text is kept in the "
                "form: compare it with the current version and save again."
            )
            % {"now": current, "base": base_version},
            "text",
        )
    if current and str(case.narrative_versions.get(version=current).text) == body:
        raise Invalid(_("This is the narrative as it stands: change it before saving."), "text")
    row = NarrativeVersion.objects.create(
        case=case, version=current + 1, text=body, written_by=user, written_at=now()
    )
    what = "narrative.edit" if current else "narrative.add"
    changed(user, case, what, row.version, ["text"], "", source)
    return row


def add_note(
    user: Any,
    case: Case,
    *,
    kind: str,
    body: str,
    follow_up_on: dt.date | None = None,
    source: str = "",
) -> CaseNote:
    """A case note; a follow-up date, when given, is today or later."""
    guard(user, case, "update")
    if kind not in NoteKind.values:
        raise Invalid(_("Choose what kind of note this is (a visit, a call, ...)."), "kind")
    body = written(body, "body", _("Write the note before saving."))
    if follow_up_on is not None and follow_up_on < today():
        raise Invalid(_("The follow-up date cannot be in the past."), "follow_up_on")
    row = CaseNote.objects.create(
        case=case,
        kind=kind,
        body=body,
        follow_up_on=follow_up_on,
        written_by=user,
        written_at=now(),
    )
    changed(user, case, "casenote.add", row.pk, ["kind", "body"], "", source)
    return row
