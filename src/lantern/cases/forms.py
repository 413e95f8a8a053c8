"""The case list's filters (a Django form keeps what the user typed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import User
from lantern.cases.models import HtcdsStatus
from lantern.edges.fields import CountryField
from lantern.edges.language import reader_language
from lantern.taxonomy import code_list


def _choices(name: str) -> list[tuple[str, str]]:
    """A code list as choices, labelled in the reader's language."""
    return [("", str(_("Any"))), *code_list(name).choices(reader_language())]


class CaseFilterForm(forms.Form):
    """Filters chosen by name: an agency by its name, a country by its name in the reader's
    language; the values stay the codes the API's query takes (``?agency=&citizenship=``)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *HtcdsStatus.choices]
    )
    agency = forms.ChoiceField(label=_("Agency"), required=False, choices=[])
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registered_to = forms.DateField(
        label=_("Registered to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False, choices=[])
    citizenship = CountryField(_("Citizenship"))
    gender = forms.ChoiceField(label=_("Sex / gender"), required=False, choices=[])
    age_group = forms.ChoiceField(label=_("Age group"), required=False, choices=[])
    owner = forms.ChoiceField(label=_("Owner"), required=False, choices=[])

    def __init__(
        self,
        *args: object,
        agencies: Sequence[tuple[str, str]] = (),
        workers: Sequence[User] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("Any")),
            ("me", _("My cases")),
            ("none", _("No owner yet")),
            *((str(w.pk), w.get_full_name() or w.username) for w in workers),
        ]
        self.fields["agency"].choices = [("", _("Any")), *agencies]  # type: ignore[attr-defined]
        self.fields["form"].choices = _choices("exploitation_forms")  # type: ignore[attr-defined]
        self.fields["gender"].choices = _choices("genders")  # type: ignore[attr-defined]
        self.fields["age_group"].choices = [  # type: ignore[attr-defined]
            c
            for c in _choices("age_groups")
            if c[0] == "" or c[0].startswith("child_") or c[0] == "minor_unknown"
        ]


class AssignForm(forms.Form):
    """Give a case (or, on the caseload page, the cases ticked) an owner: the assigner's
    agency's casework staff to choose from; the reason is asked for a reassignment."""

    owner = forms.TypedChoiceField(label=_("Caseworker"), coerce=int, choices=[])
    reason = forms.CharField(
        label=_("Reason (required when the case already has an owner)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: object, workers: Sequence[User] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [("", "—")] + [
            (w.pk, f"{w.get_full_name() or w.username} ({w.get_role_display()})") for w in workers
        ]


class BulkAssignForm(AssignForm):
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"), coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, cases: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, str(pk)) for pk in cases]
        field.error_messages["required"] = _("Choose at least one case.")
