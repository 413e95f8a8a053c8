"""ODK Central and KoboToolbox submissions of Lantern's field forms, as the import path's rows.

The intake XLSForm (``lantern forms export``) names its questions as ``FIELDS`` and its repeat
groups as ``REPEATS`` say, so that a submission exported by either tool translates back here
without a mapping file. Every export shape is read by ``fieldanswers`` (group paths, nested
objects, repeats as lists, Kobo's legacy columns) and ``linked`` (ODK's CSV zip, Kobo's XLSX):

- the journey's steps and the exploitation episodes become ``hte_Events`` and
  ``ext_Exploitations``; the form counts each repeat (``journey_count``), so an export that
  left the repeats out is the row's error, not a silent loss;
- select_multiple answers space-separated (both tools) or as lists;
- the submission's instance id (``meta/instanceID``, ODK's ``KEY`` or ``__id``, Kobo's
  ``_uuid``) is the source record id; the registration date, when the form left it blank, is
  the submission's date (``SubmissionDate``, ``_submission_time``);
- an edited submission (``meta/deprecatedID``, or a first id other than its own) updates what
  its predecessor became (``fieldedits``); one whose predecessor is not known yet waits until
  the rest of the file is written, then is imported as new with a warning.

The screening and follow-up forms' submissions name a case (``case_reference``) and are applied
to it by their domain's service, through the forms ``settings.LANTERN_FIELD_FORMS`` names
(``lantern.fieldforms.submissions``, which this package sits below).

A row's errors name the form's questions (``journey[1].step_country``), not Lantern's columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from lantern.cases.importing import fieldanswers, fieldedits, linked
from lantern.cases.importing.fieldanswers import Answers, given
from lantern.cases.importing.fieldedits import Deferred, Version
from lantern.cases.importing.rows import Record, RowError, parse_row
from lantern.cases.importing.sources import Applied, Numbered, SourceContext, Translated

#: The intake form's questions and the record column each fills.
FIELDS: dict[str, str] = {
    "registration_date": "cas_RegistrationDate",
    "intake_channel": "cas_IntakeChannel",
    "given_name": "prs_FirstName",
    "family_name": "prs_SecondName",
    "nickname": "ext_Nickname",
    "birthdate": "prs_Birthdate",
    "birthdate_estimated": "ext_BirthdateEstimated",
    "age": "ext_StatedAge",
    "age_evidence": "ext_AgeEvidence",
    "documented_age": "ext_DocumentedAge",
    "gender": "prs_Gender",
    "citizenship": "prs_Citizenship",
    "identity_number": "prs_IdentityNumber",
    "primary_language": "prs_PrimaryLanguage",
    "home_country": "prs_MailingCountry",
    "home_state": "prs_MailingState",
    "home_city": "prs_MailingCity",
    "exploitation_forms": "vic_TypeOfExploitation",
    "age_when_trafficked": "vic_AgeWhenTrafficked",
    "recruitment_method": "vic_MethodOfRecruitment",
    "relationship_to_trafficker": "vic_RelationshipToTrafficker",
    "control_methods": "vic_MethodsOfControl",
    "vulnerabilities": "ext_Vulnerabilities",
    "smuggled": "ext_Smuggled",
    "consent": "con_Consent",
    "tracing_consent": "con_TracingConsent",
}
#: The longest text each column takes (``rows.parse_row``): the form refuses longer answers on
#: the device, where the field worker can still correct them.
TEXT_LIMITS: dict[str, int] = {
    "given_name": 200,
    "family_name": 200,
    "nickname": 200,
    "identity_number": 64,
    "primary_language": 8,
    "home_state": 100,
    "home_city": 100,
    "step_state": 100,
    "step_city": 100,
}
#: Questions answered by select_multiple: space-separated in the exports, ``;`` in the record.
MULTIPLE = frozenset({"citizenship", "exploitation_forms", "control_methods", "vulnerabilities"})
#: Repeat groups: (record column, {question in the repeat: key of the record's JSON item}).
REPEATS: dict[str, tuple[str, dict[str, str]]] = {
    "journey": (
        "hte_Events",
        {
            "step_type": "type",
            "step_date": "date",
            "step_country": "country",
            "step_state": "state",
            "step_city": "city",
            "step_transport": "transport",
            "step_crossing": "crossing",
        },
    ),
    "episodes": (
        "ext_Exploitations",
        {
            "episode_form": "form",
            "episode_isic": "isic",
            "episode_start": "start",
            "episode_end": "end",
            "episode_country": "country",
        },
    ),
}
#: The count the intake form keeps of each repeat group (a calculate), exported beside it.
COUNTS = {f"{name}_count": name for name in REPEATS}
#: Every question of the intake form an export may carry (calculates included).
INTAKE_QUESTIONS = frozenset({*FIELDS, *REPEATS, *COUNTS, "adult"})
_COLUMN_TO_FIELD = {column: name for name, column in FIELDS.items()}
_REPEAT_KEYS = {name: frozenset(keys) for name, (_column, keys) in REPEATS.items()}


@dataclass(frozen=True)
class Submission:
    """A submission of a form other than intake, read: its answers and when it was made."""

    row: int
    instance_id: str
    answers: Answers
    #: When the field worker finished it (the device's ``end``), else when the server got it.
    completed: str
    #: Its instance id and, for an edit, the ids of the versions it replaces.
    version: Version = field(default_factory=lambda: Version(""))
    #: The last try: an edit whose predecessor is still unknown is applied as new (a warning).
    final: bool = True


@dataclass(frozen=True)
class FieldForm:
    """A field form whose submissions a domain's service applies to the case they name."""

    form_id: str
    #: A question only this form asks (and requires): a row that has it is this form's.
    marker: str
    questions: frozenset[str]
    multiple: frozenset[str]
    apply: Callable[[Submission, SourceContext], Applied | list[RowError] | Deferred]


@cache
def field_forms() -> tuple[FieldForm, ...]:
    """The forms the function ``settings.LANTERN_FIELD_FORMS`` names gives (none when unset)."""
    name = getattr(settings, "LANTERN_FIELD_FORMS", "")
    return tuple(import_string(name)()) if name else ()


def submissions(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """ODK Central's submission exports (CSV, its CSV zip, or JSON with repeats inline) and
    KoboToolbox's (CSV, XLSX, or the JSON API's ``results``): sources ``odk`` and ``kobo``."""
    waiting: list[Numbered] = []
    yield from _translated(rows, context, waiting)
    yield from _edits_waiting(waiting, context)


def _translated(
    rows: Iterable[Numbered], context: SourceContext, held: list[Numbered]
) -> Iterator[Translated]:
    """Each row translated, except the edits whose predecessor is not known yet: those are
    put in ``held``, to be tried again later."""
    for n, data in rows:
        out = translate(n, data, context, final=False)
        if isinstance(out, Deferred):
            held.append((n, data))
        else:
            yield n, out


def _edits_waiting(waiting: list[Numbered], context: SourceContext) -> Iterator[Translated]:
    """The edits whose predecessor was not found when read, tried again once the rows before
    them are written (a predecessor later in the file, or in the chunk not yet written), in
    as many rounds as a chain of edits needs. When a round finds none, the first left is
    imported as new (with a warning), and the rest tried again: an edit of it finds it. Only
    these rows are held, never the file."""
    while waiting:
        context.flush()
        left: list[Numbered] = []
        yield from _translated(waiting, context, left)
        if len(left) == len(waiting):
            n, data = left.pop(0)
            out = translate(n, data, context, final=True)
            yield n, out if not isinstance(out, Deferred) else []
        waiting = left


def translate(
    n: int, data: dict[str, Any], context: SourceContext, final: bool = True
) -> Record | list[RowError] | Applied | Deferred:
    """One submission as a parsed record (intake), as applied (another form), or its errors in
    the form's terms; ``DEFER`` for an edit whose predecessor is not known (unless ``final``)."""
    if linked.ORPHAN in data:
        return [_orphan(n, data[linked.ORPHAN])]
    forms = field_forms()
    multiple = MULTIPLE.union(*(f.multiple for f in forms))
    answers = fieldanswers.read(data, REPEATS, multiple)
    form = next((f for f in forms if f.marker in answers.values), None)
    if form is not None:
        errors = fieldanswers.unknown(n, answers, form.questions, {}, _collector(context))
        errors += _unreadable(n, answers)
        if errors:
            return errors
        done = answers.values.get("end") or fieldanswers.submitted(answers)
        edit = fieldedits.version(answers)
        sub = Submission(n, edit.instance_id, answers, str(done or ""), edit, final)
        return form.apply(sub, context)
    return _intake(n, answers, context, final)


def _collector(context: SourceContext) -> dict[str, str] | None:
    """Where unknown answers go: the context's dropped list when they are ignored, else none
    (they are the row's errors)."""
    return context.dropped if context.ignore_unknown_columns else None


def _intake(
    n: int, answers: Answers, context: SourceContext, final: bool
) -> Record | list[RowError] | Applied | Deferred:
    errors = fieldanswers.unknown(n, answers, INTAKE_QUESTIONS, _REPEAT_KEYS, _collector(context))
    errors += _unreadable(n, answers)
    row: dict[str, Any] = {"agency": context.agency or context.user_agency or ""}
    row["source_record_id"] = fieldanswers.instance_id(answers)
    for name, value in answers.values.items():
        if name in FIELDS:
            if name in MULTIPLE and isinstance(value, str):
                value = ";".join(value.split())
            row[FIELDS[name]] = value
    for name, (column, keys) in REPEATS.items():
        entries = answers.repeats.get(name, [])
        row[column] = [
            {keys[k]: v for k, v in entry.values.items() if k in keys} for entry in entries
        ]
        errors += _missing_repeat(n, name, answers.values.get(f"{name}_count"), len(entries))
    if not given(row.get("cas_RegistrationDate")):
        row["cas_RegistrationDate"] = fieldanswers.submitted(answers)[:10]
    parsed = parse_row(n, row)
    if isinstance(parsed, list):
        return errors + [RowError(e.row, _in_form_terms(e.field), e.reason) for e in parsed]
    return errors or fieldedits.intake(parsed, fieldedits.version(answers), context, final)


def _missing_repeat(n: int, name: str, count: Any, found: int) -> list[RowError]:
    """The form counted ``count`` entries of the repeat and the file holds ``found``."""
    try:
        expected = int(float(str(count)))
    except ValueError:
        return []
    if expected > found:
        return [
            RowError(
                n,
                name,
                f"the form has {expected} entries and the file {found}: import the export "
                "with its repeats (ODK Central's CSV zip, Kobo's XLSX, or JSON)",
            )
        ]
    return []


def _unreadable(n: int, answers: Answers) -> list[RowError]:
    reasons = {
        "odata": "the repeat's answers are not in the file; "
        "export the submissions with their repeats ($expand=*)",
        "not_a_list": "expected the repeat's answers (a list of entries)",
    }
    return [RowError(n, name, reasons[why]) for name, why in answers.unreadable.items()]


def _orphan(n: int, where: dict[str, Any]) -> RowError:
    return RowError(
        n,
        f"{where['table']} line {where['line']}: {where['column']}",
        f"no row of {where['parent']} has {where['key']} {where['value']!r}: "
        "this repeat entry belongs to no submission in the file",
    )


def _in_form_terms(column: str) -> str:
    """A record column (``hte_Events[2].date``) named as the form asks it."""
    if column in _COLUMN_TO_FIELD:
        return _COLUMN_TO_FIELD[column]
    if column == "source_record_id":
        return "meta/instanceID"
    if column == "agency":
        return "agency (--agency)"
    for repeat, (record_column, keys) in REPEATS.items():
        if column.startswith(record_column + "["):
            head, _sep, key = column.partition("].")
            index = head[len(record_column) :]
            back = {v: k for k, v in keys.items()}
            return f"{repeat}{index}].{back.get(key, key)}"
    return column
