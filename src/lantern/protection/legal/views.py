"""The legal track on the case page: open a proceeding, update it, log its steps."""

from __future__ import annotations

from lantern.protection.legal import service as legal
from lantern.protection.legal.forms import LegalForm, LegalUpdateForm, ProceedingEventForm
from lantern.protection.registry import CaseForm, Submission


def _update(s: Submission) -> None:
    assert isinstance(s.form, LegalUpdateForm)
    legal.update_proceeding(s.user, s.row, source=s.source, **s.form.service_kwargs())


def _event(s: Submission) -> None:
    assert isinstance(s.form, ProceedingEventForm)
    legal.record_event(s.user, s.row, source=s.source, **s.form.service_kwargs())


CASE_FORMS = (
    CaseForm(
        "legal",
        LegalForm,
        "legal",
        lambda s: legal.open_proceeding(s.user, s.case, source=s.source, **s.data),
    ),
    CaseForm("legal_update", LegalUpdateForm, "legal", _update, rows="legal_proceedings"),
    CaseForm("legal_event", ProceedingEventForm, "legal", _event, rows="legal_proceedings"),
)
