"""Legal track forms: open a proceeding, update it, log a hearing or interview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import TRI, checks, date_input, text, tri_field
from lantern.protection.legal.models import (
    ProceedingKind,
    ProceedingStatus,
    ProceedingStep,
    TestimonyMeasure,
)


class LegalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Proceeding"), choices=ProceedingKind.choices)
    lawyer_name = text(_("The child's lawyer"), max_length=200)
    accompaniment = text(_("Who accompanies the child (name or role)"), max_length=200)
    testimony_measures = checks(_("Child-friendly testimony measures"), TestimonyMeasure.choices)
    non_punishment_invoked = forms.BooleanField(
        label=_("Non-punishment principle invoked"), required=False
    )
    notes = text(_("Notes"), area=True, max_length=8000)


class LegalUpdateForm(forms.Form):
    """Hearings and interviews are logged with their own form (``ProceedingEventForm``)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *ProceedingStatus.choices]
    )
    accompaniment = text(_("Who accompanies the child (name or role)"), max_length=200)
    child_detained_or_charged = tri_field(_("Is the child detained or charged?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompaniment"].help_text = _("Leave blank to keep the current assignment.")

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "status": d["status"] or None,
            "accompaniment": d["accompaniment"] or None,
            "child_detained_or_charged": TRI[d["child_detained_or_charged"]],
        }


class ProceedingEventForm(forms.Form):
    """A hearing, interview or other step that took place, and who stood by the child."""

    kind = forms.ChoiceField(label=_("Step"), choices=ProceedingStep.choices)
    held_on = forms.DateField(label=_("Held on"), widget=date_input())
    held_at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = text(_("Court or office"), max_length=200)
    accompanied = forms.ChoiceField(
        label=_("Was the child accompanied?"),
        choices=[("yes", _("Yes")), ("no", _("No, the child was alone"))],
        widget=forms.RadioSelect,
    )
    accompanied_by = text(_("Accompanied by (name or role)"), max_length=200)
    testimony_measures = checks(_("Testimony measures used"), TestimonyMeasure.choices)
    outcome = text(_("Outcome or notes"), area=True, max_length=8000)

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.cleaned_data, "accompanied": self.cleaned_data["accompanied"] == "yes"}
