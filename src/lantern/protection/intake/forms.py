"""The page form of each intake channel, built from its declaration (``intake.declaration``).

The API body (``intake.schemas``) is built from the same declaration, with the same bounds; the
service (``intake.service.open_case``) checks the cleaned values against it once more.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import TRI, TRI_CHOICES, CountryField, codes
from lantern.protection.formfields import directory
from lantern.protection.intake import service
from lantern.protection.intake.declaration import Channel, Field, Kind, iso3


def _options(f: Field) -> list[tuple[str, Any]]:
    """The choices of ``f``, labelled in the reader's language."""
    if f.choices is None:
        return []
    if isinstance(f.choices, str):
        return codes(f.choices)
    return list(f.choices.choices)


def _form_field(f: Field, user: Any) -> forms.Field:
    """The Django field for ``f``; its cleaned value is what the service takes."""
    k, req = f.kind, f.required_at_edge
    if k is Kind.TEXT:
        widget = forms.Textarea(attrs={"rows": 3}) if f.area else forms.TextInput()
        return forms.CharField(label=f.label, required=req, max_length=f.max_length, widget=widget)
    if k is Kind.DATE:
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(label=f.label, required=req, widget=widget)
    if k is Kind.INT:
        return forms.IntegerField(
            label=f.label,
            required=req,
            min_value=f.minimum,
            max_value=f.maximum,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    if k is Kind.CODE:
        blank = [] if req else [("", "—")]
        return forms.ChoiceField(label=f.label, required=req, choices=[*blank, *_options(f)])
    if k is Kind.CODES:
        return forms.MultipleChoiceField(
            label=f.label,
            required=req,
            choices=_options(f),
            widget=forms.CheckboxSelectMultiple,
        )
    if k is Kind.TRI:
        asked = TRI_CHOICES if f.offers_unknown else [c for c in TRI_CHOICES if c[0] != "unknown"]
        return forms.TypedChoiceField(
            label=f.label,
            choices=asked,
            coerce=TRI.get,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            initial="unknown" if f.offers_unknown else None,
        )
    if k is Kind.YES_NO:
        return forms.TypedChoiceField(
            label=f.label,
            choices=[("yes", _("Yes")), ("no", f.no_label or _("No"))],
            coerce=lambda v: v == "yes",
            required=True,
            widget=forms.RadioSelect,
        )
    if k is Kind.ORGANISATION:
        return forms.TypedChoiceField(
            label=f.label, choices=directory(user), coerce=int, required=req
        )
    return CountryField(f.label, required=req)  # COUNTRY, COUNTRIES: one, chosen by name


class IntakeForm(forms.Form):
    """A channel's page form; built by ``form_class`` from the channel's declaration."""

    channel: Channel

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in (*self.channel.child(), *self.channel.fields):
            self.fields[f.name] = _form_field(f, user)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        for f in (*self.channel.child(), *self.channel.fields):
            if f.kind is Kind.COUNTRY and f.name in d:
                d[f.name] = iso3(d[f.name])
            elif f.kind is Kind.COUNTRIES and f.name in d:
                d[f.name] = (iso3(d[f.name]),) if iso3(d[f.name]) else ()
        return d

    def child(self) -> service.Child:
        d = self.cleaned_data
        return service.Child(**{f.name: d[f.name] for f in self.channel.child() if f.name in d})

    def child_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in self.channel.child()]

    def intake_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in self.channel.fields]

    def facts(self) -> dict[str, Any]:
        """The channel's facts as ``service.open_case`` takes them."""
        return {f.name: self.cleaned_data[f.name] for f in self.channel.fields}


def form_class(channel: Channel) -> type[IntakeForm]:
    """The page form of ``channel``: the child's fields it asks, then its own."""
    name = "".join(p.title() for p in channel.name.split("_")) + "Form"
    return type(name, (IntakeForm,), {"channel": channel})
