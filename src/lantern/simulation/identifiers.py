"""Identifiers of the simulation's records: non-linear, so ids leak no order or offset."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

_GOLDEN = 2654435761  # odd: multiplication by it is a bijection modulo 2**32


def scramble(number: int, salt: int) -> int:
    """A bijective, non-linear 32-bit hash (murmur3 finaliser) of ``number`` for one ``salt``.

    Unique per (number, salt) for numbers below 2**32, and the ids of one child in two
    agencies share no offset or order, so row ids cannot leak who is who.
    """
    x = ((number + 1) * _GOLDEN + salt * 0x9E3779B9) & 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & 0xFFFFFFFF
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & 0xFFFFFFFF
    return x ^ (x >> 16)


@cache
def iso_days() -> tuple[str, ...]:
    """ISO text of every day from 1970 to 2099, indexed by day number (fast date formatting)."""
    d0 = date(1970, 1, 1)
    return tuple((d0 + timedelta(days=i)).isoformat() for i in range(47482))


def person_id(index: int) -> str:
    """The true person id of child number ``index`` (people.parquet, truth.parquet)."""
    return f"P{index + 1:08d}"
