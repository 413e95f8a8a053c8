"""Perpetrator records as linkage reads them, and the keys it compares.

A perpetrator record is one agency's account of one person who trafficked a child: the
columns of :data:`PERPETRATOR_COLUMNS` (the simulation's ``perpetrators.parquet`` has them;
the register's adapter builds the same frame). Only ``agency`` and ``perpetrator_record_id``
are required; every other column may be missing or blank (unknown). Names go through
:mod:`lantern.names` as the children's do, so a name in Devanagari meets its romanisation; a
phone number is compared on its last eight digits, whatever the country code, trunk prefix
or grouping an agency wrote; a vehicle plate on its letters and digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pyarrow as pa

from lantern.names import name_keys, romanise, sound

REQUIRED_COLUMNS: tuple[str, ...] = ("agency", "perpetrator_record_id")
#: The columns linkage reads; ``case_key`` names the case or linked child the record
#: concerns (two records of one case and one role are most likely one person).
PERPETRATOR_COLUMNS: tuple[str, ...] = (
    *REQUIRED_COLUMNS,
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "phone",
    "vehicle",
    "country",
    "state",
    "city",
    "role",
    "case_key",
)
#: Digits of a phone number compared: national numbers differ only in their prefixes.
PHONE_DIGITS = 8
#: Prepared columns, in order.
PREPARED_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "agency",
    "perpetrator_record_id",
    "given_written",
    "given_latin",
    "given_sound",
    "given_skel",
    "family_written",
    "family_latin",
    "family_skel",
    "alias_latin",
    "alias_skel",
    "sex",
    "age",
    "phone",
    "vehicle",
    "country",
    "state",
    "city",
    "role",
    "case_key",
)
_NOT_DIGIT = re.compile(r"\D+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


class PerpetratorFormatError(ValueError):
    """Input that is not a table of perpetrator records; says which column or rows."""


def phone_key(text: str | None) -> str | None:
    """The last :data:`PHONE_DIGITS` digits of a phone number; None if it has fewer."""
    digits = _NOT_DIGIT.sub("", text or "")
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else None


def plate_key(text: str | None) -> str | None:
    """A vehicle plate's letters and digits, upper case; None if fewer than four."""
    key = _NOT_ALNUM.sub("", (text or "").upper())
    return key if len(key) >= 4 else None


def _blank(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _keyed(values: pd.Series, key: Callable[[str], object]) -> pd.Series:
    """``key`` of each distinct value (a country has far fewer names than records)."""
    distinct = {v: key(v) for v in values.dropna().unique()}
    return values.map(distinct).astype(object).where(values.notna(), None)


def _frame(records: pd.DataFrame | pa.Table) -> pd.DataFrame:
    frame = records.to_pandas() if isinstance(records, pa.Table) else records
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise PerpetratorFormatError(f"missing required column(s): {', '.join(missing)}")
    out = pd.DataFrame(index=range(len(frame)))
    for column in PERPETRATOR_COLUMNS:
        values = frame[column].to_numpy() if column in frame.columns else [None] * len(frame)
        out[column] = pd.Series([_blank(v) for v in values], dtype=object)
    for column in REQUIRED_COLUMNS:
        blank = out.index[out[column].isna()]
        if len(blank):
            rows = ", ".join(str(r + 1) for r in blank[:3])
            raise PerpetratorFormatError(f"column {column!r} is blank in row(s) {rows}")
    return out


def prepare(records: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """The compared keys of each record (:data:`PREPARED_COLUMNS`), one row per record."""
    frame = _frame(records)
    unique_id = frame["agency"] + "|" + frame["perpetrator_record_id"]
    if unique_id.duplicated().any():
        first = unique_id[unique_id.duplicated()].iloc[0]
        raise PerpetratorFormatError(
            f"(agency, perpetrator_record_id) must be unique; {first!r} repeats"
        )
    out = pd.DataFrame({"unique_id": unique_id})
    out["agency"] = frame["agency"]
    out["perpetrator_record_id"] = frame["perpetrator_record_id"]
    for field, column in (("given", "given_name"), ("family", "family_name"), ("alias", "alias")):
        keys = _keyed(frame[column], name_keys)
        part = {
            "written": keys.map(lambda k: (k.written or None) if k else None),
            "latin": keys.map(lambda k: (k.latin or None) if k else None),
            "skel": keys.map(lambda k: (k.skeleton or None) if k else None),
        }
        if field == "given":
            part["sound"] = part["latin"].map(lambda t: (sound(t) or None) if t else None)
        for name, values in part.items():
            if f"{field}_{name}" in PREPARED_COLUMNS:
                out[f"{field}_{name}"] = values
    out["sex"] = frame["sex"].map(lambda s: s[0].upper() if s else None)
    out["age"] = pd.to_numeric(frame["age"], errors="coerce").astype("Int64")
    out["phone"] = _keyed(frame["phone"], phone_key)
    out["vehicle"] = _keyed(frame["vehicle"], plate_key)
    out["country"] = frame["country"].map(lambda c: c.upper() if c else None)
    for column in ("state", "city"):
        out[column] = _keyed(frame[column], lambda text: romanise(text) or None)
    out["role"] = frame["role"].map(lambda r: r.lower() if r else None)
    out["case_key"] = frame["case_key"]
    return out[list(PREPARED_COLUMNS)].reset_index(drop=True)
