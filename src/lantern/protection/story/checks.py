"""The story's values checked against the code lists, with reasons in the user's words.

Every reason names the field by its label (never its internal name) and the value as given;
``Invalid.field`` still carries the internal name, for the API's ``field`` and the form's field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern import taxonomy
from lantern.cases.services.common import today
from lantern.edges.fields import taxonomy_label
from lantern.errors import Invalid

# The story's fields by name: their label, and the code list their values come from.
LABELS: dict[str, Any] = {  # lazy labels
    "type": gettext_lazy("Stage"),
    "date": gettext_lazy("Date"),
    "country": gettext_lazy("Country"),
    "state": gettext_lazy("Province or state"),
    "city": gettext_lazy("Town or place"),
    "transport": gettext_lazy("Means of transport"),
    "crossing": gettext_lazy("Border crossing"),
    "form": gettext_lazy("Form of exploitation"),
    "isic_section": gettext_lazy("Sector of work"),
    "start": gettext_lazy("From"),
    "end": gettext_lazy("Until"),
    "ref": gettext_lazy("Reference for the person"),
    "network_ref": gettext_lazy("Network reference"),
    "role": gettext_lazy("Role"),
    "relationship": gettext_lazy("Relationship to the child"),
    "vulnerabilities": gettext_lazy("Vulnerabilities"),
    "method_of_recruitment": gettext_lazy("Method of recruitment"),
    "methods_of_control": gettext_lazy("Means of control"),
    "forms_of_exploitation": gettext_lazy("Forms of exploitation"),
    "primary_form": gettext_lazy("Main form of exploitation"),
    "acts": gettext_lazy("Acts (recruitment, transport, harbouring...)"),
    "reason": gettext_lazy("Why"),
}
LISTS: dict[str, str] = {
    "type": "event_types",
    "country": "countries",
    "transport": "transport_modes",
    "form": "exploitation_forms",
    "isic_section": "isic_sections",
    "role": "actor_roles",
    "relationship": "relationship_to_trafficker",
    "vulnerabilities": "vulnerability_factors",
    "method_of_recruitment": "recruitment_methods",
    "methods_of_control": "control_methods",
    "forms_of_exploitation": "exploitation_forms",
    "primary_form": "exploitation_forms",
    "acts": "palermo_acts",
}
CROSSINGS: dict[str, Any] = {  # lazy labels
    "legal": gettext_lazy("Regular (legal) crossing"),
    "illegal": gettext_lazy("Irregular crossing"),
}
TEXT_MAX = 100  # a place name or a reference, as the models hold them


def label(name: str) -> str:
    return str(LABELS.get(name, name))


def shown(name: str, value: Any) -> str:
    """A field's value as a reader sees it: labels for codes, "legal"/"illegal" crossings in
    words, lists joined, dates as they are."""
    if value in (None, "", []):
        return "—"
    if name == "crossing":
        return str(CROSSINGS.get(str(value), value))
    list_name = LISTS.get(name)
    items = value if isinstance(value, list) else [value]
    if list_name is None:
        return ", ".join(str(v) for v in items)
    return ", ".join(taxonomy_label(str(v), list_name) for v in items)


def code(name: str, value: Any, *, required: bool = False) -> str:
    """One code of the field's list ("" when blank and not required), as the list spells it."""
    raw = "" if value is None else str(value).strip()
    if not raw:
        if required:
            raise Invalid(_("%(field)s: please choose one.") % {"field": label(name)}, name)
        return ""
    if name == "crossing":
        if raw not in CROSSINGS:
            raise Invalid(
                _("%(field)s: %(value)s is not one of the choices offered.")
                % {"field": label(name), "value": repr(raw[:40])},
                name,
            )
        return raw
    list_name = LISTS[name]
    try:
        if list_name == "countries":
            return taxonomy.country(raw).alpha3
        return taxonomy.code_list(list_name).resolve(raw).id
    except taxonomy.UnknownCode:
        raise Invalid(
            _("%(field)s: %(value)s is not one of the choices offered.")
            % {"field": label(name), "value": repr(raw[:40])},
            name,
        ) from None


def codes(name: str, values: Iterable[Any] | None) -> list[str]:
    """A list of codes, each checked, in the order given, without repeats."""
    if values is None:
        return []
    if isinstance(values, str):
        raise Invalid(_("%(field)s: a list is expected.") % {"field": label(name)}, name)
    out: list[str] = []
    for v in values:
        c = code(name, v)
        if c and c not in out:
            out.append(c)
    return out


def text(name: str, value: Any, max_length: int = TEXT_MAX) -> str:
    raw = "" if value is None else str(value).strip()
    if len(raw) > max_length:
        raise Invalid(
            _("%(field)s: at most %(n)s characters.") % {"field": label(name), "n": max_length},
            name,
        )
    return raw


def day(name: str, value: Any) -> dt.date | None:
    """A past or present day (a story holds what happened), or None when unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise Invalid(
                _("%(field)s: %(value)s is not a date (YYYY-MM-DD).")
                % {"field": label(name), "value": repr(value[:20])},
                name,
            ) from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Invalid(_("%(field)s: a date is expected.") % {"field": label(name)}, name)
    if value > today():
        raise Invalid(_("%(field)s: cannot be in the future.") % {"field": label(name)}, name)
    return value


def period(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise Invalid(
            _("%(end)s: cannot be before %(start)s.")
            % {"end": label("end"), "start": label("start").lower()},
            "end",
        )


def reason(value: Any, *, required: bool) -> str:
    """Why the story changes: required to change or remove what was recorded."""
    why = text("reason", value, max_length=2000)
    if required and not why:
        raise Invalid(
            _("Why: say why you change or remove this (it is kept in the case's history)."),
            "reason",
        )
    return why
