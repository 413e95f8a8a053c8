"""Follow-up on the case page: the wellbeing baseline, visits scheduled and recorded."""

from __future__ import annotations

from lantern.protection.followup import service as followup
from lantern.protection.followup.forms import ScheduleForm, VisitForm, WellbeingForm
from lantern.protection.registry import CaseForm, Submission


def _baseline(s: Submission) -> None:
    assert isinstance(s.form, WellbeingForm)
    followup.record_baseline(
        s.user, s.case, wellbeing=s.form.scores(), notes=s.data["notes"], source=s.source
    )


def _visit(s: Submission) -> None:
    assert isinstance(s.form, VisitForm)
    followup.record_visit(
        s.user,
        s.row,
        wellbeing=s.form.scores(),
        retrafficking_risk=s.data["retrafficking_risk"],
        notes=s.data["notes"],
        source=s.source,
    )


CASE_FORMS = (
    CaseForm("baseline", WellbeingForm, "follow-up", _baseline),
    CaseForm(
        "schedule",
        ScheduleForm,
        "follow-up",
        lambda s: followup.schedule(s.user, s.case, on=s.data["scheduled_for"], source=s.source),
    ),
    CaseForm("visit", VisitForm, "follow-up", _visit, rows="visits"),
)
