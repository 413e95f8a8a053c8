"""Lantern's own shape, which is HTCDS 2.0's: the rows as read, with a journey written under
the standard's names (``hte_Type``, ``hte_Date``...) translated into the row's event keys.

What ``lantern export --format htcds`` writes comes back through here (docs/htcds.md): its
coded values are HTCDS 2.0 picklist values, which the code lists read as their codes, and its
historic trafficking events name their fields as the standard does. An event field the
standard does not name is the row's error, with the nearest name, as an unknown column is. A
row whose journey uses the record format's own keys passes untouched, at no cost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lantern import taxonomy
from lantern.cases.importing.rows import RowError, parse_row
from lantern.cases.importing.sources import Numbered, SourceContext, Translated
from lantern.taxonomy.errors import UnknownCode, closest
from lantern.taxonomy.htcds import EVENT_FIELDS

EVENTS = "hte_Events"


def htcds(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """Each row as read, its ``hte_Events`` in HTCDS names translated (or the row's errors)."""
    for n, row in rows:
        raw = row.get(EVENTS)
        if not _htcds_named(raw):
            yield n, row
            continue
        yield n, _translated(n, row, raw)


def _htcds_named(raw: Any) -> bool:
    """Whether a journey names its fields as HTCDS does (a cheap look for CSV text)."""
    if isinstance(raw, str):
        return '"hte_' in raw
    if isinstance(raw, list):
        return any(isinstance(e, dict) and any(str(k).startswith("hte_") for k in e) for e in raw)
    return False


def _translated(n: int, row: dict[str, Any], raw: Any) -> dict[str, Any] | list[RowError]:
    events = raw
    if isinstance(raw, str):
        try:
            events = json.loads(raw)
        except json.JSONDecodeError:
            return row  # the parser reports bad JSON, as for any row
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return row
    errors: list[RowError] = []
    bad_types: set[int] = set()
    out = []
    for i, event in enumerate(events, start=1):
        label = f"{EVENTS}[{i}]"
        moved: dict[str, Any] = {}
        for key, value in event.items():
            name = EVENT_FIELDS.get(key)
            if name is None:
                near = closest(str(key), EVENT_FIELDS)
                hint = f"; did you mean {near[0]}?" if near else ""
                errors.append(RowError(n, f"{label}.{key}", f"unknown field{hint}"))
                continue
            moved[name] = value
        kind = moved.get("type")
        if isinstance(kind, str) and kind.strip():
            try:
                moved["type"] = taxonomy.validate("event_types", kind)
            except UnknownCode:
                values = [c.htcds or c.id for c in taxonomy.code_list("event_types")]
                near = closest(kind, values)
                hint = f"; did you mean {near[0]}?" if near else ""
                errors.append(
                    RowError(
                        n,
                        f"{label}.hte_Type",
                        f"{kind[:20]!r} is not one of {', '.join(values)}{hint}",
                    )
                )
                bad_types.add(i)
        out.append(moved)
    translated = {**row, EVENTS: out}
    if not errors:
        return translated
    parsed = parse_row(n, translated)  # every other problem of the row, reported at once
    if isinstance(parsed, list):
        errors += [
            e for e in parsed if not any(e.field == f"{EVENTS}[{i}].type" for i in bad_types)
        ]
    return errors
