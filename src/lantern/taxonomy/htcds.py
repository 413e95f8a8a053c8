"""A Lantern code as HTCDS 2.0 writes it, and the HTCDS names of the related records' fields.

Every code list carries the HTCDS 2.0 value its code maps to (``Code.htcds``); a code the
standard has no value for (forced criminality, a hotline as an agency type, an intake channel)
is written as Lantern's own id, which ``codes.validate`` reads back to the same code, so an
export re-imports unchanged. docs/htcds.md lists each such code.
"""

from __future__ import annotations

from lantern.taxonomy.codes import code_list
from lantern.taxonomy.countries import country
from lantern.taxonomy.errors import UnknownCode

#: HTCDS 2.0 ``hte_`` field -> the key of an event in Lantern's row (docs/record-format.md);
#: ``ext_`` keys are Lantern's (HTCDS has no transport or border-crossing field).
EVENT_FIELDS: dict[str, str] = {
    "hte_Type": "type",
    "hte_Date": "date",
    "hte_Country": "country",
    "hte_State": "state",
    "hte_City": "city",
    "ext_Transport": "transport",
    "ext_Crossing": "crossing",
}
#: HTCDS 2.0 ``per_`` field -> the key of an actor in Lantern's row; HTCDS has no id for a
#: perpetrator across cases, nor a network, and keeps the relationship in the victim context.
ACTOR_FIELDS: dict[str, str] = {
    "per_RoleInProcess": "role",
    "ext_ActorRef": "ref",
    "ext_Relationship": "relationship",
    "ext_NetworkRef": "network_ref",
}


def value(list_name: str, code_id: str) -> str:
    """The value ``code_id`` of ``list_name`` is written as: its HTCDS 2.0 value, else its id
    (blank stays blank; an id no longer in the list is written as stored)."""
    if not code_id:
        return ""
    try:
        code = code_list(list_name).get(code_id)
    except UnknownCode:
        return code_id
    return code.htcds or code.id


def values(list_name: str, code_ids: list[str] | None) -> list[str]:
    """``value`` of each code, in order."""
    return [value(list_name, c) for c in code_ids or [] if c]


def country_value(alpha3: str) -> str:
    """ISO 3166-1 alpha-2, as HTCDS names countries; an unknown code is written as stored."""
    if not alpha3:
        return ""
    try:
        return country(alpha3).alpha2
    except UnknownCode:
        return alpha3


# (record field, "model.field" whose tier guards it): the fields read at a tier above standard.
GUARDED: tuple[tuple[str, str], ...] = (
    ("prs_FirstName", "person.given_name"),
    ("prs_SecondName", "person.family_name"),
    ("ext_Nickname", "person.nickname"),
    ("prs_Birthdate", "person.birthdate"),
    ("prs_IdentityNumber", "person.identity_number"),
    ("prs_MailingStreet", "person.address"),
    ("prs_MailingCity", "person.home_city"),
    ("vic_TypeOfSexExploitation", "case.sex_exploitation_types"),
)
