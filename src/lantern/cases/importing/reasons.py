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

Value = "str | Reason"


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
