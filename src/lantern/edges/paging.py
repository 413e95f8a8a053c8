"""Lists one page at a time, counted only as far as it is cheap.

A caseworker's team may hold 85,000 cases; counting them all for every page cost up to 3 s on
PostgreSQL (SECURITY.md, "Under load"). ``count_bounded`` counts exactly up to a bound (or to
the end of the page asked for) and past it says "more than N": never a guess, never more than
it has seen. The API's ``lantern.edges.schemas.Pages`` and the pages' ``BoundedPaginator`` both
count this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext

from lantern.edges.bounds import PAGE_MAX

#: Lists count exactly up to this many rows; past it they say "more than".
COUNT_BOUND = 1_000


@dataclass(frozen=True)
class Count:
    """How many rows a list holds: exactly ``value``, or (``exact`` false) more than it."""

    value: int
    exact: bool

    def __str__(self) -> str:
        n = f"{self.value:,}"
        return n if self.exact else gettext("more than %(n)s") % {"n": n}

    @property
    def known(self) -> int:
        """The rows known to exist, a paginator's count: past the bound one more than
        ``value``, so the page after the last one counted is still offered."""
        return self.value if self.exact else self.value + 1


def count_bounded(qs: QuerySet[Any], seen: int = 0, bound: int | None = None) -> Count:
    """Count ``qs`` exactly up to ``bound`` (COUNT_BOUND by default), or up to ``seen`` (the
    rows up to the end of the page asked for) when larger; past it, a lower bound that says so.

    One query reads at most ``max(bound, seen) + 1`` rows. When ``seen`` is past the bound the
    count covers the page shown, so a paginator still knows a next page exists.
    """
    limit = max(COUNT_BOUND if bound is None else bound, seen)
    found = qs.order_by()[: limit + 1].count()
    return Count(found, exact=True) if found <= limit else Count(limit, exact=False)


def page_number(raw: Any) -> int:
    """The page asked for, as Django's ``Paginator.get_page`` reads it (1 when unreadable), at
    most PAGE_MAX: a 20-digit page number would overflow the database's LIMIT."""
    try:
        return min(PAGE_MAX, max(1, int(raw)))
    except (TypeError, ValueError):
        return 1


class BoundedPaginator(Paginator):
    """Django's paginator over a bounded count: ``total`` says whether it is exact."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, number: Any) -> None:
        super().__init__(object_list, per_page)
        self.total = count_bounded(object_list, seen=page_number(number) * per_page)

    @cached_property
    def count(self) -> int:
        return self.total.known
