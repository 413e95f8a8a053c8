"""Domain errors: what every service raises; each carries a reason a person can act on.

Services raise these and nothing HTTP. One handler (``lantern.api``) turns them into status
codes for every API router, one page helper (``lantern.edges.errors``) into a 404 page or a
form's message: ``Unreadable`` -> 400 (the request cannot be read as
asked), ``Invalid`` -> 422 (naming the field), ``NotAllowed`` -> 403, ``Refused`` -> 409 (the
workflow's reason, e.g. an illegal transition), ``NotFound`` -> 404.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``reason`` is shown to the user as it is; ``field`` names what to fix."""

    def __init__(self, reason: str, field: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class ProtectionError(DomainError):
    """An error a page shows beside the form that caused it (every one but ``NotFound``)."""


class Unreadable(ProtectionError):
    """The request cannot be read or run as asked (a filter that does not parse, a search
    without the fields every search needs), before any one field's value is judged."""


class Invalid(ProtectionError):
    """Bad input: ``field`` names what to fix."""


class NotAllowed(ProtectionError):
    """The policy layer refused the action (the record itself is in scope)."""


class Refused(ProtectionError):
    """The workflow refused: an illegal transition or an unmet precondition."""


class NotFound(DomainError):
    """No such record *or* one outside the caller's scope: the same answer, so that a record's
    existence does not leak beyond the scope that may see it. Not a ``ProtectionError``: a
    page's ``except ProtectionError`` lets it pass to the 404 page."""
