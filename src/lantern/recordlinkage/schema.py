"""The agency record format as linkage reads it: which columns, how they are read, what is valid.

Records come as a pandas frame, an Arrow table or a Parquet file (docs/record-format.md).
Only the columns of :data:`LINKAGE_COLUMNS` are read: linkage needs what identifies the child
and what happened to them, and reads no more than that. Each source becomes the DuckDB view
``src`` (text cells, citizenship as text or a list), checked by :func:`validate_source`
before :mod:`lantern.recordlinkage.features` derives the compared columns from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

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


#: Sex as linkage compares it, from the HTCDS gender codes and the spellings other registers
#: use (``F``, ``female``, ``girl``), case ignored: a file that writes ``F`` must not lose
#: its children's sex without a word. Anything else (``NonSpecifiedUnknown``) is unknown.
SEX_CODES: dict[str, str] = {
    "feminine": "F",
    "transgenderfeminine": "F",
    "female": "F",
    "f": "F",
    "girl": "F",
    "woman": "F",
    "masculine": "M",
    "transgendermasculine": "M",
    "male": "M",
    "m": "M",
    "boy": "M",
    "man": "M",
    "nonconforming": "X",
}


def sex_sql(column: str) -> str:
    """SQL for a gender cell as :data:`SEX_CODES` reads it (NULL if none applies)."""
    cases = " ".join(f"WHEN '{written}' THEN '{sex}'" for written, sex in SEX_CODES.items())
    return f"CASE lower({column}) {cases} END"


class RecordFormatError(ValueError):
    """Input that does not follow the agency record format; says which column and rows."""


def clean_citizenship(value: object) -> list[str] | None:
    """Citizenship codes (``"MM;TH"`` or a list) as a sorted upper-case list, None if none."""
    if value is None:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        codes = [str(code).strip().upper() for code in value]
    else:
        codes = [code.strip().upper() for code in str(value).split(";")]
    codes = sorted({code for code in codes if code})
    return codes or None


def clean_identity(value: object) -> str | None:
    """An identity number's letters and digits, upper case; None if fewer than four."""
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


def register_source(
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


def text_sql(column: str) -> str:
    """SQL for a record-format cell as text: trimmed, blank = NULL (unknown)."""
    return f"NULLIF(trim({column}, ' \t\r\n'), '')"


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [str(row[0]) for row in connection.execute(sql).fetchall()]


def validate_source(connection: duckdb.DuckDBPyConnection) -> None:
    """Required keys present, unique and well formed; dates ISO; ages plausible."""
    for column in ("agency", "source_record_id"):
        rows = _rows(
            connection,
            f"SELECT _row + 1 FROM src WHERE {text_sql(column)} IS NULL ORDER BY _row LIMIT 3",
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
            f"WHERE {text_sql(column)} IS NOT NULL "
            f"AND TRY_STRPTIME({text_sql(column)}, '%Y-%m-%d') IS NULL"
        ).fetchall()[0]
        if bad[0]:
            raise RecordFormatError(
                f"column {column!r}: {bad[0]} value(s) are not ISO YYYY-MM-DD dates "
                f"(records {', '.join(bad[1])})"
            )
    age = f"TRY_CAST({text_sql('ext_StatedAge')} AS DOUBLE)"
    bad = connection.execute(
        f"SELECT list(unique_id ORDER BY _row)[1:3] FROM keyed WHERE "
        f"{text_sql('ext_StatedAge')} IS NOT NULL AND ({age} IS NULL OR isnan({age}) "
        f"OR {age} < 0 OR {age} > 120)"
    ).fetchall()[0]
    if bad[0]:
        raise RecordFormatError(
            f"column 'ext_StatedAge': not an age in years (records {', '.join(bad[0])})"
        )
