"""Safety forms: a risk assessment and a placement in a shelter or safe room."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges import fields as f
from lantern.protection import record
from lantern.protection.formfields import level


class RiskForm(forms.Form):
    immediate_needs = f.checks(_("Immediate needs"))
    risk_to_child = level(_("Risk to the child"))
    risk_to_family = level(_("Risk to the family"))
    risk_to_helpers = level(_("Risk to helpers and staff"))
    family_involved = f.tri_field(_("Was the family involved in the trafficking?"))
    notes = f.text(_("Notes"), area=True, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f.set_choices(self, "immediate_needs", f.codes("support_types"))


class PlacementForm(forms.Form):
    place = forms.ChoiceField(label=_("Shelter or safe room"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=f.date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = record.safe_places_for(user)
        f.set_choices(self, "place", [("", "—"), *((str(p.pk), p.name) for p in places)])
