"""What every protection service does first: resolve scope, check the action, validate codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404
from django.utils import timezone

from lantern import taxonomy
from lantern.accounts import policy
from lantern.cases.models import Case, Person
from lantern.cases.services.errors import Invalid, NotAllowed

ACTION_WORDS = {
    "protect": "record protection work on",
    "transition": "move",
    "refer": "refer",
    "transfer": "transfer",
    "update": "update",
}


def guard(user: Any, case: Case, action: str) -> None:
    """404 when ``case`` is outside the user's view; NotAllowed when the action is not granted."""
    if not policy.case_allows(user, "view", case) and not policy.case_allows(user, action, case):
        raise Http404("No such case")
    if not policy.case_allows(user, action, case):
        raise NotAllowed(f"your role may not {ACTION_WORDS.get(action, action)} this case")


def require(user: Any, resource: str, action: str, what: str) -> policy.Scope:
    """The scope the table grants for (resource, action), or NotAllowed naming ``what``."""
    scope = policy.scope_for(user, resource, action)
    if scope is None:
        raise NotAllowed(f"your role may not {what}")
    return scope


def birthdate_of(person: Person) -> dt.date | None:
    """A person's birth date as a date (the encrypted field is typed as text by the stubs)."""
    value: object = person.birthdate
    return value if isinstance(value, dt.date) else None


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def codes(
    list_name: str, values: Iterable[str], field: str, *, required: bool = False
) -> list[str]:
    """Validate code ids against a taxonomy list; Invalid names the field and the bad value."""
    out: list[str] = []
    for v in values:
        try:
            canon = taxonomy.validate(list_name, v)
        except taxonomy.UnknownCode as exc:
            raise Invalid(f"{field}: {v!r} is not a {list_name} code", field) from exc
        if canon not in out:
            out.append(canon)
    if required and not out:
        raise Invalid(f"{field}: at least one {list_name} code is required", field)
    return out


def choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise Invalid(f"{field}: {value!r} is not one of {', '.join(allowed)}", field)
    return value


def text(value: str, field: str, *, required: bool = False, max_length: int = 500) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"{field}: required", field)
    if len(value) > max_length:
        raise Invalid(f"{field}: at most {max_length} characters", field)
    return value
