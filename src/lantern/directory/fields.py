"""What each directory entry holds, field by field, and how a value is checked: one declaration
for the API's bodies, the pages' forms and the service (``clean``)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from lantern.directory.models import (
    EntryLanguage,
    LessonLearned,
    LessonResult,
    Organisation,
    OrganisationProject,
    OrganisationService,
    OrganisationType,
)
from lantern.edges import areas
from lantern.errors import Invalid
from lantern.taxonomy import code_list

AGE_MAX, CAPACITY_MAX, BUDGET_MAX = 25, 1_000_000, decimal.Decimal("1e12")


def _required(name: str) -> Invalid:
    return Invalid(_("%(field)s: required") % {"field": name}, name)


def _text(limit: int, required: bool = False) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        value = "" if value is None else str(value).strip()
        if required and not value:
            raise _required(name)
        if len(value) > limit:
            raise Invalid(
                _("%(field)s: at most %(n)s characters") % {"field": name, "n": limit}, name
            )
        return value

    return check


def _choice(choices: type[models.TextChoices], default: str = "") -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        value = str(value or default)
        if value not in choices.values:
            raise Invalid(
                _("%(field)s: choose one of %(ok)s") % {"field": name, "ok": ", ".join(choices)},
                name,
            )
        return value

    return check


def _codes(list_name: str, single: bool = False) -> Callable[[str, Any], Any]:
    def check(name: str, value: Any) -> Any:
        values = [value] if single else list(value or [])
        known = code_list(list_name)
        bad = [str(v) for v in values if str(v) not in known]
        if bad or (single and not value):
            raise Invalid(
                _("%(field)s: unknown code %(bad)s") % {"field": name, "bad": ", ".join(bad)},
                name,
            )
        return str(value) if single else list(dict.fromkeys(str(v) for v in values))

    return check


def _country(name: str, value: Any) -> str:
    value = str(value or "").strip().upper()
    if value and value not in code_list("countries"):
        raise Invalid(
            _("%(field)s: unknown country %(code)s") % {"field": name, "code": value}, name
        )
    return value


def _areas(name: str, value: Any) -> list[str]:
    """Areas of the one vocabulary (``lantern.taxonomy.areas``): ``NPL`` (the whole country)
    or ``NPL/Bagmati`` (one province), each as the vocabulary spells it."""
    if isinstance(value, str):
        value = [value]
    return areas.clean_many(value or [], name)


def _count(limit: int) -> Callable[[str, Any], int | None]:
    def check(name: str, value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = -1
        if not 0 <= n <= limit:
            raise Invalid(
                _("%(field)s: a whole number from 0 to %(max)s") % {"field": name, "max": limit},
                name,
            )
        return n

    return check


def _date(name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(_("%(field)s: a date, YYYY-MM-DD") % {"field": name}, name) from None


def _budget(name: str, value: Any) -> decimal.Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        amount = decimal.Decimal(-1)
    if not (0 <= amount < BUDGET_MAX) or not amount.is_finite():
        raise Invalid(_("%(field)s: an amount of money, 0 or more") % {"field": name}, name)
    return amount.quantize(decimal.Decimal("0.01"))


def _id(name: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(_("%(field)s: a number") % {"field": name}, name) from None


def _names(name: str, value: Any) -> list[str]:
    names = [" ".join(str(v).split()) for v in value or [] if str(v).strip()]
    if any(len(n) > 200 for n in names):
        raise Invalid(_("%(field)s: a name of at most 200 characters") % {"field": name}, name)
    return list(dict.fromkeys(names))


_LONG = _text(4000)
_REACH: dict[str, Callable[[str, Any], Any]] = {
    "areas": _areas,
    "age_min": _count(AGE_MAX),
    "age_max": _count(AGE_MAX),
    "sexes": _codes("genders"),
    "forms": _codes("exploitation_forms"),
    "capacity": _count(CAPACITY_MAX),
    "referral_criteria": _LONG,
}


@dataclass(frozen=True)
class Kind:
    """One kind of entry: its model, its fields' checks, the fields its search text reads and
    the field that names it."""

    model: type[models.Model]
    checks: Mapping[str, Callable[[str, Any], Any]]
    searched: tuple[str, ...]
    title: str


KINDS: dict[str, Kind] = {
    "organisation": Kind(
        Organisation,
        {
            "name": _text(200, required=True),
            "type": _choice(OrganisationType),
            "country": _country,
            "services": _codes("support_types"),
            "contact": _text(200),
            "email": _text(200),
            "phone": _text(50),
            "description": _LONG,
            "language": _choice(EntryLanguage, "en"),
            **_REACH,
        },
        ("name", "description", "referral_criteria", "contact"),
        "name",
    ),
    "service": Kind(
        OrganisationService,
        {
            "name": _text(200, required=True),
            "support_type": _codes("support_types", single=True),
            "description": _LONG,
            "contact": _text(200),
            "language": _choice(EntryLanguage, "en"),
            **_REACH,
        },
        ("name", "description", "referral_criteria"),
        "name",
    ),
    "project": Kind(
        OrganisationProject,
        {
            "title": _text(200, required=True),
            "description": _LONG,
            "funders": _names,
            "budget": _budget,
            "currency": _text(3),
            "areas": _areas,
            "start": _date,
            "end": _date,
            "language": _choice(EntryLanguage, "en"),
        },
        ("title", "description"),
        "title",
    ),
    "lesson": Kind(
        LessonLearned,
        {
            "title": _text(200, required=True),
            "tried": _LONG,
            "result": _choice(LessonResult),
            "project": _id,  # a project of the same organisation, or none
            "text": _LONG,
            "language": _choice(EntryLanguage, "en"),
        },
        ("title", "tried", "text"),
        "title",
    ),
}


def clean(kind: str, data: Mapping[str, Any], partial: bool = False) -> dict[str, Any]:
    """``data`` checked field by field (``Invalid`` names the first bad one); unknown fields are
    refused. ``partial``: only the fields given (an edit), else every field (blank if absent)."""
    checks = KINDS[kind].checks
    unknown = sorted(set(data) - set(checks))
    if unknown:
        raise Invalid(_("%(field)s: not a field of this entry") % {"field": unknown[0]}, unknown[0])
    names = [n for n in checks if n in data] if partial else list(checks)
    out = {n: checks[n](n, data.get(n)) for n in names}
    low, high = out.get("age_min"), out.get("age_max")
    if low is not None and high is not None and low > high:
        raise Invalid(_("age_max: cannot be below the lowest age"), "age_max")
    start, end = out.get("start"), out.get("end")
    if start and end and end < start:
        raise Invalid(_("end: cannot be before the start"), "end")
    if "areas" in out:  # areas chosen now replace the text an earlier version could not place
        out["unmatched_areas"] = []
    if kind == "project" and out.get("currency"):
        out["currency"] = out["currency"].upper()
    return out
