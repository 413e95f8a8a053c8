"""Distinct counts over the mart, without DuckDB's distinct aggregate where none is needed.

A table counts distinct units (children or cases) in every cell and every total (``CUBE``).
``count(DISTINCT key)`` over grouping sets costs about a second per 200,000 rows, where a count
of rows costs a hundredth of it; over a million cases it was what made a table slow. Most units
have one record in the mart: a case always, a child unless record linkage joined several
(``child_records``, written by the build). Such a unit has one row per distinct category of
each list dimension, once repeated categories are dropped, so its count in a cell is a count
of rows, and in a total that leaves a list dimension out, a count of the rows of the list's
first category (``i_<name> = 1``). Units with several records are counted apart, with
``count(DISTINCT)`` over their own rows only; the two parts count disjoint units and are added.

The selection's rows carry, per dimension, its code (``d_<name>``); per list dimension also the
category's position in the list (``i_``) and the position of the list's first known category
(``k_``), which says once per unit whether its category is known.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from lantern.monitoring.statistics.dimensions import dimension

#: the mart column whose distinct values are the units counted
UNIT_KEYS: dict[str, str] = {"children": "person_key", "cases": "case_key"}
#: the mart column that says how many records a child has (marts from before it: none)
RECORDS = "child_records"
#: the child as an integer, counted faster than its keyed string (marts from before it: none)
CHILD_NUMBER = "child_number"


#: the most memory the bitmaps of a distinct count may take (every group's, in every thread)
BITMAP_BUDGET = 256 * 2**20


def _columns(path: Path) -> list[str]:
    try:
        return pq.read_schema(path).names
    except (OSError, pa.ArrowInvalid):  # DuckDB says what is wrong with the file
        return []


def col(name: str) -> str:
    return f'"d_{name}"'


def _pos(name: str) -> str:
    return f'"i_{name}"'


def _first_known(name: str) -> str:
    return f'"k_{name}"'


def _list(name: str) -> str:
    return f'"l_{name}"'


def selection(
    path: Path,
    names: Sequence[str],
    unit: str,
    where: Sequence[tuple[str, str]] = (),
    several: bool = False,
) -> tuple[str, list[str]]:
    """One row per unit and distinct category of each list dimension in ``names``, from the
    mart, within ``where``; with ``unit_rows``, the records of the unit (1 for a case; 2 for
    every child of a mart that does not say, so that all are counted with ``count(DISTINCT)``,
    as before). ``several``: only the units of several records."""
    quoted = path.as_posix().replace("'", "''")
    key = UNIT_KEYS[unit]
    if unit == "cases":
        unit_rows = "1"
    else:
        columns = _columns(path)
        unit_rows = RECORDS if RECORDS in columns else "2"
        key = CHILD_NUMBER if CHILD_NUMBER in columns else key
    selects = []
    for name in names:
        d = dimension(name)
        if d.multi:
            selects.append(f"list_transform({d.sql}, lambda x: coalesce(x, '')) AS {_list(name)}")
        else:
            selects.append(f"coalesce({d.sql}, '') AS {col(name)}")
    sql = (
        f"SELECT {key} AS unit_key, {unit_rows} AS unit_rows, agency, "
        f"registration_month, registration_year, registration_precision"
        f"{''.join(', ' + s for s in selects)} FROM read_parquet('{quoted}') AS m"
        f"{' WHERE ' + unit_rows + ' > 1' if several else ''}"
    )
    for name in names:
        if not dimension(name).multi:
            continue
        lst = _list(name)
        # a list's repeated category is one row: the first of its occurrences
        sql = (
            f"SELECT * EXCLUDE ({lst}) FROM (SELECT *, unnest({lst}) AS {col(name)}, "
            f"generate_subscripts({lst}, 1) AS {_pos(name)}, "
            f"list_position(list_transform({lst}, lambda x: x <> ''), true) AS "
            f"{_first_known(name)} FROM ({sql})) WHERE list_position({lst}, {col(name)}) = "
            f"{_pos(name)}"
        )
    if where:
        sql = f"SELECT * FROM ({sql}) WHERE {' AND '.join(f'{col(n)} = ?' for n, _c in where)}"
    return sql, [code for _n, code in where]


def _rows_of(conds: Sequence[str]) -> str:
    return f"count(*) FILTER (WHERE unit_rows = 1{''.join(' AND ' + c for c in conds)})"


def _single(lists: Sequence[str]) -> str:
    """The units of one record in a group: per grouping set, the rows of the first category
    of each list dimension the set leaves out (``lists``: those of the table not filtered)."""
    if not lists:
        return _rows_of(())
    whens = []
    for bits in itertools.product((0, 1), repeat=len(lists)):
        out = [n for n, b in zip(lists, bits, strict=True) if b]
        test = " AND ".join(f"grouping({col(n)}) = {b}" for n, b in zip(lists, bits, strict=True))
        whens.append(f"WHEN {test} THEN {_rows_of([f'{_pos(n)} = 1' for n in out])}")
    return f"CASE {' '.join(whens)} END"


def count(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    shown: Sequence[str],
    names: Sequence[str],
    where: Sequence[tuple[str, str]],
    unit: str,
    groups: str,
) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Every cell and total (``groups``) of the distinct units in ``where``: the categories
    of ``shown`` (None where a total runs over them) and the count last; and per dimension of
    ``names`` the units whose category is known (a unit is unknown in a dimension when none of
    its rows says its category)."""
    filtered = {n for n, _c in where}
    lists = [n for n in names if dimension(n).multi and n not in filtered]
    cols = ", ".join(col(n) for n in shown)
    known = []
    for name in names:
        conds = [f"{col(name)} <> ''"]
        conds += [f"{_pos(n)} = 1" for n in lists if n != name]
        if name in lists:
            conds.append(f"{_pos(name)} = {_first_known(name)}")
        known.append(_rows_of(conds))
    sql, params = selection(path, names, unit, where)
    counts: dict[tuple[Any, ...], int] = {}
    known_counts = [0] * len(names)
    # the units of one record, and the known ones of the whole selection (its grand total)
    width = len(shown)
    for row in con.execute(
        f"SELECT {cols}, {_single(lists)}, {', '.join(known)} FROM ({sql}) GROUP BY {groups}",
        params,
    ).fetchall():
        values = tuple(row[:width])
        counts[values] = int(row[width])
        if all(v is None for v in values):
            known_counts = [int(c) for c in row[width + 1 :]]
    if unit != "cases":  # the units of several records
        sql, params = selection(path, names, unit, where, several=True)
        # about as many groups as the units of one record fill (a bound would cost a pass)
        distinct = _distinct(con, path, 2 * len(counts) + 16)
        for row in con.execute(
            f"SELECT {cols}, {distinct('')} FROM ({sql}) GROUP BY {groups}", params
        ).fetchall():
            values = tuple(row[:width])
            counts[values] = counts.get(values, 0) + int(row[width])
        several = ", ".join(distinct(f"{col(n)} <> ''") for n in names)
        more = con.execute(f"SELECT {several} FROM ({sql})", params).fetchone()
        known_counts = [a + int(b or 0) for a, b in zip(known_counts, more or (), strict=True)]
    return [(*values, n) for values, n in counts.items()], known_counts


def _distinct(con: duckdb.DuckDBPyConnection, path: Path, groups: int) -> Callable[[str], str]:
    """The distinct count of the children in a group (of those meeting a condition, when one
    is given): a bitmap over their numbers (``bitstring_agg``, a bit set per row: about a
    quarter of the time of ``count(DISTINCT)``'s hash of every row) when the mart numbers its
    children and the bitmaps of about ``groups`` groups fit :data:`BITMAP_BUDGET` in every
    thread, else ``count(DISTINCT)``. The build numbers the children of several records
    first, so a bitmap spans just them."""
    span = None
    if CHILD_NUMBER in _columns(path):
        quoted = path.as_posix().replace("'", "''")
        top = con.execute(
            f"SELECT max({CHILD_NUMBER}) FROM read_parquet('{quoted}') WHERE {RECORDS} > 1"
        ).fetchone()
        threads = con.execute("SELECT current_setting('threads')").fetchone()
        most = None if top is None or top[0] is None else int(top[0])
        bitmaps = groups * (most // 8 + 1) * int(threads[0]) if most is not None and threads else 0
        if most is not None and bitmaps <= BITMAP_BUDGET:
            span = most

    def count(condition: str) -> str:
        where = f" FILTER (WHERE {condition})" if condition else ""
        if span is None:
            return f"count(DISTINCT unit_key){where}"
        return f"coalesce(bit_count(bitstring_agg(unit_key, 0, {span}){where}), 0)"

    return count
