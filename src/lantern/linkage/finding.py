"""Finding a child: by name (any script), identity number, case reference or date of birth.

Names are scored by the search index of the store, the linkage scorer that search before create
uses, so "माया तामाङ" finds "Maya Tamang"; identity numbers are looked up by their blind index,
references in the database, dates of birth by the index's codes (birth dates are encrypted, so
the database cannot compare them). Only cases the user may list are ever found, and nothing
says that a child exists elsewhere. Searching by what identifies a child needs a role that
reads identities; any role that lists cases may search by reference. Answers are bounded: at
most :data:`POOL` children, :data:`PAGE_SIZE` a page. One audit entry per search names the
criteria, never what was typed; one read entry per child whose name is shown.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases import queries
from lantern.cases.models import Case
from lantern.errors import Invalid, NotAllowed
from lantern.linkage.services import store_index
from lantern.recordlinkage.bands import band
from lantern.vault import blind_index

#: Children found at most, scored or looked up, before scoping; past it the count says "more".
POOL = 200
#: Children a page shows.
PAGE_SIZE = 20
#: A name's candidates below this probability are not shown at all.
MIN_PROBABILITY = 0.01


@dataclass(frozen=True)
class Query:
    """What the caseworker typed; any part may be blank, not all of them."""

    name: str = ""
    identity_number: str = ""
    reference: str = ""
    birthdate: dt.date | None = None

    def criteria(self) -> list[str]:
        """The criteria given, by name (what the audit entry says instead of the values)."""
        return [
            k
            for k, v in (
                ("name", self.name.strip()),
                ("identity_number", self.identity_number.strip()),
                ("reference", self.reference.strip()),
                ("birthdate", self.birthdate),
            )
            if v
        ]


@dataclass(frozen=True)
class Found:
    """One child found: the case's reference line, the match band, the name where allowed."""

    case_id: int
    reference: str
    agency: str
    registration_date: str
    registration_date_precision: str  # "day", "month" or "year": shown no more precisely
    status: str
    gender: str
    age_at_identification: int | None
    age_min: int | None  # the age as given: exact (min = max), a band, adult or minor
    age_max: int | None
    citizenship: str
    band: str  # "exact" (reference, identity number, date of birth) or a name's bands.band
    given_name: str | None = None
    family_name: str | None = None


@dataclass(frozen=True)
class Results:
    """One page of children found; ``count`` is exact unless ``count_exact`` is false."""

    page: int
    pages: int
    count: int
    count_exact: bool
    names_shown: bool
    results: list[Found] = field(default_factory=list)


def _split(name: str) -> tuple[str, str]:
    """Given and family name of what was typed: the last word is the family name; the index
    also looks each word up in either field, so a name typed the other way round is found."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def _by_name(query: Query, limit: int) -> tuple[dict[int, float], bool]:
    """Case id -> the best probability of the name (with the date of birth, when given), over
    the ``limit`` best records of the whole index; and whether the index had no more."""
    current = store_index()
    given, family = _split(query.name)
    record = {"prs_FirstName": given, "prs_SecondName": family}
    if query.birthdate:
        record["prs_Birthdate"] = query.birthdate.isoformat()
    found = current.index.candidates(
        {k: v for k, v in record.items() if v},
        limit=limit,
        min_probability=MIN_PROBABILITY,
        broad=True,
    )
    scores: dict[int, float] = {}
    for c in found:
        case_id = int(current.case_id[c.row])
        scores[case_id] = max(scores.get(case_id, 0.0), c.probability)
    return scores, len(found) < limit


def _born_on(day: dt.date) -> set[int]:
    current = store_index()
    return {int(current.case_id[row]) for row in current.index.rows_born_on(day.isoformat())}


def _check(user: Any, query: Query) -> None:
    if not policy.allows(user, "case", "list"):
        raise NotAllowed(_("your role may not list cases"))
    given = query.criteria()
    if not given:
        raise Invalid(
            _("Type a name, an identity number, a case reference or a date of birth."), "name"
        )
    identifying = [c for c in given if c != "reference"]
    if identifying and not policy.may_read(user, Tier.IDENTIFYING):
        raise NotAllowed(
            _(
                "Your role does not see children's identities, so it cannot search by name, "
                "identity number or date of birth; search by case reference."
            )
        )


def _narrowed(user: Any, query: Query) -> QuerySet[Case]:
    """The cases the user may list that meet every exact criterion given."""
    cases = policy.scope_cases(user, "list")
    if query.reference.strip():
        cases = cases.filter(reference__istartswith=query.reference.strip())
    if query.identity_number.strip():
        index = blind_index(query.identity_number, "identity_number")
        cases = cases.filter(person__identity_number_index=index)
    if query.birthdate and not query.name.strip():
        cases = cases.filter(pk__in=sorted(_born_on(query.birthdate)))
    return cases


def _ranked(user: Any, query: Query) -> tuple[list[tuple[int, str]], bool]:
    """(case id, band) best first, at most POOL, and whether that is all of them."""
    cases = _narrowed(user, query)
    if not query.name.strip():
        ids = list(cases.order_by("-registration_date", "-pk").values_list("pk", flat=True))
        ids = ids[: POOL + 1]
        return [(i, "exact") for i in ids[:POOL]], len(ids) <= POOL
    scores, visible = _visible_by_name(query, cases)
    order = sorted(visible, key=lambda i: (-scores[i], -i))
    return [(i, band(scores[i])) for i in order[:POOL]], len(visible) <= POOL


def _visible_by_name(query: Query, cases: QuerySet[Case]) -> tuple[dict[int, float], set[int]]:
    """The name's scores, and the cases among them the user may list: the index ranks the
    whole country, so it is asked for more until POOL + 1 of the user's own cases are among
    them or it has no more. Cut before the scope, a common name would hide the user's child
    behind other agencies' and the count would hint at children the user may not see."""
    limit = POOL + 1
    while True:
        scores, exhausted = _by_name(query, limit)
        visible = set(cases.filter(pk__in=list(scores)).values_list("pk", flat=True))
        if exhausted or len(visible) > POOL:
            return scores, visible
        limit *= 4


def find(user: Any, query: Query, page: int = 1, source: str = "") -> Results:
    """One page of the children ``query`` finds among the cases ``user`` may list."""
    _check(user, query)
    ranked, complete = _ranked(user, query)
    pages = max(1, math.ceil(len(ranked) / PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cases = Case.objects.select_related("agency", "person").in_bulk([i for i, _ in shown])
    names = policy.may_read(user, Tier.IDENTIFYING)
    results = [_found(cases[i], b, names) for i, b in shown]
    audit.record(
        user,
        "search",
        "case",
        f"{len(ranked)} found",
        query.criteria(),
        reason=f"find a child: {len(results)} shown on page {page}",
        source=source,
    )
    if names:
        queries.audit_names(user, [cases[i] for i, _ in shown], "search results", source)
    return Results(page, pages, len(ranked), complete, names, results)


def _found(case: Case, band_: str, names: bool) -> Found:
    p = case.person
    return Found(
        case_id=case.pk,
        reference=case.reference,
        agency=case.agency.code,
        registration_date=case.registration_date.isoformat(),
        registration_date_precision=case.registration_date_precision,
        status=case.status,
        gender=case.gender,
        age_at_identification=case.age_at_identification,
        age_min=case.age_min,
        age_max=case.age_max,
        citizenship=case.citizenship,
        band=band_,
        given_name=p.given_name if names else None,
        family_name=p.family_name if names else None,
    )
