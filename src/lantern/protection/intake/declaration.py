"""One declaration per intake channel: its fields, from which the page form
(``intake.forms``), the API body (``intake.schemas``) and the service's checks
(``intake.service.open_case``) are all built, so that the three accept and refuse alike.

A field says its name, kind, label, whether it must be given, its choices and its bounds. What
a field cannot say (a return passage when nobody met the child) is a named rule of the channel
in the service; form and API show its reason as it gave it.

This module is plain data: it imports neither Django's forms nor ninja, so that the service
(below the page and the router) reads the same declaration the builders read.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.edges.bounds import AGE_MAX, NAME_MAX
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
    COUNTRY = "country"  # an ISO 3166 alpha-3 code, upper-cased
    COUNTRIES = "countries"  # the same, as a list (the page asks for one)


EDGE_OPTIONAL = (Kind.TEXT, Kind.CODES)  # see Field.required_at_edge


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
    # TRI: whether the page offers (and preselects) "Unknown". A question a channel's rule
    # may require answered (a return passage when nobody met the child) offers yes and no
    # only, so that the page never preselects an answer the rule then refuses.
    offers_unknown: bool = True

    @property
    def required_at_edge(self) -> bool:
        """Whether the page form and the API body refuse the field left out.

        ``required`` is the service's rule: the value must be given and not blank. A required
        text or list of codes may still be sent blank: the service refuses it naming the field
        (``place: required``), the one reason the page and the API both show.
        """
        return self.required and self.kind not in EDGE_OPTIONAL

    def codes(self) -> tuple[str, ...]:
        """The codes ``choices`` allows, in their declared order."""
        if isinstance(self.choices, str):
            return code_list(self.choices).ids()
        return () if self.choices is None else tuple(self.choices.values)

    def allows(self, code: str) -> bool:
        if isinstance(self.choices, str):
            return code in code_list(self.choices)
        return self.choices is not None and code in self.choices.values


def iso3(value: str | None) -> str:
    """A country code as the store keeps it: stripped and upper-cased."""
    return (value or "").strip().upper()


@dataclass(frozen=True)
class Channel:
    """An intake channel: its own fields and the child's fields it asks."""

    name: str
    label: Any
    hint: Any
    fields: tuple[Field, ...]
    child_fields: tuple[str, ...] = ()  # every field of CHILD unless narrowed
    # What an age given on this channel rests on when nobody says (an ``age_evidence`` code):
    # a caller's or a bystander's figure is their estimate, not the child's own word.
    age_source: str = "stated"

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
    Field("citizenship", Kind.COUNTRIES, _("Citizenship")),
    _text("identity_number", _("Identity number"), 100),
    _text("primary_language", _("Language"), 40),
    Field("home_country", Kind.COUNTRY, _("Home country")),
)

CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel(
            "transit_reception",
            _("Port or station reception"),
            _("An unaccompanied child met at a port, bus or train station."),
            (
                _text("place", _("Port or station"), required=True),
                _text("expected_contact", _("Who was expected to meet the child (relation)"), 40),
                Field(
                    "met_by_expected_contact",
                    Kind.YES_NO,
                    _("Was the child met by the expected family or contact?"),
                    required=True,
                    no_label=_("No, not met"),
                ),
                Field(
                    "return_passage_offered",
                    Kind.TRI,
                    _("Was a return passage home offered?"),
                    offers_unknown=False,
                ),
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
            (
                Field(
                    "concerns",
                    Kind.CODES,
                    _("What worried the caller"),
                    required=True,
                    choices=Concern,
                ),
                Field("severity", Kind.CODE, _("How grave is it"), required=True, choices=Severity),
                _text("place", _("Where (district, place)")),
                _notes(),
            ),
            age_source="reporter_estimate",
        ),
        Channel(
            "rescue",
            _("Police rescue handover"),
            _("A child rescued by law enforcement and handed over to services."),
            (
                _text("rescuing_unit", _("Rescuing unit"), required=True),
                Field("handed_over_to", Kind.ORGANISATION, _("Handed over to"), required=True),
                _text("place", _("Where")),
            ),
        ),
        Channel(
            "referral",
            _("Referral from another agency"),
            _("A child referred in by another organisation."),
            (
                _text("referring_organisation", _("Referring organisation"), required=True),
                _text("referral_reason", _("Reason for the referral"), 500, required=True),
            ),
        ),
        Channel(
            "self_referral",
            _("Self-referral"),
            _("A child who came for help on their own."),
            (_text("place", _("Where the child came to")), _notes()),
        ),
        Channel(
            "community_report",
            _("Community report"),
            _("A short report by a community or transport worker."),
            (
                _text("place", _("Where did you see the child"), required=True),
                Field(
                    "concerns", Kind.CODES, _("What worried you"), required=True, choices=Concern
                ),
                Field("severity", Kind.CODE, _("How urgent"), required=True, choices=Severity),
                _text("reporter_name", _("Your name (optional; only supervisors see it)")),
                _text("reporter_contact", _("Your phone (optional)")),
            ),
            # The minimal form: what a bus conductor or a neighbour can tell in a minute.
            child_fields=("given_name", "nickname", "age", "gender"),
            age_source="reporter_estimate",
        ),
    )
}
