"""From agency records (docs/record-format.md) to the frame the linkage model compares.

Each record becomes one row keyed ``agency|source_record_id`` carrying name keys
(:mod:`lantern.linkage.names`), a birth-year estimate that treats estimated birth dates and
stated ages as the uncertain evidence they are, sex, citizenship and home place. The HTCDS
mailing street and postal code (``prs_MailingStreet``, ``prs_MailingPostalCode``) are read
when a file has them (FEBRL does; the simulation does not). Nothing else from the record
(case context, exploitation, actors) is read: linkage needs only what identifies the child,
and reads no more of it than that.

Preparation runs as DuckDB SQL over Arrow, so a million records take seconds, not a pandas
object frame's half-minute and gigabytes. Name keys are computed in Python once per
*distinct* name (a country has far fewer names than records) and joined back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lantern.linkage.backends import connect
from lantern.linkage.names import (
    canonical_given,
    name_keys,
    romanise,
    skeleton,
    sound,
    token_skeletons,
)
from lantern.taxonomy.codes import code_list

REQUIRED_COLUMNS: tuple[str, ...] = ("agency", "source_record_id", "cas_RegistrationDate")

#: Record-format columns that say who the child is: what a record or a tracing request
#: carries for linkage to compare.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "prs_FirstName",
    "prs_SecondName",
    "ext_Nickname",
    "prs_Gender",
    "prs_Birthdate",
    "ext_BirthdateEstimated",
    "ext_StatedAge",
    "prs_Citizenship",
    "prs_IdentityNumber",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingCity",
)

#: Record-format columns on what happened to the child: the journey's dates and places and
#: the case's coded circumstances. Two records of one child agree on them far more often than
#: two children's records do, so they tell apart children who share a common name.
CIRCUMSTANCE_COLUMNS: tuple[str, ...] = (
    "hte_Events",
    "ext_Exploitations",
    "vic_TypeOfExploitation",
    "vic_AgeWhenTrafficked",
    "vic_MethodOfRecruitment",
    "vic_RelationshipToTrafficker",
    "vic_MethodsOfControl",
    "ext_Vulnerabilities",
)
#: Circumstance columns holding a JSON list (text in files; lists of mappings in frames).
JSON_LIST_COLUMNS = frozenset({"hte_Events", "ext_Exploitations"})

#: Record-format columns that linkage reads; any other column is ignored.
LINKAGE_COLUMNS: tuple[str, ...] = (
    *REQUIRED_COLUMNS,
    *IDENTITY_COLUMNS,
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "con_TracingConsent",
    *CIRCUMSTANCE_COLUMNS,
)

_DAYS_PER_YEAR = 365.2425


class RecordFormatError(ValueError):
    """Input that does not follow the agency record format; says which column and rows."""


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

#: Prepared columns, in order (blocking keys follow when asked for).
PREPARED_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "agency",
    "source_record_id",
    "given_written",
    "given_latin",
    "given_sound",
    "given_skel",
    "family_written",
    "family_latin",
    "family_sound",
    "family_skel",
    "given_canon",
    "nickname_latin",
    "name_key",
    "registered",
    "dob",
    "birth_year",
    "birth_year_int",
    "birth_estimated",
    "sex",
    "citizenship",
    "identity",
    "country",
    "state",
    "city",
    "street",
    "postcode",
    "tracing_consent",
    "joined_skel",
    "joined_skel_rev",
    "joined_latin",
    "joined_latin_rev",
    "name_toks",
    "rare_tok",
    "joined_skel_n",
    "recruited",
    "exploited",
    "destination",
    "forms",
    "age_trafficked",
    "recruitment_method",
    "relationship",
    "control",
    "vulnerabilities",
)


def _citizenship(value: object) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        codes = [str(code).strip().upper() for code in value]
    else:
        codes = [code.strip().upper() for code in str(value).split(";")]
    codes = sorted({code for code in codes if code})
    return codes or None


def _identity(value: object) -> str | None:
    if value is None:
        return None
    text = "".join(ch for ch in str(value).upper() if ch.isalnum())
    return text if len(text) >= 4 else None


def _json_text(value: object) -> object:
    """A journey held as a list (of mappings) as JSON text; text and blanks as they are."""
    if isinstance(value, list | tuple | np.ndarray):
        return json.dumps(list(value), default=str)  # dates inside as ISO text
    return value


def _as_arrow_column(series: pd.Series, column: str = "") -> pa.Array | pa.ChunkedArray:
    if column in JSON_LIST_COLUMNS:
        series = series.map(_json_text)
    try:
        return pa.array(series, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array(series.astype("string"), from_pandas=True)


def _source_table(records: pd.DataFrame | pa.Table) -> pa.Table:
    """The linkage columns as Arrow: text (dates as ISO text), citizenship text or list."""
    present = (
        [column for column in LINKAGE_COLUMNS if column in records.column_names]
        if (isinstance(records, pa.Table))
        else [column for column in LINKAGE_COLUMNS if column in records.columns]
    )
    missing = [column for column in REQUIRED_COLUMNS if column not in present]
    if missing:
        raise RecordFormatError(f"missing required column(s): {', '.join(missing)}")
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for column in LINKAGE_COLUMNS:
        if column not in present:
            columns[column] = pa.nulls(len(records), pa.string())
            continue
        array = (
            records.column(column)
            if isinstance(records, pa.Table)
            else _as_arrow_column(records[column], column)
        )
        kind = array.type
        if pa.types.is_dictionary(kind):
            array, kind = array.cast(kind.value_type), kind.value_type
        listed = pa.types.is_list(kind) or pa.types.is_large_list(kind)
        if column == "prs_Citizenship" and listed:
            columns[column] = array.cast(pa.list_(pa.string()))
        elif listed and pa.types.is_string(kind.value_type):  # codes as a list: "a;b" text
            columns[column] = pc.binary_join(array, ";")
        elif listed or pa.types.is_struct(kind):  # a journey as nested values: JSON text
            columns[column] = pa.array(
                [_json_text(v) for v in array.to_pylist()], pa.string(), from_pandas=True
            )
        elif pa.types.is_temporal(kind):
            columns[column] = pc.strftime(array.cast(pa.timestamp("s")), format="%Y-%m-%d")
        elif pa.types.is_null(kind):
            columns[column] = array.cast(pa.string())
        else:
            columns[column] = array.cast(pa.string())
    columns["_row"] = pa.array(np.arange(len(records), dtype=np.int64))
    return pa.table(columns)


def _parquet_column(column: str, kind: pa.DataType | None) -> str:
    """SQL reading one record-format column of a Parquet file as ``_source_table`` holds it."""
    if kind is None:
        return f"NULL::VARCHAR AS {column}"
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    listed = pa.types.is_list(kind) or pa.types.is_large_list(kind)
    if column == "prs_Citizenship" and listed:
        return f"CAST({column} AS VARCHAR[]) AS {column}"
    if listed and pa.types.is_string(kind.value_type):
        return f"array_to_string({column}, ';') AS {column}"
    if listed or pa.types.is_struct(kind):
        return f"CAST(to_json({column}) AS VARCHAR) AS {column}"
    if pa.types.is_temporal(kind):
        return f"strftime({column}, '%Y-%m-%d') AS {column}"
    return f"CAST({column} AS VARCHAR) AS {column}"


def _register_source(
    connection: duckdb.DuckDBPyConnection, records: pd.DataFrame | pa.Table | Path
) -> pa.DataType:
    """Make the view ``src`` of the linkage columns; return how it holds citizenship.

    A Parquet file is scanned by DuckDB in place, so its long columns (journeys as JSON) are
    read a piece at a time and never held whole; frames and tables are scanned where they are.
    """
    if not isinstance(records, Path):
        source = _source_table(records)
        connection.register("src_table", source)  # scanned in place, not copied
        connection.execute("CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM src_table")
        return source.schema.field("prs_Citizenship").type
    try:
        schema = pq.read_schema(records)
    except (OSError, pa.ArrowInvalid) as error:
        raise RecordFormatError(f"{records.name}: not a readable Parquet file ({error})") from None
    kinds = {name: schema.field(name).type for name in schema.names}
    missing = [column for column in REQUIRED_COLUMNS if column not in kinds]
    if missing:
        raise RecordFormatError(f"missing required column(s): {', '.join(missing)}")
    select = ", ".join(_parquet_column(column, kinds.get(column)) for column in LINKAGE_COLUMNS)
    path = str(records).replace("'", "''")
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW src AS SELECT {select}, file_row_number::BIGINT AS _row "
        f"FROM read_parquet('{path}', file_row_number = true)"
    )
    citizenship = kinds.get("prs_Citizenship", pa.string())
    listed = pa.types.is_list(citizenship) or pa.types.is_large_list(citizenship)
    return pa.list_(pa.string()) if listed else pa.string()


def _text(column: str) -> str:
    """SQL for a record-format cell as text: trimmed, blank = NULL (unknown)."""
    return f"NULLIF(trim({column}, ' \t\r\n'), '')"


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [str(row[0]) for row in connection.execute(sql).fetchall()]


def _validate(connection: duckdb.DuckDBPyConnection) -> None:
    """Required keys present, unique and well formed; dates ISO; ages plausible."""
    for column in ("agency", "source_record_id"):
        rows = _rows(
            connection,
            f"SELECT _row + 1 FROM src WHERE {_text(column)} IS NULL ORDER BY _row LIMIT 3",
        )
        if rows:
            raise RecordFormatError(f"column {column!r} is blank in row(s) {', '.join(rows)}")
    rows = _rows(
        connection, "SELECT _row + 1 FROM src WHERE contains(agency, '|') ORDER BY _row LIMIT 3"
    )
    if rows:
        raise RecordFormatError(f"column 'agency' must not contain '|' (row(s) {', '.join(rows)})")
    repeats = connection.execute(
        "SELECT count(*) - count(DISTINCT unique_id) FROM keyed"
    ).fetchall()[0]
    if repeats[0]:
        first = _rows(
            connection,
            "SELECT unique_id FROM (SELECT unique_id, _row, row_number() OVER "
            "(PARTITION BY unique_id ORDER BY _row) AS seen FROM keyed) "
            "WHERE seen = 2 ORDER BY _row LIMIT 1",
        )[0]
        raise RecordFormatError(
            f"(agency, source_record_id) must be unique: {repeats[0]} repeat(s), first {first!r}"
        )
    for column in ("cas_RegistrationDate", "prs_Birthdate"):
        bad = connection.execute(
            f"SELECT count(*), list(unique_id ORDER BY _row)[1:3] FROM keyed "
            f"WHERE {_text(column)} IS NOT NULL AND TRY_STRPTIME({_text(column)}, '%Y-%m-%d') "
            "IS NULL"
        ).fetchall()[0]
        if bad[0]:
            raise RecordFormatError(
                f"column {column!r}: {bad[0]} value(s) are not ISO YYYY-MM-DD dates "
                f"(records {', '.join(bad[1])})"
            )
    age = f"TRY_CAST({_text('ext_StatedAge')} AS DOUBLE)"
    bad = connection.execute(
        f"SELECT list(unique_id ORDER BY _row)[1:3] FROM keyed WHERE "
        f"{_text('ext_StatedAge')} IS NOT NULL AND ({age} IS NULL OR isnan({age}) "
        f"OR {age} < 0 OR {age} > 120)"
    ).fetchall()[0]
    if bad[0]:
        raise RecordFormatError(
            f"column 'ext_StatedAge': not an age in years (records {', '.join(bad[0])})"
        )


def _name_table(connection: duckdb.DuckDBPyConnection) -> pa.Table:
    """Keys of each distinct name as written (given, family and nickname fields together)."""
    distinct = connection.execute(
        "SELECT DISTINCT raw FROM (SELECT prs_FirstName AS raw FROM src UNION ALL "
        "SELECT prs_SecondName FROM src UNION ALL SELECT ext_Nickname FROM src) "
        "WHERE raw IS NOT NULL"
    ).fetchall()
    raws: list[str] = []
    keys: dict[str, list[str | None]] = {
        "written": [],
        "latin": [],
        "sound": [],
        "skel": [],
        "canon": [],
    }
    tokens: list[list[str] | None] = []
    for (raw,) in distinct:
        text = raw.strip()
        if not text:
            continue
        found = name_keys(text)
        raws.append(raw)
        keys["written"].append(found.written or None)
        keys["latin"].append(found.latin or None)
        keys["sound"].append((sound(found.latin) or None) if found.latin else None)
        keys["skel"].append(found.skeleton or None)
        keys["canon"].append((canonical_given(found.latin) or None) if found.latin else None)
        tokens.append(token_skeletons(found.latin) or None)
    return pa.table(
        {"raw": pa.array(raws, pa.string())}
        | {name: pa.array(values, pa.string()) for name, values in keys.items()}
        | {"toks": pa.array(tokens, pa.list_(pa.string()))}
    )


def joined_skeletons(given_latin: str | None, family_latin: str | None) -> tuple[str, str]:
    """Skeletons of the whole name joined in both orders (given+family, family+given).

    Agencies split one name over the two fields at different points or not at all
    (``kihnsanda`` / ``khin`` and ``khinsandakhin``); the joined skeleton is the same however
    the name was cut, so it pairs such records where the per-field keys cannot. (Reference
    for :func:`_joined_sql`, which joins the per-field skeletons in the database.)
    """
    given, family = given_latin or "", family_latin or ""
    return skeleton(given + family), skeleton(family + given)


def _joined_sql(first: str, second: str) -> str:
    """Two per-field skeletons joined as :func:`skeleton` would join the names: a letter
    repeated across the cut is one letter. NULL when neither field has a name."""
    return (
        f"CASE WHEN {first} IS NULL AND {second} IS NULL THEN NULL "
        f"WHEN {first} IS NULL THEN {second} WHEN {second} IS NULL THEN {first} "
        f"WHEN right({first}, 1) = left({second}, 1) THEN {first} || substr({second}, 2) "
        f"ELSE {first} || {second} END"
    )


def _place_table(connection: duckdb.DuckDBPyConnection) -> pa.Table:
    """Romanised key of each distinct state, city and street as written."""
    distinct = connection.execute(
        "SELECT DISTINCT raw FROM (SELECT prs_MailingState AS raw FROM src UNION ALL "
        "SELECT prs_MailingCity FROM src UNION ALL SELECT prs_MailingStreet FROM src) "
        "WHERE raw IS NOT NULL"
    ).fetchall()
    raws = [raw for (raw,) in distinct if raw.strip()]
    latin = [romanise(raw.strip()) or None for raw in raws]
    return pa.table({"raw": pa.array(raws, pa.string()), "latin": pa.array(latin, pa.string())})


def _citizenship_sql(kind: pa.DataType) -> str:
    codes = "prs_Citizenship" if pa.types.is_list(kind) else "string_split(prs_Citizenship, ';')"
    cleaned = (
        f"list_sort(list_distinct(list_filter(list_transform({codes}, "
        "lambda code: upper(trim(code))), lambda code: code <> '')))"
    )
    return f"CASE WHEN len({cleaned}) > 0 THEN {cleaned} END"


def _json_list(cell: str, fields: Sequence[str]) -> str:
    """SQL for a JSON list of objects as a list of structs of text ``fields``; NULL when the
    cell is not such a list (linkage reads what it can; the import reports bad rows).

    ``cell`` is the raw column: blank is not valid JSON, and trimming long JSON text first
    costs more than parsing it.
    """
    shape = json.dumps([dict.fromkeys(fields, "VARCHAR")])
    return f"CASE WHEN json_valid({cell}) THEN json_transform({cell}, '{shape}') END"


def _first_day(items: str, date: str, kind: str | None = None) -> str:
    """SQL for the earliest day (days since 1970) of ``items``' ``date``, of one event kind."""
    chosen = f"list_filter({items}, lambda e: e.type = '{kind}')" if kind else items
    day = f"lambda e: TRY_CAST(e.{date} AS DATE) - DATE '1970-01-01'"
    return f"list_min(list_transform({chosen}, {day}))"


#: Bits of a code set: each code of the list its own bit, any other code one of the rest.
CODE_BITS = 62


def _code_bits(cell: str, list_name: str) -> str:
    """SQL for a ``;``-separated code list as a set of bits, NULL if none: records share codes
    where their bits meet, and comparing two integers costs far less than intersecting two
    lists, a million times over. Each code of ``list_name`` (the taxonomy's, at most
    ``CODE_BITS`` codes, case ignored) has a bit of its own; a code not in it is hashed into
    the bits left, where two such codes may share one."""
    known = [code.lower() for code in code_list(list_name).ids()]
    if len(known) >= CODE_BITS:
        raise ValueError(f"code list {list_name!r} has more codes than a set of bits holds")
    bit_of = ", ".join(
        f"'{code.replace(chr(39), chr(39) * 2)}': {i}" for i, code in enumerate(known)
    )
    spare = CODE_BITS - len(known)
    codes = (
        f"list_filter(list_transform(string_split({cell}, ';'), lambda v: lower(trim(v))), "
        "lambda v: v <> '')"
    )
    bit = f"coalesce(MAP {{{bit_of}}}[v], {len(known)} + (hash(v) % {spare})::INTEGER)"
    bits = f"list_transform({codes}, lambda v: 1::BIGINT << {bit})"
    return f"CASE WHEN len({codes}) > 0 THEN list_reduce({bits}, lambda a, b: a | b) END"


def _decimal_year(day: str) -> str:
    return f"(year({day}) + (dayofyear({day}) - 0.5) / {_DAYS_PER_YEAR})"


_PREPARE_SQL = """
CREATE OR REPLACE TEMP TABLE prepared AS
WITH parsed AS (
    SELECT
        keyed.*,
        TRY_STRPTIME({registered}, '%Y-%m-%d')::DATE AS registered_date,
        TRY_STRPTIME({born}, '%Y-%m-%d')::DATE AS born,
        coalesce(lower({estimated}) = 'yes', false) AS estimated,
        TRY_CAST({age} AS DOUBLE) AS age,
        {journey} AS journey,
        {episodes} AS episodes
    FROM keyed
), timed AS (
    SELECT
        parsed.*,
        born IS NOT NULL AND NOT estimated AS exact,
        CASE
            WHEN born IS NOT NULL AND NOT estimated THEN {born_year}
            WHEN born IS NOT NULL THEN year(born) + 0.5
            ELSE {registered_year} - age - 0.5
        END AS birth_year
    FROM parsed
)
SELECT
    _row,
    unique_id,
    agency_key AS agency,
    record_key AS source_record_id,
    g.written AS given_written,
    g.latin AS given_latin,
    g.sound AS given_sound,
    g.skel AS given_skel,
    f.written AS family_written,
    f.latin AS family_latin,
    f.sound AS family_sound,
    f.skel AS family_skel,
    g.canon AS given_canon,
    n.canon AS nickname_latin,
    CASE
        WHEN g.skel IS NULL THEN f.skel
        WHEN f.skel IS NULL THEN g.skel
        WHEN g.skel <= f.skel THEN g.skel || '|' || f.skel
        ELSE f.skel || '|' || g.skel
    END AS name_key,
    (registered_date - DATE '1970-01-01')::BIGINT AS registered,
    CASE WHEN exact THEN strftime(born, '%Y-%m-%d') END AS dob,
    birth_year::DOUBLE AS birth_year,
    round_even(birth_year, 0)::BIGINT AS birth_year_int,
    NOT exact AS birth_estimated,
    CASE {gender}
        WHEN 'Feminine' THEN 'F' WHEN 'TransgenderFeminine' THEN 'F'
        WHEN 'Masculine' THEN 'M' WHEN 'TransgenderMasculine' THEN 'M'
        WHEN 'NonConforming' THEN 'X'
    END AS sex,
    {citizenship} AS citizenship,
    CASE WHEN length({identity_chars}) >= 4 THEN {identity_chars} END AS identity,
    upper({country}) AS country,
    s.latin AS state,
    c.latin AS city,
    st.latin AS street,
    NULLIF(replace(upper({postcode}), ' ', ''), '') AS postcode,
    CASE {consent} WHEN 'yes' THEN true WHEN 'no' THEN false END AS tracing_consent,
    {joined} AS joined_skel,
    {joined_rev} AS joined_skel_rev,
    NULLIF(replace(concat_ws('', g.latin, f.latin), ' ', ''), '') AS joined_latin,
    NULLIF(replace(concat_ws('', f.latin, g.latin), ' ', ''), '') AS joined_latin_rev,
    CASE WHEN len(list_distinct(flatten([coalesce(g.toks, []), coalesce(f.toks, [])]))) > 0
        THEN list_distinct(flatten([coalesce(g.toks, []), coalesce(f.toks, [])])) END
        AS name_toks,
    NULL::VARCHAR AS rare_tok,
    NULL::BIGINT AS joined_skel_n,
    {recruited} AS recruited,
    coalesce({exploited}, {episode_start}) AS exploited,
    lower(trim(list_filter(
        journey,
        lambda e: e.type = 'exploitation' AND NULLIF(trim(e.city, ' \t\r\n'), '') IS NOT NULL
    )[1].city, ' \t\r\n')) AS destination,
    {forms} AS forms,
    CASE WHEN TRY_CAST({age_trafficked} AS DOUBLE) BETWEEN 0 AND 30
        THEN round(TRY_CAST({age_trafficked} AS DOUBLE))::BIGINT END AS age_trafficked,
    lower({recruitment}) AS recruitment_method,
    lower({relationship}) AS relationship,
    {control} AS control,
    {vulnerabilities} AS vulnerabilities
FROM timed
LEFT JOIN names AS g ON g.raw = prs_FirstName
LEFT JOIN names AS f ON f.raw = prs_SecondName
LEFT JOIN names AS n ON n.raw = ext_Nickname
LEFT JOIN places AS s ON s.raw = prs_MailingState
LEFT JOIN places AS c ON c.raw = prs_MailingCity
LEFT JOIN places AS st ON st.raw = prs_MailingStreet
"""


def prepare_in(
    connection: duckdb.DuckDBPyConnection,
    records: pd.DataFrame | pa.Table | Path,
    block_cap: int = DEFAULT_BLOCK_CAP,
    with_blocking: bool = True,
) -> list[str]:
    """Prepare ``records`` (or a Parquet file of them) into the temp table ``prepared`` of
    ``connection`` (with ``_row``, the input row number); return its columns in order."""
    kind = _register_source(connection, records)
    connection.execute(
        "CREATE OR REPLACE TEMP VIEW keyed AS SELECT src.*, "
        f"{_text('agency')} || '|' || {_text('source_record_id')} AS unique_id, "
        f"{_text('agency')} AS agency_key, {_text('source_record_id')} AS record_key FROM src"
    )
    _validate(connection)
    connection.register("names", _name_table(connection))
    connection.register("places", _place_table(connection))
    identity_chars = (
        f"regexp_replace(upper({_text('prs_IdentityNumber')}), '[^\\p{{L}}\\p{{N}}]', '', 'g')"
    )
    connection.execute(
        _PREPARE_SQL.format(
            registered=_text("cas_RegistrationDate"),
            born=_text("prs_Birthdate"),
            estimated=_text("ext_BirthdateEstimated"),
            age=_text("ext_StatedAge"),
            born_year=_decimal_year("born"),
            registered_year=_decimal_year("registered_date"),
            gender=_text("prs_Gender"),
            citizenship=_citizenship_sql(kind),
            identity_chars=identity_chars,
            country=_text("prs_MailingCountry"),
            postcode=_text("prs_MailingPostalCode"),
            consent=_text("con_TracingConsent"),
            joined=_joined_sql("g.skel", "f.skel"),
            joined_rev=_joined_sql("f.skel", "g.skel"),
            journey=_json_list("hte_Events", ("type", "date", "city")),
            episodes=_json_list("ext_Exploitations", ("start",)),
            recruited=_first_day("journey", "date", "recruitment"),
            exploited=_first_day("journey", "date", "exploitation"),
            episode_start=_first_day("episodes", "start"),
            forms=_code_bits(_text("vic_TypeOfExploitation"), "exploitation_forms"),
            age_trafficked=_text("vic_AgeWhenTrafficked"),
            recruitment=_text("vic_MethodOfRecruitment"),
            relationship=_text("vic_RelationshipToTrafficker"),
            control=_code_bits(_text("vic_MethodsOfControl"), "control_methods"),
            vulnerabilities=_code_bits(_text("ext_Vulnerabilities"), "vulnerability_factors"),
        )
    )
    for table in ("names", "places"):
        connection.unregister(table)
    connection.execute("DROP VIEW keyed")
    connection.execute("DROP VIEW src")
    connection.unregister("src_table")  # a frame's or table's Arrow, if it was one
    _add_name_frequencies(connection)
    columns = list(PREPARED_COLUMNS)
    if with_blocking:
        columns += add_blocking_keys_in(connection, "prepared", block_cap)
    return columns


def _add_name_frequencies(connection: duckdb.DuckDBPyConnection) -> None:
    """Each record's rarest name word (skeleton), counted over all records: two records that
    share it share what most distinguishes the name, whatever else was added or dropped; and
    how many records share the whole name's joined skeleton (a vowel-less key that common
    names share often)."""
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE prepared AS "
        "WITH words AS (SELECT _row, unnest(name_toks) AS tok FROM prepared), "
        "counted AS (SELECT tok, count(*) AS n FROM words GROUP BY tok), "
        "rarest AS (SELECT _row, min({n: n, tok: tok}).tok AS tok "
        "FROM words JOIN counted USING (tok) GROUP BY _row) "
        "SELECT prepared.* REPLACE (rarest.tok AS rare_tok, CASE WHEN joined_skel IS NOT NULL "
        "THEN count(*) OVER (PARTITION BY joined_skel) END AS joined_skel_n) FROM prepared "
        "LEFT JOIN rarest USING (_row)"
    )


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


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """The prepared frame as pandas: unknown is ``None``, integers stay integers."""
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    for column in ("registered", "birth_year_int"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    frame["citizenship"] = [None if v is None else list(v) for v in frame["citizenship"]]
    return frame


def prepare_table(
    records: pd.DataFrame | pa.Table,
    block_cap: int = DEFAULT_BLOCK_CAP,
    with_blocking: bool = True,
) -> pa.Table:
    """The linkage frame of agency records as Arrow, one row per record in input order."""
    connection = connect()
    try:
        columns = prepare_in(connection, records, block_cap, with_blocking)
        return connection.sql(
            f"SELECT {', '.join(columns)} FROM prepared ORDER BY _row"
        ).to_arrow_table()
    finally:
        connection.close()


def prepare_records(
    records: pd.DataFrame | pa.Table,
    block_cap: int = DEFAULT_BLOCK_CAP,
    with_blocking: bool = True,
) -> pd.DataFrame:
    """The linkage frame of agency records, one row per record, ``unique_id`` first."""
    return _to_pandas(prepare_table(records, block_cap, with_blocking))


def validate(records: pd.DataFrame | pa.Table) -> None:
    """Raise :class:`RecordFormatError` unless the required columns and keys are present."""
    prepare_table(records, with_blocking=False)


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
