"""What the community services share: checked dates, numbers and codes, and a place's key."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from lantern.cases.services.common import today
from lantern.errors import Invalid, NotAllowed

NOTES_MAX = 4000


def agency_of(user: Any) -> int:
    """The user's agency, which holds what they record; an account of no agency records nothing."""
    if user.agency_id is None:
        raise NotAllowed(_("your account belongs to no agency, so it cannot record this"))
    return int(user.agency_id)


def past_date(value: dt.date | None, field: str) -> dt.date:
    """A day that has happened (today at the latest), required."""
    if value is None:
        raise Invalid(_("%(field)s: required") % {"field": field}, field)
    if value > today():
        raise Invalid(_("%(field)s: cannot be in the future") % {"field": field}, field)
    return value


def count(value: int | None, field: str, *, required: bool = True, maximum: int = 10**7) -> Any:
    """A whole number of people or days, 0 or more."""
    if value is None:
        if required:
            raise Invalid(_("%(field)s: required") % {"field": field}, field)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise Invalid(
            _("%(field)s: a whole number from 0 to %(n)s") % {"field": field, "n": maximum}, field
        )
    return value


def choices(
    values: Iterable[str], allowed: type[models.Choices], field: str, *, required: bool = False
) -> list[str]:
    """Codes of ``allowed``, each once, in the order given; Invalid names the first stranger."""
    out: list[str] = []
    for v in values:
        if v not in allowed.values:
            raise Invalid(
                _("%(field)s: %(value)s is not one of %(allowed)s")
                % {"field": field, "value": repr(v), "allowed": ", ".join(allowed.values)},
                field,
            )
        if v not in out:
            out.append(v)
    if required and not out:
        raise Invalid(_("%(field)s: choose at least one") % {"field": field}, field)
    return out


def place_key(value: str) -> str:
    """A place as it is compared: compatibility-normalised, case-folded, single-spaced."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
