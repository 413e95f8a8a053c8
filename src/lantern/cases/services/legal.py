"""The legal track (CASE-09..14): proceedings where the child is a victim and a witness.

There is no way to record the child as the accused. If a child is nonetheless detained or
charged, that is recorded as such and raises an escalation on the supervisor's work list
(CASE-08: the rescued child must not be the focus of legal sanctions). Interviews are counted,
because repeated interviews re-victimise (ETH-10).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from lantern.audit import services as audit
from lantern.cases.models import Case, LegalProceeding
from lantern.cases.services.common import choice, guard, now, text
from lantern.cases.services.errors import Invalid

KINDS = ("investigation", "prosecution", "civil_claim", "immigration", "child_protection")
STATUSES = ("open", "hearing", "concluded", "withdrawn")
# CASE-12: procedures that spare the child (recorded as they were used).
TESTIMONY_MEASURES = (
    "video_recorded",
    "support_person_present",
    "closed_hearing",
    "screen_or_separate_room",
    "single_interview",
    "child_trained_interviewer",
)


def open_proceeding(
    user: Any,
    case: Case,
    *,
    kind: str,
    lawyer_name: str = "",
    testimony_measures: Sequence[str] = (),
    non_punishment_invoked: bool = False,
    notes: str = "",
    source: str = "",
) -> LegalProceeding:
    guard(user, case, "protect")
    stamp = now()
    row = LegalProceeding.objects.create(
        case=case,
        kind=choice(kind, KINDS, "kind"),
        lawyer_name=text(lawyer_name, "lawyer_name", max_length=200),
        testimony_measures=_measures(testimony_measures),
        non_punishment_invoked=non_punishment_invoked,
        notes=text(notes, "notes", max_length=8000),
        opened_by=user,
        opened_at=stamp,
        updated_at=stamp,
    )
    audit.record(
        user,
        "create",
        "legal_proceeding",
        row.pk,
        reason=f"case {case.reference}: {kind}",
        source=source,
    )
    return row


def _measures(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(choice(v, TESTIMONY_MEASURES, "testimony_measures") for v in values))


def update_proceeding(
    user: Any,
    row: LegalProceeding,
    *,
    status: str | None = None,
    lawyer_name: str | None = None,
    testimony_measures: Sequence[str] | None = None,
    non_punishment_invoked: bool | None = None,
    child_detained_or_charged: bool | None = None,
    add_hearing: bool = False,
    add_interview: bool = False,
    source: str = "",
) -> LegalProceeding:
    """Change what happened in the proceeding; every change is audited by field name."""
    guard(user, row.case, "protect")
    changed: list[str] = []
    if status is not None:
        row.status = choice(status, STATUSES, "status")
        changed.append("status")
    if lawyer_name is not None:
        row.lawyer_name = text(lawyer_name, "lawyer_name", max_length=200)
        changed.append("lawyer_name")
    if testimony_measures is not None:
        row.testimony_measures = _measures(testimony_measures)
        changed.append("testimony_measures")
    if non_punishment_invoked is not None:
        row.non_punishment_invoked = non_punishment_invoked
        changed.append("non_punishment_invoked")
    if child_detained_or_charged is not None:
        row.child_detained_or_charged = child_detained_or_charged
        changed.append("child_detained_or_charged")
    if add_hearing:
        row.hearings += 1
        changed.append("hearings")
    if add_interview:
        row.interviews += 1
        changed.append("interviews")
    if not changed:
        raise Invalid(_("nothing to change"), "(body)")
    row.updated_at = now()
    row.save()
    audit.record(user, "update", "legal_proceeding", row.pk, changed, source=source)
    return row
