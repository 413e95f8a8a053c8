"""The register's forms: look-up, identifiers, a justice step, a caseworker's report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import codes, date_input, text
from lantern.perpetrators.models import JusticeStage, PerpetratorKind

SEARCH_KINDS = [
    ("name", _("Name or alias")),
    ("phone", _("Phone number")),
    ("vehicle", _("Vehicle")),
]
# the identifier fields of the report and identifier forms, each an IdentifierKind
IDENTIFIER_FIELDS = ("name", "alias", "phone", "vehicle", "place")


class SearchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Look up by"), choices=SEARCH_KINDS, initial="name")
    value = forms.CharField(
        label=_("Exact value"),
        max_length=200,
        required=False,
        help_text=_("An exact name, phone number or plate: the register finds only exact matches."),
    )


class IdentifiersForm(forms.Form):
    """Names, an alias, a phone, a vehicle, a place; and the record's kind and sex."""

    kind = forms.ChoiceField(
        label=_("Person or business"),
        choices=[("", "—"), *PerpetratorKind.choices],
        required=False,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=(), required=False)
    name = text(_("Name"), max_length=200)
    alias = text(_("Alias or nickname"), max_length=200)
    phone = text(_("Phone number"), max_length=200)
    vehicle = text(_("Vehicle (plate or description)"), max_length=200)
    place = text(_("Place where they operate"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = codes("genders", blank=True)  # type: ignore[attr-defined]

    def identifiers(self) -> list[tuple[str, str]]:
        return [
            (k, self.cleaned_data[k].strip())
            for k in IDENTIFIER_FIELDS
            if self.cleaned_data.get(k, "").strip()
        ]


class ReportForm(IdentifiersForm):
    """What a child says about one of the case's suspected traffickers."""

    field_order = ["role_id", *IdentifiersForm.base_fields]
    role_id = forms.ChoiceField(label=_("Suspected trafficker"), choices=())

    def __init__(self, roles: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role_id"].choices = roles  # type: ignore[attr-defined]


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Step"), choices=JusticeStage.choices)
    date = forms.DateField(label=_("Date"), widget=date_input())
    case_ids = forms.MultipleChoiceField(
        label=_("Children's cases concerned"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sentence_months = forms.IntegerField(
        label=_("Sentence (months)"), required=False, min_value=0, max_value=1200
    )

    def __init__(self, cases: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_ids"].choices = cases  # type: ignore[attr-defined]
