"""One record-format dict as the prepared columns search compares, in microseconds.

The same values as :func:`lantern.recordlinkage.features.prepare_records` gives (a test holds
the two together), without the cost of a database session for a single row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lantern.names import canonical_given, name_keys, order_free_key, place_key, sound
from lantern.recordlinkage.schema import (
    SEX_CODES,
    RecordFormatError,
    clean_citizenship,
    clean_identity,
)

_DAYS_PER_YEAR = 365.2425


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _date(record: Mapping[str, Any], column: str) -> dt.date | None:
    text = _text(record.get(column))
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_date(column, text)
    except ValueError:
        return _not_a_date(column, text)


def _not_a_date(column: str, text: str) -> dt.date:
    raise RecordFormatError(f"column {column!r}: {text!r} is not an ISO YYYY-MM-DD date")


def _decimal_year(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 0.5) / _DAYS_PER_YEAR


def prepare_one(record: Mapping[str, Any]) -> dict[str, Any]:
    """The prepared columns search compares, for one record-format dict (see the module)."""
    keys = {}
    for side, column in (("given", "prs_FirstName"), ("family", "prs_SecondName")):
        text = _text(record.get(column))
        found = name_keys(text) if text is not None else None
        keys[f"{side}_written"] = (found.written or None) if found else None
        keys[f"{side}_latin"] = (found.latin or None) if found else None
        keys[f"{side}_sound"] = (sound(found.latin) or None) if found and found.latin else None
        keys[f"{side}_skel"] = (found.skeleton or None) if found else None
    given_latin = keys["given_latin"]
    keys["given_canon"] = (canonical_given(given_latin) or None) if given_latin else None
    nickname = _text(record.get("ext_Nickname"))
    nickname_latin = name_keys(nickname).latin if nickname is not None else None
    keys["nickname_latin"] = (canonical_given(nickname_latin) or None) if nickname_latin else None
    keys["name_key"] = order_free_key(keys["given_skel"], keys["family_skel"])

    registered = _date(record, "cas_RegistrationDate") or dt.date.today()
    born = _date(record, "prs_Birthdate")
    estimated = (_text(record.get("ext_BirthdateEstimated")) or "").lower() == "yes"
    stated = _text(record.get("ext_StatedAge"))
    age: float | None = None
    if stated is not None:
        try:
            age = float(stated)
        except ValueError:
            age = None
        if age is None or not 0 <= age <= 120:
            raise RecordFormatError(f"column 'ext_StatedAge': {stated!r} is not an age in years")
    birth_year: float | None = None
    if born is not None:
        birth_year = born.year + 0.5 if estimated else _decimal_year(born)
    elif age is not None:
        birth_year = _decimal_year(registered) - age - 0.5
    citizenship = record.get("prs_Citizenship")
    if isinstance(citizenship, float) and np.isnan(citizenship):
        citizenship = None
    country = _text(record.get("prs_MailingCountry"))
    place = {column: _text(record.get(source)) for column, source in _PLACE.items()}
    return {
        **keys,
        "dob": born.isoformat() if born is not None and not estimated else None,
        "birth_year": np.nan if birth_year is None else birth_year,
        "birth_year_int": None if birth_year is None else round(birth_year),
        "sex": SEX_CODES.get((_text(record.get("prs_Gender")) or "").lower()),
        "citizenship": clean_citizenship(citizenship),
        "identity": clean_identity(_text(record.get("prs_IdentityNumber"))),
        "country": country.upper() if country else None,
        "state": (place_key(place["state"]) or None) if place["state"] else None,
        "city": (place_key(place["city"]) or None) if place["city"] else None,
    }


_PLACE = {"state": "prs_MailingState", "city": "prs_MailingCity"}


def prepare_query(record: Mapping[str, Any]) -> pd.DataFrame:
    """One record-format dict as a one-row prepared frame (for :meth:`SearchIndex.match_many`)."""
    return pd.DataFrame([prepare_one(record)])
