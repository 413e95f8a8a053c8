"""The shapes records arrive in, each translated into the HTCDS-shaped row of the one import path.

A file is read as the source gives it (``readers``); its source translates each numbered row
into the columns ``rows.parse_row`` validates (docs/record-format.md), or into the row's errors
when it cannot; a source that validates its rows itself (to name errors in its own terms)
yields the parsed ``Record``, which the loader does not parse again. Encryption, the policy and
the audit stay one path for every source. ``htcds`` is Lantern's own shape and passes rows
through. A source is named by a dotted path so its module loads only when used: add one line
to ``SOURCES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lantern.cases.importing.rows import Record, RowError

Numbered = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class Applied:
    """A row its source applied itself, through a domain's service and inside the import's
    transaction (a screening, a follow-up visit from a field form): what it counts for."""

    created: int = 0
    unchanged: int = 0
    updated: int = 0  # an edited submission applied to what its predecessor became


Translated = tuple[int, dict[str, Any] | Record | list[RowError] | Applied]


@dataclass(frozen=True)
class SourceContext:
    """What a source may need beyond its rows: the agency whose records a file holds when the
    source has no agency column (``--agency``), the importing user's agency, the importing
    user (for a source that applies rows through a service, which asks the policy), and
    whether unknown columns are dropped (``--ignore-unknown-columns``) rather than refused."""

    agency: str | None = None
    user_agency: str | None = None
    user: Any = None
    ignore_unknown_columns: bool = False
    #: with ``ignore_unknown_columns``: each question path a source dropped (repeat entries as
    #: ``journey[]``), with the nearest known name; the import lists them as warnings
    dropped: dict[str, str] = field(default_factory=dict)
    #: what a source imported but the user should know (an edit of a submission Lantern does
    #: not know, imported as new): the import's report lists them as warnings
    warnings: list[RowError] = field(default_factory=list)
    #: writes the records read so far, so that a source may find them in the store (the
    #: loader sets it; a source that looks nothing up never calls it)
    flush: Callable[[], None] = lambda: None


Source = Callable[[Iterator[Numbered], SourceContext], Iterator[Translated]]

SOURCES: dict[str, str] = {
    "htcds": "lantern.cases.importing.htcds:htcds",
    "odk": "lantern.cases.importing.fieldsources:submissions",
    "kobo": "lantern.cases.importing.fieldsources:submissions",
    "ctdc": "lantern.cases.importing.ctdc:ctdc",
}


class UnknownSource(ValueError):
    """No source of that name."""


def htcds(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """Lantern's own shape (HTCDS column names): the rows as read."""
    yield from rows


def source(name: str) -> Source:
    """The source called ``name``; UnknownSource names the known ones."""
    path = SOURCES.get(name)
    if path is None:
        raise UnknownSource(f"unknown format {name!r}; use one of {', '.join(sorted(SOURCES))}")
    module, _sep, attr = path.partition(":")
    found: Source = getattr(importlib.import_module(module), attr)
    return found
