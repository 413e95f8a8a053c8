"""Reading the store into the mart's columns, fast enough for a million cases.

Rows are read with plain SQL in pages of the primary key (memory stays flat, no model objects,
no per-row dicts) and turned into columns: the values the mart keeps as they are move column by
column (``zip``), and what is derived from few distinct values (a month, an age category, a
list of codes, a journey's scope) is worked out once per distinct value. A case's journey and
episodes are read for the same page of cases, so each page is complete on its own.

Two reads: :func:`current` (every case's key material and change marker: what a refresh needs
to know which rows to rebuild) and :func:`content` (the columns of the cases to rebuild).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from lantern.monitoring.coarsen import age_category, journey_scope

PAGE = 20_000
#: Ids per ``IN (...)`` when only some cases are read (well under SQLite's variable limit).
BATCH = 2_000

#: The columns of a case row itself, in the order read (JSON lists read as text).
_CASE = (
    "id",
    "registration_date",
    "registration_date_precision",
    "intake_channel",
    "gender",
    "age_group",
    "age_evidence",
    "age_min",
    "age_max",
    "age_at_identification",
    "method_of_recruitment",
    "relationship_to_trafficker",
    "methods_of_control",
    "citizenship",
    "primary_form",
    "forms_of_exploitation",
    "trafficking_status",
    "status",
    "outcome",
)
_JSON = {"methods_of_control", "forms_of_exploitation"}

#: What :func:`content` gives: every column of the mart but the keyed ones.
CONTENT = (
    "registration_month",
    "registration_year",
    "registration_precision",
    "intake_channel",
    "sex",
    "age_group",
    "age_evidence",
    "age_category",
    "citizenship",
    "primary_form",
    "forms",
    "sectors",
    "trafficking_status",
    "recruitment_method",
    "relationship_to_trafficker",
    "control_methods",
    "status",
    "outcome",
    "origin_country",
    "origin_state",
    "destination_country",
    "destination_state",
    "journey_scope",
)


_CHILDREN = ("cases_traffickingevent", "cases_exploitation")
#: The triggers that keep ``Case.revision`` (cases migration 0029), by backend. A migration
#: that rebuilds one of these tables on SQLite drops its triggers without a word.
REVISION_TRIGGERS: dict[str, frozenset[str]] = {
    "sqlite": frozenset(
        {"case_revision_au", *(f"{t}_revision_{w}" for t in _CHILDREN for w in ("au", "ad"))}
    ),
    "postgresql": frozenset(
        {"case_revision_bu", *(f"{t}_revision_{w}" for t in _CHILDREN for w in ("au", "ad"))}
    ),
}


def revision_triggers_missing() -> frozenset[str]:
    """The revision triggers the store should have and has not: without them a change may
    leave the revision as it was, and a refresh that trusts it would keep a stale row."""
    expected = REVISION_TRIGGERS.get(connection.vendor, frozenset())
    if not expected:
        return frozenset()
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        found = {name for (name,) in cur.fetchall()}
    return expected - found


def _tables() -> tuple[str, str, str, str]:
    from lantern.cases.models import Case, Exploitation, Person, TraffickingEvent

    return (
        Case._meta.db_table,
        Person._meta.db_table,
        TraffickingEvent._meta.db_table,
        Exploitation._meta.db_table,
    )


def _pages(sql: str, params: Sequence[Any] = ()) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of ``sql`` (which selects the case id first and takes ``{after}``) a page at a time,
    by case id: each page one indexed range query, whatever the backend."""
    last = -1
    while True:
        with connection.cursor() as cur:
            cur.execute(sql.format(after="%s", limit=PAGE), [*params, last])
            rows = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
        if len(rows) < PAGE:
            return


def _uuid_text(value: Any) -> str:
    """A person key as text in its usual form (SQLite keeps the bare hex, PostgreSQL a uuid)."""
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


@dataclass
class Current:
    """Every case in the store, by id: the key material and the change marker."""

    ids: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)
    persons: list[int] = field(default_factory=list)
    person_keys: list[str] = field(default_factory=list)
    agencies: list[int] = field(default_factory=list)
    #: journey events and episodes per case: a new one changes the count (updates and
    #: deletions bump the case's revision)
    events: dict[int, int] = field(default_factory=dict)
    episodes: dict[int, int] = field(default_factory=dict)


def current() -> Current:
    """Every case's id, reference, revision, person and agency, then the counts of its events
    and episodes: read in this order, so that a change made meanwhile is never recorded as
    seen (at worst its case is rebuilt once more next time)."""
    case, person, event, episode = _tables()
    now = Current()
    sql = (
        f"SELECT c.id, c.reference, c.revision, c.person_id, CAST(p.key AS TEXT), c.agency_id "
        f"FROM {case} c JOIN {person} p ON p.id = c.person_id "
        "WHERE c.id > {after} ORDER BY c.id LIMIT {limit}"
    )
    for rows in _pages(sql):
        ids, refs, revs, persons, keys, agencies = zip(*rows, strict=True)
        now.ids += ids
        now.references += refs
        now.revisions += revs
        now.persons += persons
        now.person_keys += map(_uuid_text, keys)
        now.agencies += agencies
    with connection.cursor() as cur:
        cur.execute(f"SELECT case_id, count(*) FROM {event} GROUP BY case_id")
        now.events = dict(cur.fetchall())
        cur.execute(f"SELECT case_id, count(*) FROM {episode} GROUP BY case_id")
        now.episodes = dict(cur.fetchall())
    return now


def _memo(fn: Callable[[Any], Any]) -> Callable[[Sequence[Any]], list[Any]]:
    """``fn`` over a column, once per distinct value."""

    def over(values: Sequence[Any]) -> list[Any]:
        seen: dict[Any, Any] = {}
        out = []
        for v in values:
            try:
                out.append(seen[v])
            except KeyError:
                seen[v] = r = fn(v)
                out.append(r)
        return out

    return over


def _month_year(value: Any) -> tuple[dt.date | None, int | None]:
    if value is None:
        return None, None
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return d.replace(day=1), d.year


def _codes(text: Any) -> tuple[str, ...]:
    if text is None:
        return ()
    value = json.loads(text) if isinstance(text, str) else text
    return tuple(value or ())


def _age(bounds: tuple[int | None, int | None, int | None]) -> str:
    """The age as the source gave it (age_min/age_max); an exact age recorded without them
    (intake before the bounds existed) is its own band."""
    low, high, exact = bounds
    if low is None and high is None and exact is not None:
        low = high = exact
    return age_category(low, high)


_months = _memo(_month_year)
_lists = _memo(_codes)
_ages = _memo(_age)
#: coarsen.journey_scope of a journey naming this many countries
_scopes = _memo(lambda n: journey_scope(str(i + 1) for i in range(n)))


def _where(ids: Sequence[int] | None, column: str) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _chunks(ids: Sequence[int] | None) -> Iterator[tuple[list[tuple[Any, ...]], list[int]]]:
    """Pages of case rows: every case (``ids`` None) in id order, or the cases ``ids``."""
    case = _tables()[0]
    columns = ", ".join(
        f"CAST({c} AS TEXT)" if c in _JSON else ("id" if c == "id" else c) for c in _CASE
    )
    if ids is None:
        sql = f"SELECT {columns} FROM {case} WHERE id > {{after}} ORDER BY id LIMIT {{limit}}"
        for rows in _pages(sql):
            yield rows, [r[0] for r in rows]
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        where, params = _where(batch, "id")
        with connection.cursor() as cur:
            cur.execute(f"SELECT {columns} FROM {case} WHERE 1 = 1{where} ORDER BY id", params)
            rows = cur.fetchall()
        yield rows, batch


def _journeys(
    first: int, last: int, ids: Sequence[int] | None
) -> dict[int, tuple[str, str, str, str, int]]:
    """Per case from ``first`` to ``last`` (or only ``ids``) with a journey: the origin (first
    recruitment) and destination (last exploitation), country and state ('' when the journey
    has none), and how many countries its steps name; worked out by the store, which sends a
    row per case rather than per step."""
    event = _tables()[2]
    where, params = _where(ids, "case_id")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT case_id, "
            "MAX(CASE WHEN type = 'recruitment' AND a = 1 THEN country END), "
            "MAX(CASE WHEN type = 'recruitment' AND a = 1 THEN state END), "
            "MAX(CASE WHEN type = 'exploitation' AND z = 1 THEN country END), "
            "MAX(CASE WHEN type = 'exploitation' AND z = 1 THEN state END), "
            "COUNT(DISTINCT NULLIF(country, '')) "
            "FROM (SELECT case_id, type, country, state, "
            "ROW_NUMBER() OVER (PARTITION BY case_id, type ORDER BY seq, id) AS a, "
            "ROW_NUMBER() OVER (PARTITION BY case_id, type ORDER BY seq DESC, id DESC) AS z "
            f"FROM {event} WHERE case_id >= %s AND case_id <= %s{where}) steps GROUP BY case_id",
            [first, last, *params],
        )
        return {
            case_id: (oc or "", os or "", dc or "", ds or "", n)
            for case_id, oc, os, dc, ds, n in cur.fetchall()
        }


def _sectors(first: int, last: int, ids: Sequence[int] | None) -> dict[int, list[str]]:
    """The ISIC sections of each case's episodes, once each, in the episodes' order."""
    episode = _tables()[3]
    where, params = _where(ids, "case_id")
    sectors: dict[int, list[str]] = {}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT case_id, isic_section FROM {episode} WHERE isic_section <> '' "
            f"AND case_id >= %s AND case_id <= %s{where} ORDER BY case_id, seq, id",
            [first, last, *params],
        )
        for case_id, section in cur.fetchall():
            found = sectors.setdefault(case_id, [])
            if section not in found:
                found.append(section)
    return sectors


def content(
    ids: Sequence[int] | None = None, progress: Callable[[int], object] | None = None
) -> tuple[list[int], dict[str, list[Any]]]:
    """The case ids read (in id order) and the :data:`CONTENT` columns of those cases: every
    case (``ids`` None), or the cases ``ids`` (those deleted meanwhile are left out).
    ``progress(n)`` hears of each page of ``n`` cases read."""
    read: list[int] = []
    cols: dict[str, list[Any]] = {name: [] for name in CONTENT}
    for rows, batch in _chunks(ids):
        if not rows:
            continue
        (
            case_ids,
            registered,
            precision,
            channel,
            gender,
            age_group,
            age_evidence,
            age_min,
            age_max,
            age_exact,
            recruitment,
            relationship,
            control,
            citizenship,
            primary,
            forms,
            status_t,
            status,
            outcome,
        ) = zip(*rows, strict=True)
        first, last = case_ids[0], case_ids[-1]
        subset = batch if ids is not None else None
        journeys = _journeys(first, last, subset)
        sectors = _sectors(first, last, subset)
        months = _months(registered)
        read += case_ids
        cols["registration_month"] += [m for m, _ in months]
        cols["registration_year"] += [y for _, y in months]
        cols["registration_precision"] += [p or "day" for p in precision]
        cols["intake_channel"] += channel
        cols["sex"] += gender
        cols["age_group"] += age_group
        cols["age_evidence"] += age_evidence
        cols["age_category"] += _ages(list(zip(age_min, age_max, age_exact, strict=True)))
        cols["citizenship"] += citizenship
        cols["primary_form"] += primary
        cols["forms"] += _lists(forms)
        cols["sectors"] += [sectors.get(c, ()) for c in case_ids]
        cols["trafficking_status"] += status_t
        cols["recruitment_method"] += recruitment
        cols["relationship_to_trafficker"] += relationship
        cols["control_methods"] += _lists(control)
        cols["status"] += status
        cols["outcome"] += outcome
        none = ("", "", "", "", 0)
        steps = [journeys.get(c, none) for c in case_ids]
        cols["origin_country"] += [j[0] for j in steps]
        cols["origin_state"] += [j[1] for j in steps]
        cols["destination_country"] += [j[2] for j in steps]
        cols["destination_state"] += [j[3] for j in steps]
        cols["journey_scope"] += _scopes([j[4] for j in steps])
        if progress is not None:
            progress(len(case_ids))
    return read, cols
