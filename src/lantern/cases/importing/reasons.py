"""Why a row was refused, in the words of whoever reads it.

A row error's reason is written once, in English, where the row is checked: the command prints
it, tests compare it, the CSV of errors holds it. A web import is checked by a background job
and read later, in French or Spanish, by someone else; so the reason also keeps its message
(marked for translation) and the values it quotes, and :func:`render` puts them together in
the reader's language when the page is drawn. A reason may quote another (the "did you mean"
that follows it), which is translated in turn.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from lantern import taxonomy
from lantern.taxonomy.errors import UnknownCode, closest


class Reason(str):
    """A reason: its English text as the string, with the message and values it came from."""

    template: str
    params: dict[str, str | Reason]

    def __new__(cls, template: str, **params: Any) -> Reason:
        values: dict[str, str | Reason] = {
            k: v if isinstance(v, Reason) else str(v) for k, v in params.items()
        }
        self = super().__new__(cls, template % values if values else template)
        self.template, self.params = template, values
        return self

    def translated(self) -> str:
        """The reason in the active language (English where no translation exists)."""
        if not self.template:
            return ""  # gettext("") is the catalogue's header
        values = {k: v.translated() if isinstance(v, Reason) else v for k, v in self.params.items()}
        text = gettext(self.template)
        return text % values if values else text

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "params": {
                k: v.to_json() if isinstance(v, Reason) else v for k, v in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reason:
        params = {
            k: cls.from_json(v) if isinstance(v, dict) else str(v)
            for k, v in (data.get("params") or {}).items()
        }
        return cls(str(data.get("template") or ""), **params)


NOTHING = Reason("")


def did_you_mean(near: str) -> Reason:
    """ "; did you mean X?" after a reason, or nothing when nothing is near."""
    return Reason(gettext_noop("; did you mean %(near)s?"), near=near) if near else NOTHING


def stored(reason: str) -> Any:
    """A reason as a job keeps it (JSON): its message and values when it has them."""
    return reason.to_json() if isinstance(reason, Reason) else reason


def render(kept: Any) -> str:
    """A kept reason in the reader's language; one kept as plain text (an older job, or a
    reason no message describes) as it is."""
    if isinstance(kept, dict):
        return Reason.from_json(kept).translated()
    return str(kept)


REQUIRED_REASON = Reason(gettext_noop("required"))


def quoted(raw: Any) -> str:
    """A cell's value as a reason quotes it: its first 20 characters, in quotes."""
    return repr(str(raw)[:20])


def not_one_of(value: str, choices: tuple[str, ...]) -> Reason:
    return Reason(
        gettext_noop("%(value)s is not one of %(choices)s%(hint)s"),
        value=repr(value),
        choices=", ".join(choices),
        hint=nearest(value, choices),
    )


def unknown_code(exc: UnknownCode) -> Reason:
    """The taxonomy's "unknown code" as a reason a page can translate."""
    return Reason(
        gettext_noop("unknown code %(value)s in list %(list)s%(hint)s"),
        value=repr(exc.value),
        list=repr(exc.list_name),
        hint=did_you_mean(", ".join(repr(s) for s in exc.suggestions)),
    )


def nearest(value: str, choices: tuple[str, ...] | list[str]) -> Reason:
    """ "; did you mean X?" for the choice closest to ``value`` (any case), or nothing."""
    near = closest(value, choices)
    return did_you_mean(near[0] if near else "")


def country_hint(value: str, codes: tuple[str, ...]) -> Reason:
    """The codes close to a mistyped code, or the code of a country named in full."""
    if len(value.strip()) > 3:
        names = {c.name("en"): c.alpha3 for c in taxonomy.countries.all_countries()}
        near = closest(value, names)
        if near:
            return did_you_mean(f"{names[near[0]]} ({near[0]})")
    return did_you_mean(", ".join(codes))
