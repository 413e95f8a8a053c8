"""The care plan on the case page: a draft, then submit, approve or revise it."""

from __future__ import annotations

from django import forms

from lantern.protection.careplan import service as careplan
from lantern.protection.careplan.forms import CarePlanForm
from lantern.protection.registry import CaseForm, Submission


def _draft(s: Submission) -> None:
    assert isinstance(s.form, CarePlanForm)
    careplan.draft(s.user, s.case, source=s.source, **s.form.service_kwargs())


def _plan_action(s: Submission) -> None:
    """The button pressed on a plan: approve, revise, else submit it for approval."""
    action = s.post.get("action")
    if action == "approve":
        careplan.approve(s.user, s.row, s.source)
    elif action == "revise":
        careplan.revise(s.user, s.row, s.source)
    else:
        careplan.submit(s.user, s.row, s.source)


CASE_FORMS = (
    CaseForm("plan", CarePlanForm, "care-plan", _draft, with_user=True),
    CaseForm("plan_action", forms.Form, "care-plan", _plan_action, rows="care_plans"),
)
