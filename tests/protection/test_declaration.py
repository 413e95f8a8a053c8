"""The intake declaration: the page form and the API body built from it accept and refuse the
same input, channel by channel (issue #20: one declaration per intake channel)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pydantic
import pytest

from lantern.errors import Invalid
from lantern.protection.intake.declaration import CHANNELS, CHILD, Kind
from lantern.protection.intake.forms import form_class
from lantern.protection.intake.schemas import body_schema
from lantern.protection.intake.service import clean_facts
from tests.protection.conftest import World

CHILD_KINDS = {f.name: f.kind for f in CHILD}


def _form_value(value: Any) -> Any:
    """How a browser posts ``value`` (the page asks for one citizenship)."""
    if value is True or value is False or value is None:
        return {True: "yes", False: "no", None: "unknown"}[value]
    if isinstance(value, list) and value and len(value[0]) == 3 and value[0].isupper():
        return value[0]
    return str(value) if isinstance(value, int | dt.date) else value


def _valid(channel: str, world: World) -> dict[str, Any]:
    own: dict[str, dict[str, Any]] = {
        "transit_reception": {
            "place": "Birgunj bus terminal",
            "expected_contact": "uncle",
            "met_by_expected_contact": False,
            "return_passage_offered": True,
            "rights_information_given": None,
        },
        "hotline": {"concerns": ["at_risk"], "severity": "report", "place": "Kathmandu"},
        "rescue": {"rescuing_unit": "Unit 4", "handed_over_to": world.clinic.pk},
        "referral": {"referring_organisation": "NGO", "referral_reason": "Found alone"},
        "self_referral": {"place": "Office", "notes": "Came alone"},
        "community_report": {
            "place": "Route 3 bus",
            "concerns": ["unaccompanied"],
            "severity": "intervene",
        },
    }
    return own[channel]


CHILD_VALID = {
    "given_name": "Maya",
    "nickname": "M",
    "age": 14,
    "gender": "Feminine",
    "birthdate": dt.date(2011, 3, 4),
    "citizenship": ["NPL"],
    "home_country": "NPL",
    "age_evidence": "stated",
}

# (field, value): each is refused by both, or accepted by both.
VARIANTS: list[tuple[str, Any, bool]] = [
    ("given_name", "x" * 201, False),
    ("given_name", "x" * 200, True),
    ("age", 121, False),
    ("age", -1, False),
    ("age", 0, True),
    ("gender", "no-such-gender", False),
    ("age_evidence", "rumour", False),
    ("home_country", "NEPAL", False),
    ("severity", "whenever", False),
    ("severity", "emergency", True),
    ("concerns", ["no_such_concern"], False),
    ("concerns", ["at_risk", "unaccompanied"], True),
    ("place", "p" * 201, False),
    ("met_by_expected_contact", True, True),
    ("return_passage_offered", None, True),
    ("notes", "n" * 4001, False),
    ("referral_reason", "r" * 501, False),
    ("rescuing_unit", "", True),
]


# Questions whose page offers yes and no only: left unanswered, a browser posts nothing.
NO_UNKNOWN = {
    f.name
    for c in CHANNELS.values()
    for f in c.fields
    if f.kind is Kind.TRI and not f.offers_unknown
}


def _accepts(channel: str, data: dict[str, Any], world: World) -> tuple[bool, bool]:
    """(form accepts, schema accepts) for the same values."""
    declared = CHANNELS[channel]
    child_names = {f.name for f in declared.child()}
    posted = {
        k: _form_value(v)
        for k, v in data.items()
        if (k in child_names or k not in CHILD_KINDS) and not (v is None and k in NO_UNKNOWN)
    }
    form = form_class(declared)(posted, user=world.users["cw"])
    body = {k: v for k, v in data.items() if k not in CHILD_KINDS}
    body["child"] = {k: v for k, v in data.items() if k in child_names}
    try:
        body_schema(declared).model_validate(body)
        schema_ok = True
    except pydantic.ValidationError:
        schema_ok = False
    return form.is_valid(), schema_ok


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_form_and_api_body_accept_the_same_valid_intake(channel: str, world: World) -> None:
    data = {**CHILD_VALID, **_valid(channel, world)}
    assert _accepts(channel, data, world) == (True, True)


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_form_and_api_body_refuse_and_accept_alike(channel: str, world: World) -> None:
    declared = CHANNELS[channel]
    names = {f.name for f in (*declared.child(), *declared.fields)}
    tried = 0
    for name, value, ok in VARIANTS:
        if name not in names:
            continue
        data = {**CHILD_VALID, **_valid(channel, world), name: value}
        assert _accepts(channel, data, world) == (ok, ok), (channel, name, value)
        tried += 1
    assert tried >= 3


def test_a_required_field_left_out_is_refused_by_both(world: World) -> None:
    data = {**CHILD_VALID, **_valid("rescue", world)}
    del data["handed_over_to"]
    assert _accepts("rescue", data, world) == (False, False)
    data = {**CHILD_VALID, **_valid("transit_reception", world)}
    del data["met_by_expected_contact"]
    assert _accepts("transit_reception", data, world) == (False, False)


def test_the_form_gives_the_service_what_the_api_body_gives(world: World) -> None:
    declared = CHANNELS["transit_reception"]
    data = {**CHILD_VALID, **_valid("transit_reception", world)}
    form = form_class(declared)(
        {k: _form_value(v) for k, v in data.items()}, user=world.users["cw"]
    )
    assert form.is_valid(), form.errors
    body = body_schema(declared).model_validate(
        {**_valid("transit_reception", world), "child": CHILD_VALID}
    )
    from_body = body.model_dump(exclude={"child", "confirm_new"})
    assert form.facts() == {k: from_body[k] for k in form.facts()}
    child = body.model_dump()["child"]
    assert form.child().citizenship == tuple(child["citizenship"]) == ("NPL",)
    assert form.child().age == child["age"] == 14


def test_the_community_report_asks_only_the_minimal_child_fields() -> None:
    declared = CHANNELS["community_report"]
    assert [f.name for f in declared.child()] == ["given_name", "nickname", "age", "gender"]
    assert {f.kind for f in declared.fields} >= {Kind.CODES, Kind.CODE}


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_the_service_checks_the_same_declaration(channel: str, world: World) -> None:
    """The service cleans a channel's facts against its declaration: a required field left out
    or blank, a text past its bound, a code not offered and a fact not declared are refused,
    each naming the field."""
    user, valid = world.users["cw"], _valid(channel, world)
    assert clean_facts(user, channel, valid).keys() >= valid.keys()
    tried = []
    for f in CHANNELS[channel].fields:
        bad: list[Any] = []
        if f.required:
            bad.append(None)
            if f.kind in (Kind.TEXT, Kind.CODE, Kind.CODES):
                bad.append([] if f.kind is Kind.CODES else "  ")
        if f.kind is Kind.TEXT:
            bad.append("x" * (f.max_length + 1))
        if f.kind in (Kind.CODE, Kind.CODES):
            bad.append(["no_such_code"] if f.kind is Kind.CODES else "no_such_code")
        if f.kind is Kind.ORGANISATION:
            bad.append(999_999)
        for value in bad:
            facts = {k: v for k, v in valid.items() if k != f.name}
            if value is not None:
                facts[f.name] = value
            with pytest.raises(Invalid) as refused:
                clean_facts(user, channel, facts)
            assert refused.value.field == f.name, (channel, f.name, value)
            tried.append(f.name)
    assert tried
    with pytest.raises(Invalid) as unknown:
        clean_facts(user, channel, {**valid, "offence": "theft"})
    assert unknown.value.field == "offence"


def test_each_channel_requires_what_its_service_required() -> None:
    """The facts each channel's own service function required before the declaration held them
    (blank text and empty concerns refused by the service, the others by form and body too)."""
    required = {c: {f.name for f in ch.fields if f.required} for c, ch in CHANNELS.items()}
    assert required == {
        "transit_reception": {"place", "met_by_expected_contact"},
        "hotline": {"concerns", "severity"},
        "rescue": {"rescuing_unit", "handed_over_to"},
        "referral": {"referring_organisation", "referral_reason"},
        "self_referral": set(),
        "community_report": {"place", "concerns", "severity"},
    }
    at_edge = {c: {f.name for f in ch.fields if f.required_at_edge} for c, ch in CHANNELS.items()}
    assert at_edge == {
        "transit_reception": {"met_by_expected_contact"},
        "hotline": {"severity"},
        "rescue": {"handed_over_to"},
        "referral": set(),
        "self_referral": set(),
        "community_report": {"severity"},
    }
