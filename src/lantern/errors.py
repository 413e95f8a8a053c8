"""Errors the protection services raise; each carries a reason a person can act on.

The API maps them: ``Invalid`` -> 422 (naming the field), ``NotAllowed`` -> 403,
``Refused`` -> 409 (the workflow's reason, e.g. an illegal transition). A record outside the
caller's scope raises ``django.http.Http404`` instead, as if it did not exist.
"""

from __future__ import annotations


class ProtectionError(Exception):
    """Base class: ``reason`` is shown to the user as it is."""

    def __init__(self, reason: str, field: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class Invalid(ProtectionError):
    """Bad input: ``field`` names what to fix."""


class NotAllowed(ProtectionError):
    """The policy layer refused the action (the record itself is in scope)."""


class Refused(ProtectionError):
    """The workflow refused: an illegal transition or an unmet precondition."""
