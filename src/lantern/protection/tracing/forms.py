"""Family tracing forms: a relative's request, the decision on a candidate, a family assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import text, tri_field
from lantern.protection.formfields import level
from lantern.protection.tracing.models import FamilyDecision, Relation


class TracingForm(forms.Form):
    requester_relation = forms.ChoiceField(label=_("Who is looking"), choices=Relation.choices)
    requester_name = text(_("Their name"), max_length=200)
    requester_contact = text(_("Their contact"), max_length=200)
    sought_given_name = text(_("Given name of the child sought"), max_length=200)
    sought_family_name = text(_("Family name of the child sought"), max_length=200)
    sought_birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sought_home = text(_("Home village or district"), max_length=200)


class DecideForm(forms.Form):
    reason = text(_("Why (what identified or excluded the child)"))


class FamilyForm(forms.Form):
    safe = tri_field(_("Is the family safe for the child?"))
    family_rejects_child = tri_field(_("Does the family reject the child?"))
    family_involved = tri_field(_("Was the family involved in the trafficking?"))
    retrafficking_risk = level(_("Re-trafficking risk"))
    decision = forms.ChoiceField(label=_("Decision"), choices=FamilyDecision.choices)
    findings = text(_("Findings"), area=True, max_length=8000)
