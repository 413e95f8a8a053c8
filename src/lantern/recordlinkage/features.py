"""From agency records (docs/record-format.md) to the frame the linkage model compares.

Each record becomes one row keyed ``agency|source_record_id`` carrying name keys
(:mod:`lantern.names`), a birth-year estimate that treats estimated birth dates and stated
ages as the uncertain evidence they are, sex, citizenship, home place, and what happened to
the child (journey days, destination, coded circumstances as sets of bits). The HTCDS mailing
street and postal code (``prs_MailingStreet``, ``prs_MailingPostalCode``) are read when a
file has them (FEBRL does; the simulation does not). The record format itself, and which
columns are read, is :mod:`lantern.recordlinkage.schema`; blocking keys are added by
:mod:`lantern.recordlinkage.blocking`.

Preparation runs as DuckDB SQL over Arrow, so a million records take seconds, not a pandas
object frame's half-minute and gigabytes. Name keys are computed in Python once per
*distinct* name (a country has far fewer names than records) and joined back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from lantern.names import (
    canonical_given,
    name_keys,
    place_key,
    romanise,
    skeleton,
    sound,
    token_skeletons,
)
from lantern.recordlinkage.backends import connect
from lantern.recordlinkage.blocking import DEFAULT_BLOCK_CAP, add_blocking_keys_in
from lantern.recordlinkage.schema import register_source, sex_sql, text_sql, validate_source
from lantern.taxonomy.codes import code_list

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
    "given_head",
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
    "joined_sound",
    "joined_sound_rev",
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

_DAYS_PER_YEAR = 365.2425


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
    """Keys of each distinct state, city and street as written: ``area`` for a state or
    district keeps its numbers (District 06 is not District 07), ``latin`` for a street does
    not (a house number written or left out is the same street)."""
    distinct = connection.execute(
        "SELECT DISTINCT raw FROM (SELECT prs_MailingState AS raw FROM src UNION ALL "
        "SELECT prs_MailingCity FROM src UNION ALL SELECT prs_MailingStreet FROM src) "
        "WHERE raw IS NOT NULL"
    ).fetchall()
    raws = [raw for (raw,) in distinct if raw.strip()]
    latin = [romanise(raw.strip()) or None for raw in raws]
    area = [place_key(raw.strip()) or None for raw in raws]
    return pa.table(
        {
            "raw": pa.array(raws, pa.string()),
            "latin": pa.array(latin, pa.string()),
            "area": pa.array(area, pa.string()),
        }
    )


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
    left(g.sound, 2) AS given_head,
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
    {sex} AS sex,
    {citizenship} AS citizenship,
    CASE WHEN length({identity_chars}) >= 4 THEN {identity_chars} END AS identity,
    upper({country}) AS country,
    s.area AS state,
    c.area AS city,
    st.latin AS street,
    NULLIF(replace(upper({postcode}), ' ', ''), '') AS postcode,
    CASE {consent} WHEN 'yes' THEN true WHEN 'no' THEN false END AS tracing_consent,
    {joined} AS joined_skel,
    {joined_rev} AS joined_skel_rev,
    NULLIF(replace(concat_ws('', g.latin, f.latin), ' ', ''), '') AS joined_latin,
    NULLIF(replace(concat_ws('', f.latin, g.latin), ' ', ''), '') AS joined_latin_rev,
    NULL::VARCHAR AS joined_sound,
    NULL::VARCHAR AS joined_sound_rev,
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
    kind = register_source(connection, records)
    connection.execute(
        "CREATE OR REPLACE TEMP VIEW keyed AS SELECT src.*, "
        f"{text_sql('agency')} || '|' || {text_sql('source_record_id')} AS unique_id, "
        f"{text_sql('agency')} AS agency_key, {text_sql('source_record_id')} AS record_key FROM src"
    )
    validate_source(connection)
    connection.register("names", _name_table(connection))
    connection.register("places", _place_table(connection))
    identity_chars = (
        f"regexp_replace(upper({text_sql('prs_IdentityNumber')}), '[^\\p{{L}}\\p{{N}}]', '', 'g')"
    )
    connection.execute(
        _PREPARE_SQL.format(
            registered=text_sql("cas_RegistrationDate"),
            born=text_sql("prs_Birthdate"),
            estimated=text_sql("ext_BirthdateEstimated"),
            age=text_sql("ext_StatedAge"),
            born_year=_decimal_year("born"),
            registered_year=_decimal_year("registered_date"),
            sex=sex_sql(text_sql("prs_Gender")),
            citizenship=_citizenship_sql(kind),
            identity_chars=identity_chars,
            country=text_sql("prs_MailingCountry"),
            postcode=text_sql("prs_MailingPostalCode"),
            consent=text_sql("con_TracingConsent"),
            joined=_joined_sql("g.skel", "f.skel"),
            joined_rev=_joined_sql("f.skel", "g.skel"),
            journey=_json_list("hte_Events", ("type", "date", "city")),
            episodes=_json_list("ext_Exploitations", ("start",)),
            recruited=_first_day("journey", "date", "recruitment"),
            exploited=_first_day("journey", "date", "exploitation"),
            episode_start=_first_day("episodes", "start"),
            forms=_code_bits(text_sql("vic_TypeOfExploitation"), "exploitation_forms"),
            age_trafficked=text_sql("vic_AgeWhenTrafficked"),
            recruitment=text_sql("vic_MethodOfRecruitment"),
            relationship=text_sql("vic_RelationshipToTrafficker"),
            control=_code_bits(text_sql("vic_MethodsOfControl"), "control_methods"),
            vulnerabilities=_code_bits(text_sql("ext_Vulnerabilities"), "vulnerability_factors"),
        )
    )
    for table in ("names", "places"):
        connection.unregister(table)
    connection.execute("DROP VIEW keyed")
    connection.execute("DROP VIEW src")
    connection.unregister("src_table")  # a frame's or table's Arrow, if it was one
    _add_name_frequencies(connection)
    _add_joined_sounds(connection)
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


def _add_joined_sounds(connection: duckdb.DuckDBPyConnection) -> None:
    """The whole name's :func:`sound`, in both orders, for each record: one name cut at
    different places and spelt a little differently (So Min / Soe, Minn) sounds the same.
    Computed once per distinct joined spelling."""
    distinct = connection.execute(
        "SELECT DISTINCT joined FROM (SELECT joined_latin AS joined FROM prepared UNION ALL "
        "SELECT joined_latin_rev FROM prepared) WHERE joined IS NOT NULL"
    ).fetchall()
    spelt = [joined for (joined,) in distinct]
    connection.register(
        "sounds",
        pa.table(
            {
                "joined": pa.array(spelt, pa.string()),
                "sounded": pa.array([sound(joined) or None for joined in spelt], pa.string()),
            }
        ),
    )
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE prepared AS SELECT prepared.* REPLACE "
        "(a.sounded AS joined_sound, b.sounded AS joined_sound_rev) FROM prepared "
        "LEFT JOIN sounds AS a ON a.joined = prepared.joined_latin "
        "LEFT JOIN sounds AS b ON b.joined = prepared.joined_latin_rev ORDER BY _row"
    )
    connection.unregister("sounds")


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
