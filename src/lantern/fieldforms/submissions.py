"""Screening and follow-up submissions, applied to the case they name through their services.

``lantern import --format odk|kobo`` reads every field form's export (``cases.importing.
fieldsources``); a row that answers ``case_reference`` is one of these forms', and is handed
here (``settings.LANTERN_FIELD_FORMS``). The case is found among those the importing user may
see; the screening then goes through ``screening_services.screen_case`` (its policy check, the
rules, the case's status, the audit) and the visit through ``protection.followup`` (the same).
Each applied submission is kept with its instance id (``FieldSubmission``): the tools export
every submission each time, and a second arrival is "unchanged", never a second screening.
An edited submission (``cases.importing.fieldedits``) corrects what its predecessor became:
the screening by a new screening that ``corrects`` it (the history shows the correction, and
the rules read the correction in its place), the visit by ``followup.correct_visit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.accounts import policy
from lantern.cases import screening_services
from lantern.cases.importing import fieldedits
from lantern.cases.importing.fieldanswers import given
from lantern.cases.importing.fieldedits import DEFER, Deferred
from lantern.cases.importing.fieldsources import FieldForm, Submission
from lantern.cases.importing.reasons import Reason
from lantern.cases.importing.rows import RowError
from lantern.cases.importing.sources import Applied, SourceContext
from lantern.cases.models import Case, FieldSubmission, ScreeningResult
from lantern.errors import DomainError, NotFound
from lantern.fieldforms import followup, screening
from lantern.protection.followup import service as visits
from lantern.protection.followup.models import FollowUpVisit, WellbeingItem
from lantern.screening import ScreeningInputError
from lantern.screening.catalogue import load_catalogue

SOURCE = "import (field form)"
#: A scheduled visit this many days after the visit made is taken as the one it was.
EARLY_DAYS = 7
_ANSWER = {"yes": True, "no": False, "unknown": None}
_AGE_FIELDS = {
    "age.years": "age",
    "age.basis": "age_basis",
    "age.reasons_to_believe_child": "reasons_to_believe_child",
}

Result = Applied | list[RowError] | Deferred
#: What an applied submission became: the record's id, or the row's errors.
Made = int | list[RowError]


@cache
def _questions(form_id: str) -> frozenset[str]:
    """Every question (calculates included) the form asks, as its export names them."""
    build = {"lantern_screening": screening.build, "lantern_followup": followup.build}[form_id]
    return frozenset(
        str(row["name"])
        for row in build("0").survey
        if not str(row["type"]).startswith(("begin_", "end_"))
    )


def _indicator_ids() -> dict[str, str]:
    """The screening form's question for each indicator (``D4_excessive_hours``) -> its id."""
    return {i.replace(".", "_"): i for i in load_catalogue().indicators}


def _case(sub: Submission, context: SourceContext) -> Case | RowError:
    reference = str(sub.answers.values.get("case_reference") or "").strip()
    if not reference:
        return RowError(sub.row, "case_reference", "required")
    found = policy.scope_cases(context.user, "view").filter(reference__iexact=reference).first()
    if found is None:
        return RowError(sub.row, "case_reference", f"no case {reference!r} that you may see")
    return found


def _applied(
    sub: Submission,
    context: SourceContext,
    form_id: str,
    record: Callable[[Case], Made],
    correct: Callable[[Case, int], Made],
    made: Reason,
) -> Result:
    """Find the case, skip a submission already applied to it (or replaced by a later edit),
    correct what an edit's predecessor became, else record it once."""
    if not sub.instance_id:
        return [RowError(sub.row, "meta/instanceID", "required")]
    case = _case(sub, context)
    if isinstance(case, RowError):
        return [case]
    seen = FieldSubmission.objects.filter(case=case, form=form_id, instance_id=sub.instance_id)
    if seen.exists() or fieldedits.replaced(form_id, sub.instance_id):
        return Applied(unchanged=1)
    edit = sub.version
    prior = fieldedits.latest(form_id, edit.predecessors()) if edit.is_edit else None
    if edit.is_edit and prior is None and not sub.final:
        return DEFER
    if prior is not None and prior.case_id != case.pk:
        return [
            RowError(
                sub.row,
                "case_reference",
                f"this edit names {case.reference}, but the submission it edits was recorded "
                "on another case: correct it there, or submit it anew",
            )
        ]
    try:
        with transaction.atomic():
            done = record(case) if prior is None else correct(case, prior.record_id)
            if isinstance(done, list):
                return done
            FieldSubmission.objects.create(
                case=case,
                form=form_id,
                instance_id=sub.instance_id,
                deprecated_id=edit.deprecated_id,
                root_id=(prior.root_id or prior.instance_id)
                if prior is not None
                else (edit.root_id or sub.instance_id),
                record_id=done,
                imported_by=context.user,
            )
    except NotFound:  # the case is seen, but this role may not screen it
        return [RowError(sub.row, "case_reference", f"your role may not record this on {case}")]
    except DomainError as exc:
        return [RowError(sub.row, exc.field or "case_reference", str(exc.reason))]
    if prior is not None:
        return Applied(updated=1)
    if edit.is_edit:  # its predecessor is nowhere: applied as new, and the user told so
        context.warnings.append(fieldedits.unknown_predecessor(sub.row, edit, made))
    return Applied(created=1)


def apply_screening(sub: Submission, context: SourceContext) -> Result:
    """A screening of the named case, as the screening page would record it."""
    answers, errors = _screening_answers(sub)
    if errors:
        return errors

    def record(case: Case, corrects: ScreeningResult | None = None) -> Made:
        at = _when(sub.completed)
        if corrects is not None:  # a correction is made now, after every screening so far
            last = ScreeningResult.objects.filter(case=case).order_by("-screened_at").first()
            at = max(at, last.screened_at if last is not None else at)
        try:
            row = screening_services.screen_case(
                context.user, case, answers, at=at, source=SOURCE, corrects=corrects
            )
        except ScreeningInputError as exc:
            return [RowError(sub.row, _screening_question(exc.field), exc.message)]
        except ValueError:  # dated before the case's last screening
            return [
                RowError(
                    sub.row,
                    "end",
                    f"completed {at:%Y-%m-%d %H:%M}, before the case's last screening: "
                    "screenings are kept in the order they were made",
                )
            ]
        return int(row.pk)

    def correct(case: Case, screening_id: int) -> Made:
        return record(case, ScreeningResult.objects.get(pk=screening_id, case=case))

    return _applied(sub, context, "lantern_screening", record, correct, fieldedits.NEW_SCREENING)


def _screening_answers(sub: Submission) -> tuple[dict[str, Any], list[RowError]]:
    """The form's answers as ``lantern screen`` input; a blank answer is unknown (left out)."""
    values, errors = sub.answers.values, []
    out: dict[str, Any] = {}
    age: dict[str, Any] = {}
    if given(values.get("age")):
        years = _whole(values["age"])
        if years is None:
            errors.append(RowError(sub.row, "age", f"{values['age']!r} is not a whole number"))
        age["years"] = years
    if given(values.get("age_basis")):
        age["basis"] = str(values["age_basis"]).strip()
    if given(values.get("reasons_to_believe_child")):
        age["reasons_to_believe_child"] = _yes_no(sub, "reasons_to_believe_child", errors)
    if age:
        out["age"] = age
    for name in ("acts", "means", "purposes"):
        if given(values.get(name)):
            out[name] = _choices(values[name])
    indicators = {}
    for question, indicator in _indicator_ids().items():
        if given(values.get(question)):
            indicators[indicator] = str(values[question]).strip()
    if indicators:
        out["indicators"] = indicators
    return out, errors


def apply_followup(sub: Submission, context: SourceContext) -> Result:
    """A follow-up visit of the named case: the visit scheduled for about that day if there is
    one open (from ``EARLY_DAYS`` before it was due), else a visit of its own."""
    values = sub.answers.values
    if not given(values.get("visit_date")):
        return [RowError(sub.row, "visit_date", "required")]
    try:
        day = dt.date.fromisoformat(str(values["visit_date"])[:10])
    except ValueError:
        return [RowError(sub.row, "visit_date", f"{values.get('visit_date')!r} is not a date")]
    scores, errors = {}, []
    for item in WellbeingItem.values:
        if given(values.get(item)):
            score = _whole(values[item])
            if score is None:
                errors.append(RowError(sub.row, item, f"{values[item]!r} is not a whole number"))
            else:
                scores[item] = score
    if errors:
        return errors
    done_at = _done_at(day, sub.completed)
    visit_said: dict[str, Any] = {
        "wellbeing": scores,
        "retrafficking_risk": str(values.get("retrafficking_risk") or "").strip(),
        "notes": str(values.get("notes") or ""),
        "source": SOURCE,
        "done_at": done_at,
    }

    def record(case: Case) -> int:
        scheduled = (
            FollowUpVisit.objects.filter(
                case=case,
                kind="visit",
                done_at__isnull=True,
                scheduled_for__lte=day + dt.timedelta(days=EARLY_DAYS),
            )
            .order_by("-scheduled_for", "-id")
            .first()
        )
        if scheduled is not None:
            return int(visits.record_visit(context.user, scheduled, **visit_said).pk)
        return int(visits.record_unscheduled_visit(context.user, case, **visit_said).pk)

    def correct(case: Case, visit_id: int) -> Made:
        visit = FollowUpVisit.objects.get(pk=visit_id, case=case)
        return int(visits.correct_visit(context.user, visit, **visit_said).pk)

    return _applied(sub, context, "lantern_followup", record, correct, fieldedits.NEW_VISIT)


def _done_at(day: dt.date, completed: str) -> dt.datetime:
    """The visit's time: the device's when it finished the form that day, else midday, or
    now when a visit of today is sent before midday (a visit cannot be in the future)."""
    finished = _parse(completed)
    if finished is not None and timezone.localtime(finished).date() == day:
        return finished
    midday = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    return min(midday, timezone.now()) if day == timezone.localdate() else midday


def _when(completed: str) -> dt.datetime:
    """When the screening was made: the device's end time, never later than now."""
    found = _parse(completed)
    return min(found, timezone.now()) if found is not None else timezone.now()


def _parse(text: str) -> dt.datetime | None:
    try:
        found = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if timezone.is_aware(found) else timezone.make_aware(found, dt.UTC)


def _whole(value: Any) -> int | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number == int(number) else None


def _yes_no(sub: Submission, name: str, errors: list[RowError]) -> bool | None:
    text = str(sub.answers.values[name]).strip()
    if text not in _ANSWER:
        errors.append(RowError(sub.row, name, f"{text!r} is not yes, no or unknown"))
    return _ANSWER.get(text)


def _choices(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else str(value).split()


def _screening_question(field: str) -> str:
    """A screening input's field (``indicators.D4.excessive_hours``) as the form asks it."""
    if field in _AGE_FIELDS:
        return _AGE_FIELDS[field]
    if field.startswith("indicators."):
        return field.removeprefix("indicators.").replace(".", "_")
    return field


def forms() -> tuple[FieldForm, ...]:
    """The forms applied here, for ``settings.LANTERN_FIELD_FORMS``."""
    return (
        FieldForm(
            "lantern_followup",
            "visit_date",
            _questions("lantern_followup"),
            frozenset(),
            apply_followup,
        ),
        FieldForm(
            "lantern_screening",
            "case_reference",
            _questions("lantern_screening"),
            frozenset({"acts", "means", "purposes"}),
            apply_screening,
        ),
    )
