"""Bounds on every number and string an API request can carry, in one place.

Why: an integer beyond 64 bits or a lone UTF-16 surrogate passes Python's own checks and then
breaks in the database driver, the JSON encoder or the linkage engine -- a 500 instead of a
reason. What enters the API goes through one of these types and BoundedJsonParser (in
lantern.api), so the limits live in one place and the OpenAPI document states them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field

from lantern.errors import Unreadable

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
TEXT_MAX = 10_000  # a free-text note: pages of prose, not a file
NAME_MAX = 200  # a name, place, organisation or person's contact
CODE_MAX = 64  # a vocabulary code, state, ISO code or language tag
LIST_MAX = 100  # items in a list of codes
PAGE_MAX = 1_000_000  # page numbers: far past any real list, well inside a 64-bit offset
PAGE_SIZE_MAX = 500
CAPACITY_MAX = 10_000  # beds in one safe place
AGE_MAX = 120  # as the linkage engine accepts a stated age

_BAD_CHARS = re.compile("[\ud800-\udfff\x00]")


def clean_text(value: str) -> str:
    """Refuse a lone surrogate (not encodable as UTF-8) or NUL (refused by PostgreSQL)."""
    if _BAD_CHARS.search(value):
        raise ValueError("text holds a lone surrogate or NUL character")
    return value


Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(clean_text)]
Name = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(clean_text)]
Code = Annotated[str, Field(max_length=CODE_MAX), AfterValidator(clean_text)]
Codes = Annotated[list[Code], Field(max_length=LIST_MAX)]
BoundedInt = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
Page = Annotated[int, Field(ge=1, le=PAGE_MAX)]
PageSize = Annotated[int, Field(ge=1, le=PAGE_SIZE_MAX)]
Capacity = Annotated[int, Field(ge=0, le=CAPACITY_MAX)]
Age = Annotated[int, Field(ge=0, le=AGE_MAX)]
Year = Annotated[int, Field(ge=1900, le=2200)]


def optional_date(name: str, raw: str | None) -> dt.date | None:
    """A day given as YYYY-MM-DD (``None`` when not given); anything else is Unreadable,
    naming ``name``. Filters on the pages, the API and the commands read days this way."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Unreadable(f"{name}: {raw!r} is not a date (YYYY-MM-DD)", name) from None
