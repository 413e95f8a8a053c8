"""The intake API's bodies and answers.

Each channel's body is built from its declaration (``intake.declaration``), as the page form
is (``intake.forms``), with the same bounds; an existing record that may be the child is the
service's ``Match``, declared once there.
"""

# No postponed annotations: the body types are built at import time and named in annotations.

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, create_model
from pydantic import Field as SchemaField

from lantern.edges.bounds import LIST_MAX, Id, clean_text
from lantern.edges.schemas import ErrorOut, In, Out, out_of
from lantern.protection.intake.declaration import CHILD, Channel, Field, Kind, iso3
from lantern.protection.intake.service import Match

# --- the bodies ---------------------------------------------------------------------------------


def _member_of(f: Field) -> Callable[[str], str]:
    def check(code: str) -> str:
        if (code or f.required_at_edge) and not f.allows(code):
            raise ValueError(f"{f.name}: {code!r} is not one of the codes offered")
        return code

    return check


def _schema_field(f: Field) -> tuple[Any, Any]:
    """(annotation, default) of ``f`` in the API body; the same bounds as the page form."""
    k, default = f.kind, ... if f.required_at_edge else None
    if k is Kind.TEXT:
        text = Annotated[str, SchemaField(max_length=f.max_length), AfterValidator(clean_text)]
        return text, default or ""
    if k is Kind.DATE:
        return dt.date | None, default
    if k is Kind.INT:
        bounded = Annotated[int, SchemaField(ge=f.minimum, le=f.maximum)]
        return (bounded if f.required_at_edge else bounded | None), default
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
        return (Id if f.required_at_edge else Id | None), default
    code = Annotated[str, SchemaField(max_length=3), AfterValidator(iso3)]
    if k is Kind.COUNTRY:
        return code, default or ""
    return Annotated[list[code], SchemaField(max_length=LIST_MAX)], default or []  # type: ignore[valid-type]


def _schema(name: str, fields: tuple[Field, ...], **extra: Any) -> type[Schema]:
    declared = {f.name: _schema_field(f) for f in fields}
    return create_model(name, __base__=In, **declared, **extra)  # type: ignore[call-overload,no-any-return]


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


# --- the answers --------------------------------------------------------------------------------

MatchOut = out_of(
    Match,
    "MatchOut",
    "An existing record that may be the child, and why it matched (``intake.Match``).",
)


class DuplicatesOut(ErrorOut):
    """409: review these records, then repeat with ``confirm_new`` to open a new case."""

    matches: list[MatchOut]  # type: ignore[valid-type]


class ReporterOut(Out):
    name: str
    contact: str


class IntakeOut(Out):
    """The case's intake facts; only ``channel`` and ``recorded`` when none were recorded."""

    channel: str
    recorded: bool
    place: str | None = None
    concerns: list[str] | None = None
    severity: str | None = None
    expected_contact: str | None = None
    met_by_expected_contact: bool | None = None
    return_passage_offered: bool | None = None
    return_passage_provider: str | None = None
    rescuing_unit: str | None = None
    handed_over_to: str | None = None
    referring_organisation: str | None = None
    referral_reason: str | None = None
    rights_information_given: bool | None = None
    reporter: ReporterOut | None = None
    notes: str | None = None
    withheld: list[str] | None = None
