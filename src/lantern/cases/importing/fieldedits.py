"""Edited ODK and Kobo submissions: which record an edit replaces.

Editing a submission in ODK Central or KoboToolbox gives it a new instance id
(``meta/instanceID``, Kobo's ``_uuid``) and names the version it replaces
(``meta/deprecatedID``); the tools also keep the submission's first instance id (ODK Central's
``KEY`` and ``__id``, Kobo's ``meta/rootUuid``). An edit is applied to what its predecessor
became (the same case, screening or visit), never as a second one; each applied edit is kept as
a ``FieldSubmission`` with the chain's first instance id Lantern knows (``root_id``), so that:

- an edit of an edit finds the record through its direct predecessor, or through the
  submission's first id when the predecessor itself was never imported;
- a re-export holding a version already applied, or one a later edit replaced, is "unchanged".

An edit whose predecessor Lantern does not know may still meet it later in the same file; the
source keeps it (``DEFER``) until the rows before it are written, and imports it as new, with a
warning, only when nothing in the store or the file is its predecessor.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from lantern.accounts import policy
from lantern.cases.importing import fieldanswers
from lantern.cases.importing.fieldanswers import Answers
from lantern.cases.importing.reasons import Reason
from lantern.cases.importing.rows import Record, RowError
from lantern.cases.importing.sources import Applied, SourceContext
from lantern.cases.models import Case, FieldSubmission

INTAKE = "lantern_intake"
#: The question an edit's errors and warnings name.
FIELD = "meta/deprecatedID"


@dataclass(frozen=True)
class Version:
    """One version of a submission: its instance id and, for an edit, the ids it names."""

    instance_id: str
    deprecated_id: str = ""
    root_id: str = ""

    @property
    def is_edit(self) -> bool:
        return bool(self.deprecated_id or self.root_id)

    def predecessors(self) -> list[str]:
        """The versions this one replaces, the nearest first."""
        ids = (self.deprecated_id, self.root_id)
        return [i for i in dict.fromkeys(ids) if i and i != self.instance_id]


class Deferred:
    """The edit's predecessor is not known yet: try again once the file's rows are written."""


DEFER = Deferred()


def version(answers: Answers) -> Version:
    return Version(
        fieldanswers.instance_id(answers),
        fieldanswers.deprecated_id(answers),
        fieldanswers.root_id(answers),
    )


def replaced(form: str, instance_id: str) -> bool:
    """Whether a later version of this submission is already applied: one that names it as
    the version it replaces, or whose chain starts with it."""
    later = Q(deprecated_id=instance_id) | (Q(root_id=instance_id) & ~Q(instance_id=instance_id))
    return FieldSubmission.objects.filter(later, form=form).exists()


def latest(form: str, ids: list[str]) -> FieldSubmission | None:
    """The latest applied version of the chain one of ``ids`` (nearest first) belongs to."""
    for instance in ids:
        found = (
            FieldSubmission.objects.filter(form=form)
            .filter(Q(instance_id=instance) | Q(root_id=instance))
            .order_by("-pk")
            .first()
        )
        if found is not None:
            root = found.root_id or found.instance_id
            chain = Q(root_id=root) | Q(instance_id=root)
            return (
                FieldSubmission.objects.filter(chain, form=form, case_id=found.case_id)
                .order_by("-pk")
                .first()
            )
    return None


#: what an edit of a submission Lantern has not imported becomes
NEW_CASE = Reason(gettext_noop("a new case"))
NEW_SCREENING = Reason(gettext_noop("a new screening"))
NEW_VISIT = Reason(gettext_noop("a new visit"))


def unknown_predecessor(row: int, edit: Version, made: Reason) -> RowError:
    """The warning of an edit imported as new: its predecessor is nowhere to be found."""
    ids = " or ".join(repr(i) for i in edit.predecessors())
    return RowError(
        row,
        FIELD,
        Reason(
            gettext_noop(
                "this edits submission %(ids)s, which Lantern has not imported: imported as "
                "%(made)s"
            ),
            ids=ids,
            made=made,
        ),
    )


def intake(
    rec: Record, edit: Version, context: SourceContext, final: bool
) -> Record | Applied | list[RowError] | Deferred:
    """An intake submission as the record to write: an edit becomes its case's record (the
    case's agency and source record id), so that the import's update path changes that case;
    a version a later edit replaced is unchanged."""
    x = edit.instance_id
    # One query for the common row (no edit of it known): its own link, or a later version's.
    links = list(
        FieldSubmission.objects.filter(form=INTAKE)
        .filter(Q(instance_id=x) | Q(deprecated_id=x) | Q(root_id=x))
        .select_related("case__agency")[:20]
    )
    if any(k.deprecated_id == x or (k.root_id == x and k.instance_id != x) for k in links):
        return Applied(unchanged=1)  # a later edit replaced this version
    own = next((k for k in links if k.instance_id == x), None)
    if own is not None:
        return _as_case(rec, own.case, context)
    if not edit.is_edit or _imported(edit.instance_id, rec.agency):
        return rec
    case = _case_of(edit.predecessors(), rec.agency)
    if case is None:
        if not final:
            return DEFER
        context.warnings.append(unknown_predecessor(rec.row, edit, NEW_CASE))
        return rec
    made = _as_case(rec, case, context)
    if isinstance(made, Record):
        FieldSubmission.objects.create(
            case=case,
            form=INTAKE,
            instance_id=edit.instance_id,
            deprecated_id=edit.deprecated_id,
            root_id=case.source_record_id,
            record_id=case.pk,
            imported_by=context.user,
        )
    return made


def _imported(instance_id: str, agency: str) -> bool:
    """An edit imported before as a case of its own (its predecessor was then unknown)."""
    return Case.objects.filter(agency__code=agency, source_record_id=instance_id).exists()


def _case_of(ids: list[str], agency: str) -> Case | None:
    """The case a version in ``ids`` became: through an applied edit, else as the case whose
    source record id it is (the file's agency first)."""
    found = latest(INTAKE, ids)
    if found is not None:
        return found.case
    for instance in ids:
        cases = Case.objects.filter(source_record_id=instance).select_related("agency")
        match = sorted(cases, key=lambda c: (c.agency.code != agency, c.pk))
        if match:
            return match[0]
    return None


def _as_case(rec: Record, case: Case, context: SourceContext) -> Record | list[RowError]:
    """``rec`` keyed as ``case``'s record, if the importing user may change that case."""
    if not _may_change(context.user, case):
        return [
            RowError(
                rec.row,
                FIELD,
                Reason(
                    gettext_noop(
                        "this edits a submission imported as a case of agency %(agency)s, "
                        "which you may not change"
                    ),
                    agency=repr(case.agency.code),
                ),
            )
        ]
    return dataclasses.replace(rec, agency=case.agency.code, source_record_id=case.source_record_id)


def _may_change(user: Any, case: Case) -> bool:
    """The import's own rule (``RecordWriter._agency``): a national import changes any case,
    another only its own agency's."""
    scope = policy.scope_for(user, "case", "import")
    if scope is None:
        return False
    return scope is policy.Scope.NATIONAL or case.agency_id == user.agency_id
