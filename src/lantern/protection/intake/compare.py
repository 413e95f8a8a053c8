"""The new child beside an existing record, field by field, as the intake page shows them.

Values are shown as labels in the reader's language (never codes); names agree when they read
the same once romanised, so "माया" beside "Maya" agrees. Only built for a role that reads
identities: ``service.find_existing`` answers no one else.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern import taxonomy
from lantern.edges.language import reader_language
from lantern.names import name_keys
from lantern.protection.intake.service import Child, Match, normalise_name
from lantern.protection.referrals.models import ChildField
from lantern.recordlinkage.bands import band
from lantern.taxonomy.errors import UnknownCode


def _country(code: str) -> str:
    try:
        return str(taxonomy.countries.country(code).name(reader_language()))
    except (UnknownCode, LookupError, ValueError):
        return code


def _sex(code: str) -> str:
    try:
        return str(taxonomy.code_list("genders").resolve(code).label(reader_language()))
    except (UnknownCode, LookupError, ValueError):
        return code


def _latin(name: str) -> str:
    return normalise_name(name_keys(name).latin or name) if name.strip() else ""


def _same(a: Any, b: Any) -> bool | None:
    return None if a in (None, "", ()) or b in (None, "", ()) else a == b


def _row(field: ChildField, typed: str, existing: str, agree: bool | None) -> dict[str, Any]:
    return {
        "field": field.value,
        "label": field.label,
        "typed": typed,
        "existing": existing,
        "agree": agree,
    }


def why(match: Match) -> str:
    """Why a record is a candidate, in the reader's words (a band, never a raw probability)."""
    if match.basis == "identity_number":
        return str(_("The same identity number"))
    if match.basis == "name_and_birthdate":
        return str(_("The same name and date of birth"))
    if match.probability is not None and band(match.probability) == "strong":
        return str(_("Very likely the same child (record linkage)"))
    return str(_("Possibly the same child (record linkage)"))


def compare(child: Child, match: Match) -> list[dict[str, Any]]:
    """One row per field: its label, what was typed, what the record holds, and whether they
    agree (None when either is unknown: unknown is never a disagreement)."""
    born = child.birthdate.isoformat() if child.birthdate else ""
    ages = (child.age, match.age)
    close_age = None if None in ages else abs((child.age or 0) - (match.age or 0)) <= 1
    shared = set(child.citizenship) & set(match.citizenship)
    both_known = bool(child.citizenship and match.citizenship)

    def number(value: str) -> str:
        return value.upper().replace(" ", "")

    rows = [
        _row(
            ChildField.GIVEN_NAME,
            child.given_name,
            match.given_name,
            _same(_latin(child.given_name), _latin(match.given_name)),
        ),
        _row(
            ChildField.FAMILY_NAME,
            child.family_name,
            match.family_name,
            _same(_latin(child.family_name), _latin(match.family_name)),
        ),
        _row(ChildField.BIRTHDATE, born, match.birthdate, _same(born, match.birthdate)),
        _row(
            ChildField.AGE,
            "" if child.age is None else str(child.age),
            "" if match.age is None else str(match.age),
            close_age,
        ),
        _row(
            ChildField.GENDER,
            _sex(child.gender) if child.gender else "",
            _sex(match.gender) if match.gender else "",
            _same(child.gender, match.gender),
        ),
        _row(
            ChildField.CITIZENSHIP,
            ", ".join(_country(c) for c in child.citizenship),
            ", ".join(_country(c) for c in match.citizenship),
            bool(shared) if both_known else None,
        ),
        _row(
            ChildField.IDENTITY_NUMBER,
            child.identity_number,
            match.identity_number,
            _same(number(child.identity_number), number(match.identity_number)),
        ),
        _row(
            ChildField.HOME_COUNTRY,
            _country(child.home_country) if child.home_country else "",
            _country(match.home_country) if match.home_country else "",
            _same(child.home_country, match.home_country),
        ),
    ]
    return rows
