"""A case's history: every change to its story, kept with who, when, why, before and after.

``record_change`` is the one writer, for this package and any other that changes a case's
story (case notes, the narrative, attachments): the caller has asked the policy layer already
and writes inside its own transaction; this keeps the change and audits it (the audit entry
refers to the history row; it never copies the values or the reason). Values are kept
encrypted whatever their tier and shown only to readers of their tier (``CaseChange.tier``):
pass ``tier`` for values the classification does not name (a note's text is highly sensitive),
or ``None`` as ``before``/``after`` to keep no copy at all.

Reading the history is for whoever may view the case, and is audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import guard, now
from lantern.protection.story.models import CaseChange

ACTIONS = ("add", "edit", "remove")
# The story's records by the name a change gives them, and the model that classifies their
# fields ("model.field" in lantern.accounts.policy.fields); other packages' records name their
# model themselves ("casenote.add") or pass ``tier``.
MODELS = {"event": "traffickingevent", "episode": "exploitation", "actor": "actorrole"}
RECORDS: dict[str, Promise] = {
    "event": _("Journey step"),
    "episode": _("Exploitation episode"),
    "actor": _("Suspected trafficker"),
    "case": _("Circumstances"),
    "note": _("Case note"),
    "casenote": _("Case note"),
    "narrative": _("Narrative"),
    "attachment": _("Attachment"),
}
DONE: dict[str, Promise] = {"add": _("added"), "edit": _("changed"), "remove": _("removed")}
# Notes a change may carry, explained on the history page.
NOTES: dict[str, Promise] = {
    "from_episode": _("Follows an exploitation episode: its form is listed on the case."),
    "screening_adds": _(
        "Added from a screening. What the case already listed was kept: a screening adds, "
        "it never removes."
    ),
    "import_replaces": _(
        "Replaced by the agency's import: the file's version of the story took the place of "
        "what was recorded here, which is kept in this history."
    ),
    "form_kept": _(
        "The episode's form stays listed on the case; change the circumstances if it should not."
    ),
}
_ORDER = (Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE)


def _split(what: str) -> tuple[str, str]:
    record, _sep, action = what.partition(".")
    if not record or action not in ACTIONS:
        raise ValueError(f"what: {what!r} is not 'record.add', 'record.edit' or 'record.remove'")
    return record, action


def tier_for(record: str, names: Iterable[str]) -> Tier:
    """The most sensitive tier of the named fields of ``record`` (standard when none)."""
    model = MODELS.get(record, record)
    tiers = [policy.tier_of(f"{model}.{name}") for name in names] or [Tier.STANDARD]
    return max(tiers, key=_ORDER.index)


def changed(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """The names whose values differ between ``before`` and ``after``."""
    b, a = before or {}, after or {}
    return sorted(k for k in {*b, *a} if b.get(k) != a.get(k))


def _json(values: Mapping[str, Any] | None) -> str:
    return "" if values is None else json.dumps(dict(values), cls=DjangoJSONEncoder)


def channel(source: str) -> str:
    """Where a change came from, as the history shows it: "web" or "api" (the audit trail
    keeps the address), or what a service names ("screening 12")."""
    first = source.split(" ", 1)[0]
    return first if first in ("web", "api") else source[:40]


def record_change(
    user: Any,
    case: Case,
    what: str,
    why: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    source: str = "",
    record_id: object = "",
    tier: Tier | None = None,
    fields: Sequence[str] | None = None,
    note: str = "",
    via: str = "",
) -> CaseChange:
    """Keep one change to ``case``'s story and audit it; return the history row.

    ``what`` is "record.action" (action: add, edit or remove; e.g. "casenote.add"); ``why`` the
    user's reason (may be empty for an addition); ``before``/``after`` the record's values
    (``None`` for none, or to keep no copy). ``fields`` defaults to the names whose values
    differ; ``note`` is a code of ``NOTES`` the history page explains (others are kept, not
    shown). ``source`` is the audit trail's (``request_source``); the history shows its channel,
    or ``via`` when given ("screening 12"). The caller has checked the policy and holds the
    transaction.
    """
    record, _action = _split(what)
    names = list(fields) if fields is not None else changed(before, after)
    level = tier or tier_for(record, {*(before or {}), *(after or {})})
    row = CaseChange.objects.create(
        case=case,
        at=now(),
        by=user,
        what=what,
        record_id=str(record_id),
        fields=names,
        tier=str(level),
        before=_json(before),
        after=_json(after),
        reason=why,
        source=via[:40] or channel(source),
        note=note,
    )
    audit.record(
        user,
        "update",
        "case",
        case.reference,
        [f"{record}.{n}" for n in names],
        reason=f"{what} {record_id}".strip() + f": change {row.pk}",
        source=source,
    )
    return row


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change as a reader sees it: values and reason ``None`` (and named under
    ``withheld``) where the reader's tier may not see them."""

    id: int
    at: str
    by: str
    what: str
    record_id: str
    fields: list[str]
    source: str
    note: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    withheld: list[str] | None = None


def changes(user: Any, case: Case) -> QuerySet[CaseChange]:
    """The case's changes, newest first, for a user who may view the case (else NotFound)."""
    guard(user, case, "view")
    return case.changes.select_related("by").order_by("-at", "-id")


def _values(raw: str) -> dict[str, Any] | None:
    return json.loads(raw) if raw else None


def view(user: Any, row: CaseChange) -> Change:
    """``row`` as ``user``'s tiers allow."""
    values = policy.may_read(user, Tier(row.tier))
    reasons = policy.may_read_field(user, "casechange.reason")
    withheld = [
        n for n, shown in (("before", values), ("after", values), ("reason", reasons)) if not shown
    ]
    return Change(
        id=row.pk,
        at=row.at.isoformat(),
        by=row.by.username if row.by else "",
        what=row.what,
        record_id=row.record_id,
        fields=list(row.fields),
        source=row.source,
        note=row.note,
        reason=row.reason if reasons else None,
        before=_values(row.before) if values else None,
        after=_values(row.after) if values else None,
        withheld=withheld or None,
    )


def read(user: Any, case: Case, rows: Sequence[CaseChange], source: str = "") -> list[Change]:
    """``rows`` of ``case``'s history as ``user`` may see them; the read is audited (which
    columns were shown, and how many changes; never the values)."""
    shown = [view(user, r) for r in rows]
    columns = sorted(
        {
            f"casechange.{n}"
            for c in shown
            for n in ("before", "after", "reason")
            if n not in (c.withheld or [])
        }
    )
    audit.record(
        user,
        "view",
        "case",
        case.reference,
        columns,
        reason=f"history: {len(shown)} changes",
        source=source,
    )
    return shown


def describe(what: str) -> str:
    """ "Journey step: added", in the reader's language; an unknown record is named as given."""
    record, _sep, action = what.partition(".")
    name, done = RECORDS.get(record), DONE.get(action)
    if name is None or done is None:
        return what
    return gettext("%(record)s: %(done)s") % {"record": name, "done": done}
