"""The coordinator's forms: the plan, a programme, a target with its indicator, a figure.

Each form only parses what the user typed; the service decides, and a refused form is shown
again with what was typed and the service's reason beside its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantern.directory.forms import organisation_choices
from lantern.edges.areas import AreasField
from lantern.edges.fields import CountryField, checks, codes, date_input, set_choices, text
from lantern.response.programmes.models import Direction, IndicatorKind, NationalPlan

#: the statistics filters a target's form offers: dimension -> form field
FILTER_FIELDS = {
    "origin_province": "origin_province",
    "origin": "origin",
    "form": "form",
    "sex": "sex",
    "majority": "majority",
}


def _dates(raw: str, label: Any) -> list[dt.date]:
    out = []
    for part in raw.replace(";", ",").split(","):
        if part.strip():
            try:
                out.append(dt.date.fromisoformat(part.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a date (YYYY-MM-DD)"), params={"value": part.strip()}
                ) from None
    return out


class GovernanceForm(forms.Form):
    """The responsible body and the partners, from the directory."""

    responsible = forms.ChoiceField(label=_("Responsible body"))
    partners = checks(_("Partners"))

    def __init__(self, *args: Any, kept: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = organisation_choices(kept)
        set_choices(self, "responsible", [("", "—"), *orgs])
        set_choices(self, "partners", orgs)


class PlanForm(GovernanceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=date_input())
    next_review = forms.DateField(label=_("Next review"), required=False, widget=date_input())
    field_order = ["title", "starts_on", "ends_on", "responsible", "partners", "next_review"]


class ProgrammeForm(GovernanceForm):
    plan = forms.ChoiceField(label=_("National plan"))
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = text(_("Goal"), area=True, max_length=2000)
    areas = AreasField(_("Areas"))
    starts_on = forms.DateField(label=_("Starts on"), widget=date_input())
    deadline = forms.DateField(label=_("Deadline"), widget=date_input())
    review_dates = text(_("Review dates (YYYY-MM-DD, separated by commas)"), max_length=1000)
    field_order = [
        "plan",
        "title",
        "goal",
        "areas",
        "starts_on",
        "deadline",
        "responsible",
        "partners",
        "review_dates",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plans = [(str(p.pk), p.title) for p in NationalPlan.objects.all()]
        set_choices(self, "plan", [("", "—"), *plans])
        unplaced = kwargs.get("initial", {}).get("unmatched_areas")
        if unplaced:  # text an earlier version kept: shown until an area is chosen for it
            self.fields["areas"].help_text = _(
                "Written before areas were chosen from the list, not recognised: %(text)s. "
                "Choose the areas it means; saving replaces it."
            ) % {"text": "; ".join(unplaced)}

    def clean_review_dates(self) -> list[dt.date]:
        return _dates(self.cleaned_data["review_dates"], _("Review dates"))


class TargetForm(forms.Form):
    statement = forms.CharField(
        label=_("Target"),
        max_length=300,
        help_text=_("e.g. Reduce the children trafficked from Bagmati by 50% by 2027"),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    baseline_value = forms.FloatField(label=_("Baseline value"), min_value=0)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=1900, max_value=2200)
    target_value = forms.FloatField(label=_("Target value"), min_value=0)
    target_date = forms.DateField(label=_("Target date"), widget=date_input())
    indicator_kind = forms.ChoiceField(
        label=_("Indicator"),
        choices=IndicatorKind.choices,
        widget=forms.RadioSelect,
        initial=IndicatorKind.COMPUTED,
    )
    indicator_name = text(_("Indicator name"), max_length=200)
    unit = forms.ChoiceField(
        label=_("Counted (computed indicators)"),
        choices=[("children", _("Children")), ("cases", _("Cases"))],
    )
    origin_province = text(_("Province of origin"), max_length=100)
    origin = CountryField(_("Country of origin"))
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    majority = forms.ChoiceField(
        label=_("Child or adult"),
        required=False,
        choices=[
            ("", "—"),
            ("minor", pgettext_lazy("indicator filter", "Children (under 18)")),
            ("adult", pgettext_lazy("indicator filter", "Adults (18 and over)")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "form", codes("exploitation_forms", blank=True))
        set_choices(self, "sex", codes("genders", blank=True))

    def filters(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(dim, d[name]) for dim, name in FILTER_FIELDS.items() if d.get(name)]


class ValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    value = forms.FloatField(label=_("Value"), min_value=0)
    low = forms.FloatField(label=_("Lower bound (if the source gives one)"), required=False)
    high = forms.FloatField(label=_("Upper bound (if the source gives one)"), required=False)
    source_text = forms.CharField(label=_("Source"), max_length=300)
