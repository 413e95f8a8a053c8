"""Identifiers as the blind index sees them: one normal form per kind, so that an exact
look-up finds "+977 98-4123 4567" from "9779841234567" and "Ram  Bahadur" from "ram bahadur".

Names and aliases share one index purpose: a name searched finds the aliases too. A phone has a
second index, on its last :data:`~lantern.networks.records.PHONE_DIGITS` digits (as linkage
compares phones), so that a number written without its country code or trunk prefix, as a
child may give it, still finds the record.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from lantern.errors import Invalid
from lantern.networks.records import phone_key
from lantern.vault import blind_index

_PURPOSE = {
    "name": "perpetrator_name",
    "alias": "perpetrator_name",
    "phone": "perpetrator_phone",
    "vehicle": "perpetrator_vehicle",
    "place": "perpetrator_place",
}
MAX_LENGTH = 200


def normal(kind: str, value: str) -> str:
    """The value as compared: digits only for a phone, letters and digits for a vehicle plate,
    folded case and single spaces for names and places."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if kind == "phone":
        return re.sub(r"\D", "", text)
    if kind == "vehicle":
        return re.sub(r"[\W_]", "", text).upper()
    return " ".join(text.casefold().split())


def index_of(kind: str, value: str) -> str:
    """The blind index of ``value`` as a ``kind`` (raises Invalid on an empty or bad value)."""
    if kind not in _PURPOSE:
        raise Invalid(_("Choose what kind of identifier this is."), "kind")
    text = normal(kind, value)
    if not text:
        raise Invalid(_("Write the identifier as the child or the record gives it."), "value")
    if kind == "phone" and len(text) < 5:
        raise Invalid(_("A phone number has at least five digits."), "value")
    if len(value) > MAX_LENGTH:
        raise Invalid(_("An identifier is at most 200 characters long."), "value")
    return blind_index(text, _PURPOSE[kind])


def tail_index(kind: str, value: str) -> str:
    """The phone's second blind index (its last digits); "" for any other kind or a number too
    short to have one."""
    tail = phone_key(normal(kind, value)) if kind == "phone" else None
    return blind_index(tail, "perpetrator_phone_tail") if tail else ""


def name_index(value: str) -> str:
    return index_of("name", value)
