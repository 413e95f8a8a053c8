"""Form fields the pages share, and the one way a coded value gets its label.

Codes are labelled from their one source: a model's ``TextChoices`` (``label_of``) or a
taxonomy list in the reader's language (``codes``). Tri-state answers (yes / no / unknown)
are a form's way of asking, not a vocabulary of the record.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.edges.language import reader_language
from lantern.taxonomy import UnknownCode, code_list

TRI_CHOICES = [("unknown", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
TRI: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def label_of(choices: type[models.Choices], code: Any) -> Any:
    """``code``'s label in ``choices``; an unknown or legacy code is shown as it is."""
    try:
        return choices(code).label
    except ValueError:
        return code


def codes(list_name: str, blank: bool = False) -> list[tuple[str, str]]:
    """A taxonomy list as choices, labelled in the reader's language."""
    choices = code_list(list_name).choices(reader_language())
    return [("", "—"), *choices] if blank else choices


def taxonomy_label(value: Any, list_name: str) -> str:
    """``value``'s label in the taxonomy list, in the reader's language; a value the list
    does not know is shown as it is (legacy or imported codes), blank as blank."""
    if value in (None, ""):
        return ""
    try:
        return code_list(list_name).resolve(str(value)).label(reader_language())
    except (UnknownCode, LookupError, ValueError):
        return str(value)


def _sort_key(label: str) -> str:
    """Alphabetical order as a reader expects it: accents and case do not move a name."""
    plain = unicodedata.normalize("NFKD", label)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """Every ISO 3166 country, by its name in the reader's language, in that name's order;
    the value is the alpha-3 code the store keeps."""
    named = code_list("countries").choices(reader_language())
    return [("", "—"), *sorted(named, key=lambda c: _sort_key(c[1]))]


class CountryField(forms.ChoiceField):
    """A country chosen by its name; the cleaned value is its ISO alpha-3 code.

    The choices are built when the form is shown, in the reader's language. A code typed in
    a link (``?citizenship=npl``) is taken in any case, as the store keeps it upper-cased.
    """

    def __init__(self, label: Any, *, required: bool = False) -> None:
        super().__init__(label=label, required=required, choices=country_choices)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def checks(label: Any, choices: Any = ()) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def tri_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=TRI_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )


def text(label: Any, *, area: bool = False, max_length: int = 500) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
