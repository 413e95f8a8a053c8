"""From agency records (docs/record-format.md) to the frame the linkage model compares.

Each record becomes one row keyed ``agency|source_record_id`` carrying name keys
(:mod:`lantern.linkage.names`), a birth-year estimate that treats estimated birth dates and
stated ages as the uncertain evidence they are, sex, citizenship and home place. The HTCDS
mailing street and postal code (``prs_MailingStreet``, ``prs_MailingPostalCode``) are read
when a file has them (FEBRL does; the simulation does not). Nothing else from the record
(case context, exploitation, actors) is read: linkage needs only what identifies the child,
and reads no more of it than that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lantern.linkage.names import NameKeys, canonical_given, name_keys, order_free_key, romanise

REQUIRED_COLUMNS: tuple[str, ...] = ("agency", "source_record_id", "cas_RegistrationDate")

#: Record-format columns that linkage reads; any other column is ignored.
LINKAGE_COLUMNS: tuple[str, ...] = (
    *REQUIRED_COLUMNS,
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
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "con_TracingConsent",
)

_SEX = {
    "Feminine": "F",
    "TransgenderFeminine": "F",
    "Masculine": "M",
    "TransgenderMasculine": "M",
    "NonConforming": "X",
}

_DAYS_PER_YEAR = 365.2425
_EPOCH = pd.Timestamp("1970-01-01")


class RecordFormatError(ValueError):
    """Input that does not follow the agency record format; says which column and rows."""


@dataclass(frozen=True, slots=True)
class BlockingKey:
    """A blocking key: records agreeing on all ``columns`` are compared.

    A key value held by more than ``cap`` records is dropped (set to null) for this key, so a
    common name or a placeholder never makes a block of quadratic size; finer keys that add
    a birth year or place still pair those records.
    """

    name: str
    columns: tuple[str, ...]
    cap_share: float = 1.0  # this key's cap as a share of the run's block cap


#: Blocking keys, from coarse to fine. Each bounds its pairs by ``N * cap / 2``.
BLOCKING_KEYS: tuple[BlockingKey, ...] = (
    BlockingKey("blk_name", ("name_key",)),
    BlockingKey("blk_name_year", ("name_key", "birth_year_int")),
    BlockingKey("blk_name_place", ("name_key", "city")),
    BlockingKey("blk_canon_family", ("given_canon", "family_skel")),
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
    BlockingKey("blk_identity", ("identity",)),
    BlockingKey("blk_street", ("street",)),
    BlockingKey("blk_postcode_dob", ("postcode", "dob")),
)

DEFAULT_BLOCK_CAP = 200


def _blank_to_none(series: pd.Series) -> pd.Series:
    text = series.astype("string").str.strip()
    return text.where(text.notna() & (text != ""), None).astype(object)


def _parse_dates(series: pd.Series, column: str, ids: pd.Series) -> pd.Series:
    text = _blank_to_none(series)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = text.notna() & parsed.isna()
    if bad.any():
        rows = ", ".join(ids[bad].head(3).tolist())
        raise RecordFormatError(
            f"column {column!r}: {int(bad.sum())} value(s) are not ISO YYYY-MM-DD dates "
            f"(records {rows})"
        )
    return parsed


def _decimal_year(dates: pd.Series) -> pd.Series:
    return dates.dt.year + (dates.dt.dayofyear - 0.5) / _DAYS_PER_YEAR


def _map_unique(series: pd.Series, function: object) -> pd.Series:
    """Apply a per-value function once per distinct value (names repeat a lot)."""
    values = series.dropna().unique()
    mapping = {value: function(value) for value in values}  # type: ignore[operator]
    return series.map(mapping)


def validate(records: pd.DataFrame) -> None:
    """Raise :class:`RecordFormatError` unless the required columns and keys are present."""
    missing = [column for column in REQUIRED_COLUMNS if column not in records.columns]
    if missing:
        raise RecordFormatError(f"missing required column(s): {', '.join(missing)}")
    for column in ("agency", "source_record_id"):
        blank = _blank_to_none(records[column]).isna()
        if blank.any():
            rows = ", ".join(str(i + 1) for i in np.flatnonzero(blank.to_numpy())[:3])
            raise RecordFormatError(f"column {column!r} is blank in row(s) {rows}")
    has_bar = records["agency"].astype(str).str.contains("|", regex=False)
    if has_bar.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(has_bar.to_numpy())[:3])
        raise RecordFormatError(f"column 'agency' must not contain '|' (row(s) {rows})")
    keys = records["agency"].astype(str) + "|" + records["source_record_id"].astype(str)
    duplicated = keys.duplicated()
    if duplicated.any():
        first = keys[duplicated].iloc[0]
        raise RecordFormatError(
            f"(agency, source_record_id) must be unique: {int(duplicated.sum())} repeat(s), "
            f"first {first!r}"
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


def prepare_records(
    records: pd.DataFrame, block_cap: int = DEFAULT_BLOCK_CAP, with_blocking: bool = True
) -> pd.DataFrame:
    """The linkage frame of agency records, one row per record, ``unique_id`` first."""
    validate(records)
    frame = pd.DataFrame(index=records.index)
    source = {
        column: (
            _blank_to_none(records[column])
            if column in records.columns
            else pd.Series(None, index=records.index, dtype=object)
        )
        for column in LINKAGE_COLUMNS
        if column != "prs_Citizenship"
    }
    agency = records["agency"].astype(str).str.strip()
    record_id = records["source_record_id"].astype(str).str.strip()
    frame["unique_id"] = agency + "|" + record_id
    frame["agency"] = agency
    frame["source_record_id"] = record_id

    for field, column in (("given", "prs_FirstName"), ("family", "prs_SecondName")):
        keys = _map_unique(source[column], name_keys)
        for key in ("written", "latin", "skeleton"):
            column_name = f"{field}_{'skel' if key == 'skeleton' else key}"
            frame[column_name] = keys.map(
                lambda k, key=key: getattr(k, key) if isinstance(k, NameKeys) else None
            )
    frame["given_canon"] = _map_unique(frame["given_latin"], canonical_given)
    nickname = _map_unique(source["ext_Nickname"], lambda v: name_keys(v).latin)
    frame["nickname_latin"] = _map_unique(nickname, canonical_given)
    frame["name_key"] = [
        order_free_key(given, family)
        for given, family in zip(frame["given_skel"], frame["family_skel"], strict=True)
    ]

    frame = frame.join(_birth_columns(source, frame["unique_id"]))
    frame["sex"] = source["prs_Gender"].map(_SEX)
    if "prs_Citizenship" in records.columns:
        frame["citizenship"] = (
            records["prs_Citizenship"]
            .map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else v)
            .map(_citizenship)
        )
    else:
        frame["citizenship"] = None
    frame["identity"] = source["prs_IdentityNumber"].map(_identity)
    frame["country"] = source["prs_MailingCountry"].str.upper()
    frame["state"] = _map_unique(source["prs_MailingState"], romanise)
    frame["city"] = _map_unique(source["prs_MailingCity"], romanise)
    frame["street"] = _map_unique(source["prs_MailingStreet"], romanise)
    frame["postcode"] = source["prs_MailingPostalCode"].str.upper().str.replace(" ", "")
    frame["tracing_consent"] = source["con_TracingConsent"].map({"yes": True, "no": False})
    frame = frame.replace({"": None}).astype(
        {column: object for column in frame.columns if column != "birth_year"}
    )
    frame = frame.where(frame.notna(), None)
    if with_blocking:
        frame = add_blocking_keys(frame, block_cap)
    return frame.reset_index(drop=True)


def _birth_columns(source: dict[str, pd.Series], ids: pd.Series) -> pd.DataFrame:
    """``dob`` (exact dates only), ``birth_year`` (decimal estimate) and its integer band,
    and ``registered``, the registration date as a day number.

    A documented date gives its own decimal year. An estimated date ("1 January of a guessed
    year") gives only its year's middle. A stated age at a known registration date gives
    ``registration - age - 0.5``: the middle of the two birth years it allows.
    """
    registered = _parse_dates(source["cas_RegistrationDate"], "cas_RegistrationDate", ids)
    born = _parse_dates(source["prs_Birthdate"], "prs_Birthdate", ids)
    estimated = source["ext_BirthdateEstimated"].str.lower().eq("yes").fillna(False)
    age = pd.to_numeric(source["ext_StatedAge"], errors="coerce")
    bad_age = source["ext_StatedAge"].notna() & (age.isna() | (age < 0) | (age > 120))
    if bad_age.any():
        rows = ", ".join(ids[bad_age].head(3).tolist())
        raise RecordFormatError(f"column 'ext_StatedAge': not an age in years (records {rows})")

    exact = born.notna() & ~estimated
    from_date = _decimal_year(born).where(exact)
    from_estimated_date = (born.dt.year + 0.5).where(born.notna() & estimated)
    from_age = _decimal_year(registered) - age - 0.5
    birth_year = from_date.fillna(from_estimated_date).fillna(from_age).astype(float)
    dob = born.dt.strftime("%Y-%m-%d").where(exact)
    return pd.DataFrame(
        {
            "registered": (registered - _EPOCH).dt.days.astype("Int64").astype(object),
            "dob": dob.astype(object).where(dob.notna(), None),
            "birth_year": birth_year,
            "birth_year_int": birth_year.round().astype("Int64").astype(object),
            "birth_estimated": ~exact,
        },
        index=ids.index,
    )


def add_blocking_keys(
    frame: pd.DataFrame,
    block_cap: int = DEFAULT_BLOCK_CAP,
    keys: Iterable[BlockingKey] = BLOCKING_KEYS,
) -> pd.DataFrame:
    """Add one capped key column per blocking key (null when any part is unknown)."""
    frame = frame.copy()
    for key in keys:
        parts = [frame[column].astype("string") for column in key.columns]
        value = parts[0]
        for part in parts[1:]:
            value = value + "#" + part
        counts = value.map(value.value_counts())
        capped = value.where(value.notna() & (counts <= max(2, block_cap * key.cap_share)))
        frame[key.name] = capped.astype(object).where(capped.notna(), None)
    return frame
