"""Form fields only the protection pages use: a level of risk or need, and the organisations
the user may name. The fields every page shares are in ``lantern.edges.fields``."""

from __future__ import annotations

from typing import Any

from django import forms

from lantern.cases.models import Level
from lantern.protection import record


def level(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Level.choices, initial="unknown")


def directory(user: Any) -> list[tuple[str, Any]]:
    """The organisations the user may name (referral, hand-over), blank first."""
    return [("", "—"), *((str(o.pk), o.name) for o in record.directory(user))]
