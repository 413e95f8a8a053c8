"""The case list's filters (a Django form keeps what the user typed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.cases.models import HtcdsStatus
from lantern.edges.language import reader_language
from lantern.taxonomy import code_list


def _choices(name: str) -> list[tuple[str, str]]:
    """A code list as choices, labelled in the reader's language."""
    return [("", str(_("Any"))), *code_list(name).choices(reader_language())]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *HtcdsStatus.choices]
    )
    agency = forms.CharField(label=_("Agency"), required=False, max_length=64)
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False, choices=[])
    citizenship = forms.CharField(label=_("Citizenship (ISO3)"), required=False, max_length=3)
    gender = forms.ChoiceField(label=_("Sex / gender"), required=False, choices=[])
    age_group = forms.ChoiceField(label=_("Age group"), required=False, choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["form"].choices = _choices("exploitation_forms")  # type: ignore[attr-defined]
        self.fields["gender"].choices = _choices("genders")  # type: ignore[attr-defined]
        self.fields["age_group"].choices = [  # type: ignore[attr-defined]
            c for c in _choices("age_groups") if c[0] == "" or c[0].startswith("child_")
        ]
