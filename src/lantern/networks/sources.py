"""Links and journeys from the record format: agency records and their perpetrator records.

The importer's files (docs/record-format.md) and the simulation's carry what the analysis
needs: each child record's journey (``hte_Events``: recruitment, transit with transport and
border crossing, exploitation) and each perpetrator record's role and place. Which records
are one child (``case_of``) and one person (``person_of``) comes from linkage; without it
every record stands for itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from lantern.networks.graph import Journey, Link

#: Roles that take a child across a border, so a link of theirs in a crossing case crossed it.
CROSSING_ROLES = frozenset({"transporter", "corrupt_official", "document_forger"})


def place_name(country: object, state: object, city: object) -> str:
    """``City, Country`` (or the most precise part known), blank when nothing is."""
    parts = [str(v).strip() for v in (city or state, country) if v and str(v).strip()]
    return ", ".join(parts)


def _events(cell: object) -> list[dict[str, object]]:
    if isinstance(cell, list):
        return [e for e in cell if isinstance(e, dict)]
    if not isinstance(cell, str) or not cell.strip():
        return []
    try:
        value = json.loads(cell)
    except ValueError:
        return []
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _journey(case: str, events: list[dict[str, object]]) -> Journey:
    def where(e: dict[str, object]) -> str:
        return place_name(e.get("country"), e.get("state"), e.get("city"))

    origin = next((where(e) for e in events if e.get("type") == "recruitment"), "")
    destination = next((where(e) for e in events if e.get("type") == "exploitation"), "")
    transits = [e for e in events if e.get("type") == "transit"]
    return Journey(
        case=case,
        origin=origin,
        destination=destination,
        transit=tuple(where(e) for e in transits if where(e)),
        transport=tuple(sorted({str(e["transport"]) for e in transits if e.get("transport")})),
        border_crossing=any(e.get("crossing") for e in transits),
    )


def journeys_from_records(
    records: pd.DataFrame, case_of: Mapping[str, str] | None = None
) -> dict[str, Journey]:
    """Each case's journey from its child records' ``hte_Events`` (the record telling most)."""
    best: dict[str, tuple[int, Journey]] = {}
    for agency, source, cell in zip(
        records["agency"], records["source_record_id"], records["hte_Events"], strict=True
    ):
        uid = f"{agency}|{source}"
        case = case_of.get(uid, uid) if case_of else uid
        events = _events(cell)
        if events and (case not in best or len(events) > best[case][0]):
            best[case] = (len(events), _journey(case, events))
    return {case: journey for case, (_, journey) in best.items()}


def links_from_perpetrators(
    perpetrators: pd.DataFrame,
    person_of: Mapping[str, str] | None = None,
    case_of: Mapping[str, str] | None = None,
    journeys: Mapping[str, Journey] | None = None,
) -> list[Link]:
    """One link per perpetrator record: the person (its cluster), the case (its child record's
    case), role, place, whether the case crossed a border in that role, and the record as
    evidence."""
    links = []
    for row in perpetrators.itertuples(index=False):
        uid = f"{row.agency}|{row.perpetrator_record_id}"
        child = f"{row.agency}|{row.source_record_id}"
        case = case_of.get(child, child) if case_of else child
        journey = journeys.get(case) if journeys else None
        role = str(getattr(row, "role", "") or "")
        links.append(
            Link(
                perpetrator=person_of.get(uid, uid) if person_of else uid,
                case=case,
                role=role,
                place=place_name(
                    getattr(row, "country", ""), getattr(row, "state", ""), getattr(row, "city", "")
                ),
                border_crossing=bool(
                    journey and journey.border_crossing and role in CROSSING_ROLES
                ),
                evidence=uid,
            )
        )
    return links
