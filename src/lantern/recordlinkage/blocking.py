"""Blocking: which record pairs are compared at all, as capped keys within a pair budget.

A key's value held by more records than the key's cap is nulled for that key, so a common
name or a placeholder never forms a quadratic block; finer keys still pair those records.
All keys together may make at most :func:`pair_budget` pairs (linear in the records), shared
max-min fairly; each key's cap is the largest block size whose pairs fit its share. Keys are
63-bit hashes of their columns, so blocks join on integers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from lantern.recordlinkage.backends import connect


@dataclass(frozen=True, slots=True)
class BlockingKey:
    """A blocking key: records agreeing on all ``columns`` are compared.

    A key value held by more records than the key's cap is dropped (set to null) for this
    key, so a common name or a placeholder never makes a block of quadratic size; finer keys
    that add a birth year or place still pair those records.
    """

    name: str
    columns: tuple[str, ...]
    cap_share: float = 1.0  # this key's cap as a share of the run's block cap
    #: The first column is a list (a name's words): the key holds one value per element,
    #: and two records are compared when any of their values agree (splink explodes it).
    explode: bool = False


#: Blocking keys, from coarse to fine.
BLOCKING_KEYS: tuple[BlockingKey, ...] = (
    BlockingKey("blk_name", ("name_key",)),
    BlockingKey("blk_name_year", ("name_key", "birth_year_int")),
    BlockingKey("blk_name_place", ("name_key", "city")),
    BlockingKey("blk_canon_family", ("given_canon", "family_skel")),
    BlockingKey("blk_joined", ("joined_skel",)),
    BlockingKey("blk_joined_rev", ("joined_skel_rev",)),
    BlockingKey("blk_given", ("given_skel",), cap_share=0.25),
    BlockingKey("blk_family", ("family_skel",), cap_share=0.25),
    BlockingKey("blk_given_year", ("given_skel", "birth_year_int")),
    BlockingKey("blk_given_year_sex", ("given_skel", "birth_year_int", "sex")),
    BlockingKey("blk_family_place", ("family_skel", "city")),
    BlockingKey("blk_family_year", ("family_skel", "birth_year_int")),
    BlockingKey("blk_given_place", ("given_canon", "city")),
    BlockingKey("blk_given_dob", ("given_canon", "dob")),
    BlockingKey("blk_family_dob", ("family_skel", "dob")),
    BlockingKey("blk_dob_sex", ("dob", "sex")),
    BlockingKey("blk_dob_place", ("dob", "city")),
    # names that disagree (another script romanised differently, a nickname, a different cut)
    # and no exact birth date: the same district and sex with the given name's first sounds,
    # or with the birth year
    BlockingKey("blk_head_place_sex", ("given_head", "city", "sex")),
    BlockingKey("blk_year_place_sex", ("birth_year_int", "city", "sex")),
    BlockingKey("blk_tok_state", ("name_toks", "state", "sex"), explode=True),
    BlockingKey("blk_rare_tok", ("rare_tok",), cap_share=0.25),
    # a given name with a day of the journey or where it led: records that hold little more
    # than a given name (no family name, no birth date) still meet their child's other records
    BlockingKey("blk_given_recruited", ("given_skel", "recruited")),
    BlockingKey("blk_given_exploited", ("given_skel", "exploited")),
    BlockingKey("blk_given_destination", ("given_skel", "destination", "sex")),
    BlockingKey("blk_identity", ("identity",)),
    BlockingKey("blk_street", ("street",)),
    BlockingKey("blk_postcode_dob", ("postcode", "dob")),
)

DEFAULT_BLOCK_CAP = 200
#: Blocked pairs allowed per record, summed over all keys: pairs grow linearly with N.
PAIRS_PER_RECORD = 5
#: The budget is never below this, so on small files the plain cap binds first.
MIN_PAIR_BUDGET = 2_000_000


def _key_sql(key: BlockingKey) -> str:
    """A key's value as a 63-bit hash of its parts (integer joins), NULL if a part is unknown.

    An exploded key's values are one row per element (``value``), with the record's ``_row``.
    """
    known = " AND ".join(f"{column} IS NOT NULL" for column in key.columns)
    if key.explode:
        return f"(hash(element{''.join(f', {c}' for c in key.columns[1:])}) >> 1)::BIGINT"
    return f"CASE WHEN {known} THEN (hash({', '.join(key.columns)}) >> 1)::BIGINT END"


def _key_values(key: BlockingKey, table: str) -> str:
    """SQL of every known ``value`` of ``key`` in ``table`` (with ``_row`` when exploded; a
    record's words are distinct, so it holds each exploded value once)."""
    known = " AND ".join(f"{column} IS NOT NULL" for column in key.columns)
    if key.explode:
        rest = "".join(f", {column}" for column in key.columns[1:])
        return (
            f"SELECT _row, {_key_sql(key)} AS value FROM (SELECT _row, "
            f"unnest({key.columns[0]}) AS element{rest} FROM {table} WHERE {known})"
        )
    return f"SELECT {_key_sql(key)} AS value FROM {table} WHERE {known}"


def _pairs_up_to(sizes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative pairs made by the blocks of each size and all smaller ones."""
    return np.cumsum(counts * sizes * (sizes - 1) // 2)


def share_budget(demands: Sequence[int], budget: int) -> list[int]:
    """Split a pair budget over keys max-min fairly: a key that needs less than an equal
    share keeps what it needs and leaves the rest to the keys that need more."""
    shares = [0] * len(demands)
    remaining, left = budget, len(demands)
    for index in sorted(range(len(demands)), key=lambda i: demands[i]):
        shares[index] = min(demands[index], remaining // left)
        remaining -= shares[index]
        left -= 1
    return shares


def pair_budget(records: int) -> int:
    """Blocked pairs allowed over all keys for ``records`` records: linear in N."""
    return max(PAIRS_PER_RECORD * records, MIN_PAIR_BUDGET)


def block_caps(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    block_cap: int = DEFAULT_BLOCK_CAP,
    keys: Sequence[BlockingKey] = BLOCKING_KEYS,
    budget: int | None = None,
) -> list[int]:
    """Each key's largest allowed block: at most ``block_cap`` (times the key's share), and
    lower when the key's pairs would exceed its part of the ``budget`` (default
    :func:`pair_budget` of the table's records)."""
    if budget is None:
        records = connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
        budget = pair_budget(int(records[0]))
    limits, demands, profiles = [], [], []
    for key in keys:
        limit = max(2, int(block_cap * key.cap_share))
        profile = connection.execute(
            f"SELECT n, count(*) FROM (SELECT count(*) AS n "
            f"FROM ({_key_values(key, table)}) GROUP BY value) WHERE n BETWEEN 2 AND {limit} "
            "GROUP BY n ORDER BY n"
        ).fetchnumpy()
        sizes = np.asarray(profile["n"], dtype=np.int64)
        counts = np.asarray(profile["count_star()"], dtype=np.int64)
        cumulative = _pairs_up_to(sizes, counts)
        limits.append(limit)
        demands.append(int(cumulative[-1]) if len(cumulative) else 0)
        profiles.append((sizes, cumulative))
    caps = []
    for limit, share, (sizes, cumulative) in zip(
        limits, share_budget(demands, budget), profiles, strict=True
    ):
        fitting = sizes[cumulative <= share]
        if len(fitting) == len(sizes):
            caps.append(limit)
        else:
            caps.append(int(fitting[-1]) if len(fitting) else 2)
    return caps


def add_blocking_keys_in(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    block_cap: int = DEFAULT_BLOCK_CAP,
    keys: Sequence[BlockingKey] = BLOCKING_KEYS,
) -> list[str]:
    """Add one capped key column per blocking key to ``table``; return their names."""
    caps = block_caps(connection, table, block_cap, keys)
    capped, joins = [], []
    for key, cap in zip(keys, caps, strict=True):
        if key.explode:
            # the values of blocks small enough, gathered back into one list per record
            joins.append(
                f"LEFT JOIN (SELECT _row, list(DISTINCT value) AS {key.name} FROM "
                f"({_key_values(key, table)}) AS v WHERE value IN (SELECT value FROM "
                f"({_key_values(key, table)}) GROUP BY value HAVING count(*) "
                f"BETWEEN 2 AND {cap}) GROUP BY _row) AS {key.name}_values USING (_row)"
            )
            capped.append(f"{key.name}_values.{key.name}")
            continue
        big = (
            f"SELECT {_key_sql(key)} AS value FROM {table} WHERE {_key_sql(key)} IS NOT NULL "
            f"GROUP BY 1 HAVING count(*) > {cap}"
        )
        capped.append(
            f"CASE WHEN {_key_sql(key)} IN ({big}) THEN NULL ELSE {_key_sql(key)} END AS {key.name}"
        )
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {table}.*, {', '.join(capped)} "
        f"FROM {table} {' '.join(joins)}"
    )
    return [key.name for key in keys]


def add_blocking_keys(
    frame: pd.DataFrame,
    block_cap: int = DEFAULT_BLOCK_CAP,
    keys: Iterable[BlockingKey] = BLOCKING_KEYS,
) -> pd.DataFrame:
    """A prepared frame with one capped key column per blocking key (null when unknown)."""
    connection = connect()
    try:
        columns = sorted({column for key in keys for column in key.columns})
        source = pa.Table.from_pandas(frame[columns], preserve_index=False)
        connection.register(
            "frame_arrow", source.append_column("_row", pa.array(range(len(frame))))
        )
        connection.execute("CREATE TEMP TABLE frame AS SELECT * FROM frame_arrow")
        names = add_blocking_keys_in(connection, "frame", block_cap, tuple(keys))
        blocks = connection.sql(
            f"SELECT {', '.join(names)} FROM frame ORDER BY _row"
        ).to_arrow_table()
    finally:
        connection.close()
    out = frame.copy()
    for name in names:
        out[name] = blocks.column(name).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return out
