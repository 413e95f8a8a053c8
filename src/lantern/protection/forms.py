"""The case's own forms on its protection page: a lifecycle move, a consent answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.cases.services.consent import ConsentGiver
from lantern.edges.fields import TRI_CHOICES, codes, set_choices, text


class TransitionForm(forms.Form):
    reason = text(_("Reason for the change"))


class ConsentForm(forms.Form):
    item = forms.ChoiceField(label=_("Consent to"))
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    value = forms.ChoiceField(
        label=_("Answer"), choices=TRI_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "item", codes("consent_items"))
