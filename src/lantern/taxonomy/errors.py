"""Errors raised by the taxonomy.

`UnknownCode` is what callers meet: an import row, a form field or a CLI option that names a
code no list holds. Its message names the list and the value and suggests close ids, so that an
operator can fix a CSV column without reading code. `TaxonomyDataError` means a shipped data
file is malformed; it is a bug in Lantern, not in the caller's input.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, choices: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The ``n`` choices nearest ``value``, compared without case, in their own spelling.

    The one "did you mean" of Lantern: codes, import columns and country names all use it.
    """
    by_folded = {c.casefold(): c for c in choices}
    near = difflib.get_close_matches(value.strip().casefold(), list(by_folded), n=n, cutoff=cutoff)
    return [by_folded[c] for c in near]


class UnknownCode(ValueError, LookupError):
    """A value that is not an id (or known alias) of the named code list."""

    def __init__(self, list_name: str, value: object, candidates: Iterable[str] = ()) -> None:
        self.list_name = list_name
        self.value = value
        self.suggestions: tuple[str, ...] = tuple(closest(str(value), candidates, n=3))
        message = f"unknown code {value!r} in list {list_name!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)


class TaxonomyDataError(RuntimeError):
    """A taxonomy data file is missing a field, repeats an id or breaks its schema."""
