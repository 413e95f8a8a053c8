"""Which columns Lantern's own shape has, and what an unknown one probably meant.

A misspelt column would otherwise be silently dropped (its values read as unknown), so the
import refuses it unless told to ignore it. The known columns are the ones ``rows.parse_row``
reads, found by parsing an empty row that records every column asked for: the parser stays the
one place that knows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from lantern.cases.importing.rows import parse_row
from lantern.taxonomy.errors import closest


@dataclass(frozen=True)
class UnknownColumn:
    """A column of the file that no field reads, with the nearest known column if any."""

    name: str
    suggestion: str = ""

    def __str__(self) -> str:
        hint = f"; did you mean {self.suggestion}?" if self.suggestion else ""
        return f"{self.name}: unknown column{hint}"


class _Reads(dict[str, Any]):
    """An empty row that remembers the columns parsing asks it for."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.names.append(key)
        return default

    def __contains__(self, key: object) -> bool:
        return False


@cache
def known_columns() -> frozenset[str]:
    """Every column ``parse_row`` reads (markers such as ``__extra_cells__`` left out)."""
    row = _Reads()
    parse_row(0, row)
    return frozenset(n for n in row.names if n and not n.startswith("__"))


def unknown_columns(names: Iterable[str]) -> list[UnknownColumn]:
    """The columns among ``names`` that are not Lantern's, in the order given, each with the
    closest known column (compared case-insensitively, so ``prs_gender`` finds ``prs_Gender``)."""
    known = known_columns()
    found = []
    for name in names:
        if not name or name.startswith("__") or name in known:
            continue
        near = closest(name, known)
        found.append(UnknownColumn(name, near[0] if near else ""))
    return found
