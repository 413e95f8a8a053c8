"""What every protection service does first: resolve scope, check the action, validate codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lantern import taxonomy
from lantern.accounts import policy
from lantern.cases.models import Case, Person
from lantern.errors import Invalid, NotAllowed, NotFound

ACTION_WORDS = {  # translated where the refusal is raised
    "protect": gettext_noop("record protection work on"),
    "transition": gettext_noop("move"),
    "refer": gettext_noop("refer"),
    "transfer": gettext_noop("transfer"),
    "update": gettext_noop("update"),
    "approve_closure": gettext_noop("approve the closure of"),
}


def guard(user: Any, case: Case, action: str) -> None:
    """NotFound when ``case`` is outside the user's view; NotAllowed when the action is not
    granted."""
    if not policy.case_allows(user, "view", case) and not policy.case_allows(user, action, case):
        raise NotFound("No such case")
    if not policy.case_allows(user, action, case):
        raise NotAllowed(
            _("your role may not %(action)s this case")
            % {"action": _(ACTION_WORDS.get(action, action))}
        )


def require(user: Any, resource: str, action: str, what: str) -> policy.Scope:
    """The scope the table grants for (resource, action), or NotAllowed naming ``what``."""
    scope = policy.scope_for(user, resource, action)
    if scope is None:
        raise NotAllowed(_("your role may not %(what)s") % {"what": what})
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
            raise Invalid(
                _("%(field)s: %(value)s is not a %(list)s code")
                % {"field": field, "value": repr(v), "list": list_name},
                field,
            ) from exc
        if canon not in out:
            out.append(canon)
    if required and not out:
        raise Invalid(
            _("%(field)s: at least one %(list)s code is required")
            % {"field": field, "list": list_name},
            field,
        )
    return out


def choice(value: str, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise Invalid(
            _("%(field)s: %(value)s is not one of %(allowed)s")
            % {"field": field, "value": repr(value), "allowed": ", ".join(allowed)},
            field,
        )
    return value


def text(value: str, field: str, *, required: bool = False, max_length: int = 500) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("%(field)s: required") % {"field": field}, field)
    if len(value) > max_length:
        raise Invalid(
            _("%(field)s: at most %(n)s characters") % {"field": field, "n": max_length}, field
        )
    return value
