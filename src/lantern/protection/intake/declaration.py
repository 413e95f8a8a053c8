"""One declaration per intake channel: its fields, from which the page form and the API body
are both built, so that the two accept and refuse the same input.

A field says its name, kind, label, whether it must be given, its choices and its bounds. The
service stays the judge of what the declaration cannot say (a code in the countries list, a
return passage when nobody met the child): form and API show its reason as it gave it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, create_model
from pydantic import Field as SchemaField

from lantern.cases.models import Case
from lantern.edges.bounds import AGE_MAX, LIST_MAX, NAME_MAX, TEXT_MAX, Id, clean_text
from lantern.edges.fields import TRI, TRI_CHOICES, codes
from lantern.protection.formfields import directory
from lantern.protection.intake import service
from lantern.protection.intake.models import Concern, Severity
from lantern.taxonomy import code_list


class Kind(enum.Enum):
    TEXT = "text"
    DATE = "date"
    INT = "int"
    CODE = "code"  # one code of ``choices`` (blank unless required)
    CODES = "codes"  # any number of codes of ``choices``
    TRI = "tri"  # yes / no / unknown -> True / False / None
    YES_NO = "yes_no"  # yes / no -> True / False
    ORGANISATION = "organisation"  # an organisation of the directory, by id
    COUNTRY = "country"  # an ISO 3166 alpha-3 code, upper-cased (the service checks the list)
    COUNTRIES = "countries"  # the same, as a list (the page asks for one)


Choices = type[models.Choices] | str  # TextChoices, or the name of a taxonomy list


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    label: Any
    required: bool = False
    choices: Choices | None = None
    max_length: int = NAME_MAX
    minimum: int | None = None
    maximum: int | None = None
    area: bool = False  # a text box of several lines
    no_label: Any = None  # YES_NO: how the page words "no" (else "No")

    def options(self) -> list[tuple[str, Any]]:
        """The choices, labelled in the reader's language."""
        if self.choices is None:
            return []
        if isinstance(self.choices, str):
            return codes(self.choices)
        return list(self.choices.choices)

    def allows(self, code: str) -> bool:
        if isinstance(self.choices, str):
            return code in code_list(self.choices)
        return self.choices is not None and code in self.choices.values


@dataclass(frozen=True)
class Channel:
    """An intake channel: its own fields, the child's fields it asks, the service it calls."""

    name: str
    label: Any
    hint: Any
    service: Callable[..., Case]
    fields: tuple[Field, ...]
    child_fields: tuple[str, ...] = ()  # every field of CHILD unless narrowed

    def child(self) -> tuple[Field, ...]:
        return tuple(f for f in CHILD if not self.child_fields or f.name in self.child_fields)


def _text(name: str, label: Any, max_length: int = NAME_MAX, **kw: Any) -> Field:
    return Field(name, Kind.TEXT, label, max_length=max_length, **kw)


def _notes() -> Field:
    return _text("notes", _("Notes"), 4000, area=True)


# What is known of the child; everything may stay blank (the service presumes a minor).
CHILD: tuple[Field, ...] = (
    _text("given_name", _("Given name")),
    _text("family_name", _("Family name")),
    _text("nickname", _("Nickname")),
    Field("birthdate", Kind.DATE, _("Date of birth")),
    Field("age", Kind.INT, _("Age in years"), minimum=0, maximum=AGE_MAX),
    Field("age_evidence", Kind.CODE, _("How is the age known?"), choices="age_evidence"),
    Field("gender", Kind.CODE, _("Sex"), choices="genders"),
    Field("citizenship", Kind.COUNTRIES, _("Citizenship (ISO 3166 alpha-3, e.g. NPL)")),
    _text("identity_number", _("Identity number"), 100),
    _text("primary_language", _("Language"), 40),
    Field("home_country", Kind.COUNTRY, _("Home country (ISO3)")),
)

CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel(
            "transit_reception",
            _("Port or station reception"),
            _("An unaccompanied child met at a port, bus or train station."),
            service.transit_reception,
            (
                _text("place", _("Port or station")),
                _text("expected_contact", _("Who was expected to meet the child (relation)"), 40),
                Field(
                    "met_by_expected_contact",
                    Kind.YES_NO,
                    _("Was the child met by the expected family or contact?"),
                    required=True,
                    no_label=_("No, not met"),
                ),
                Field("return_passage_offered", Kind.TRI, _("Was a return passage home offered?")),
                _text("return_passage_provider", _("Who provides the return passage"), 500),
                Field(
                    "rights_information_given",
                    Kind.TRI,
                    _("Was the child told about their rights?"),
                ),
            ),
        ),
        Channel(
            "hotline",
            _("Hotline call"),
            _("A call about a child at risk."),
            service.hotline_call,
            (
                Field("concerns", Kind.CODES, _("What worried the caller"), choices=Concern),
                Field("severity", Kind.CODE, _("How grave is it"), required=True, choices=Severity),
                _text("place", _("Where (district, place)")),
                _notes(),
            ),
        ),
        Channel(
            "rescue",
            _("Police rescue handover"),
            _("A child rescued by law enforcement and handed over to services."),
            service.police_rescue,
            (
                _text("rescuing_unit", _("Rescuing unit")),
                Field("handed_over_to", Kind.ORGANISATION, _("Handed over to"), required=True),
                _text("place", _("Where")),
            ),
        ),
        Channel(
            "referral",
            _("Referral from another agency"),
            _("A child referred in by another organisation."),
            service.agency_referral,
            (
                _text("referring_organisation", _("Referring organisation")),
                _text("referral_reason", _("Reason for the referral"), 500),
            ),
        ),
        Channel(
            "self_referral",
            _("Self-referral"),
            _("A child who came for help on their own."),
            service.self_referral,
            (_text("place", _("Where the child came to")), _notes()),
        ),
        Channel(
            "community_report",
            _("Community report"),
            _("A short report by a community or transport worker."),
            service.community_report,
            (
                _text("place", _("Where did you see the child")),
                Field("concerns", Kind.CODES, _("What worried you"), choices=Concern),
                Field("severity", Kind.CODE, _("How urgent"), required=True, choices=Severity),
                _text("reporter_name", _("Your name (optional; only supervisors see it)")),
                _text("reporter_contact", _("Your phone (optional)")),
            ),
            # The minimal form: what a bus conductor or a neighbour can tell in a minute.
            child_fields=("given_name", "nickname", "age", "gender"),
        ),
    )
}


# --- the page form ----------------------------------------------------------------------------


def _upper(value: str | None) -> str:
    return (value or "").strip().upper()


def _form_field(f: Field, user: Any) -> forms.Field:
    """The Django field for ``f``; its cleaned value is what the service takes."""
    k, req = f.kind, f.required
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
        return forms.ChoiceField(label=f.label, required=req, choices=[*blank, *f.options()])
    if k is Kind.CODES:
        return forms.MultipleChoiceField(
            label=f.label,
            required=req,
            choices=f.options(),
            widget=forms.CheckboxSelectMultiple,
        )
    if k is Kind.TRI:
        return forms.TypedChoiceField(
            label=f.label,
            choices=TRI_CHOICES,
            coerce=TRI.get,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            initial="unknown",
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
    return forms.CharField(label=f.label, required=req, max_length=3)  # COUNTRY, COUNTRIES


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
                d[f.name] = _upper(d[f.name])
            elif f.kind is Kind.COUNTRIES and f.name in d:
                d[f.name] = (_upper(d[f.name]),) if _upper(d[f.name]) else ()
        return d

    def child(self) -> service.Child:
        d = self.cleaned_data
        return service.Child(**{f.name: d[f.name] for f in self.channel.child() if f.name in d})

    def child_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in self.channel.child()]

    def intake_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in self.channel.fields]

    def service_kwargs(self) -> dict[str, Any]:
        return {f.name: self.cleaned_data[f.name] for f in self.channel.fields}


def form_class(channel: Channel) -> type[IntakeForm]:
    """The page form of ``channel``: the child's fields it asks, then its own."""
    name = "".join(p.title() for p in channel.name.split("_")) + "Form"
    return type(name, (IntakeForm,), {"channel": channel})


# --- the API body -----------------------------------------------------------------------------


class _Body(Schema):
    """Request bodies refuse unknown fields: a misspelt or invented field is an error."""

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX)


def _member_of(f: Field) -> Callable[[str], str]:
    def check(code: str) -> str:
        if (code or f.required) and not f.allows(code):
            raise ValueError(f"{f.name}: {code!r} is not one of the codes offered")
        return code

    return check


def _schema_field(f: Field) -> tuple[Any, Any]:
    """(annotation, default) of ``f`` in the API body; the same bounds as the page form."""
    k, default = f.kind, ... if f.required else None
    if k is Kind.TEXT:
        text = Annotated[str, SchemaField(max_length=f.max_length), AfterValidator(clean_text)]
        return text, default or ""
    if k is Kind.DATE:
        return dt.date | None, default
    if k is Kind.INT:
        bounded = Annotated[int, SchemaField(ge=f.minimum, le=f.maximum)]
        return (bounded if f.required else bounded | None), default
    if k is Kind.CODE:
        return Annotated[str, AfterValidator(_member_of(f))], default or ""
    if k is Kind.CODES:
        item = Annotated[str, AfterValidator(_member_of(f))]
        return Annotated[list[item], SchemaField(max_length=LIST_MAX)], default or []  # type: ignore[valid-type]
    if k is Kind.TRI:
        return bool | None, None
    if k is Kind.YES_NO:
        return bool, ...
    if k is Kind.ORGANISATION:
        return (Id if f.required else Id | None), default
    iso3 = Annotated[str, SchemaField(max_length=3), AfterValidator(_upper)]
    if k is Kind.COUNTRY:
        return iso3, default or ""
    return Annotated[list[iso3], SchemaField(max_length=LIST_MAX)], default or []  # type: ignore[valid-type]


def _schema(name: str, fields: tuple[Field, ...], **extra: Any) -> type[Schema]:
    declared = {f.name: _schema_field(f) for f in fields}
    return create_model(name, __base__=_Body, **declared, **extra)  # type: ignore[call-overload,no-any-return]


def child_schema() -> type[Schema]:
    """What is known of the child, as an API body (every field of ``CHILD``)."""
    return _schema("ChildIn", CHILD)


def body_schema(channel: Channel) -> type[Schema]:
    """The API body of ``channel``: its own fields, the child under ``child``, ``confirm_new``.

    ``Child(**body.child.model_dump())`` (citizenship as a tuple) is the service's child.
    """
    child = child_schema()
    name = "".join(p.title() for p in channel.name.split("_")) + "In"
    return _schema(
        name,
        channel.fields,
        child=(child, SchemaField(default_factory=child)),
        confirm_new=(bool, False),
    )
