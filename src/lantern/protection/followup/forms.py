"""Follow-up forms: the wellbeing baseline, a visit scheduled, a visit recorded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import date_input, text
from lantern.protection.followup.models import WellbeingItem
from lantern.protection.formfields import level

SCORE_CHOICES = [
    ("", "—"),
    ("0", _("0 · very poor")),
    ("1", _("1 · poor")),
    ("2", _("2 · fair")),
    ("3", _("3 · fairly good")),
    ("4", _("4 · good")),
]


class WellbeingForm(forms.Form):
    """The five-item instrument, 0 (very poor) to 4 (good); blanks are the service's error."""

    notes = text(_("Notes"), area=True, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item, label in WellbeingItem.choices:
            self.fields["wb_" + item] = forms.ChoiceField(
                label=label, choices=SCORE_CHOICES, required=False
            )

    def scores(self) -> dict[str, int]:
        d = self.cleaned_data
        return {i: int(d["wb_" + i]) for i in WellbeingItem.values if d.get("wb_" + i)}

    def score_fields(self) -> list[forms.BoundField]:
        return [self["wb_" + i] for i in WellbeingItem.values]


class VisitForm(WellbeingForm):
    retrafficking_risk = level(_("Re-trafficking risk"))


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateField(label=_("Visit on"), widget=date_input())
