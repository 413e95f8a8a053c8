"""Lantern's own shape, which is HTCDS 2.0's: the rows as read, with related records written
under the standard's names (``hte_Type``, ``per_RoleInProcess``...) translated into the keys of
the record format (docs/record-format.md).

What ``lantern export --format htcds`` writes comes back through here (docs/htcds.md): its
coded values are HTCDS 2.0 picklist values, which the code lists read as their codes, and its
historic trafficking events and perpetrator contexts name their fields as the standard does. A
field of such a record that the mapping does not name is the row's error, with the nearest
name, as an unknown column is. A row whose lists use the record format's own keys passes
untouched, at the cost of a substring test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from lantern import taxonomy
from lantern.cases.importing.reasons import Reason, did_you_mean
from lantern.cases.importing.rows import RowError, parse_row
from lantern.cases.importing.sources import Numbered, SourceContext, Translated
from lantern.taxonomy.errors import UnknownCode, closest
from lantern.taxonomy.htcds import ACTOR_FIELDS, EVENT_FIELDS

# column -> (prefix that marks HTCDS names, their keys in the record format)
LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "hte_Events": ("hte_", EVENT_FIELDS),
    "per_Actors": ("per_", ACTOR_FIELDS),
}


def htcds(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """Each row as read, its related records in HTCDS names translated (or the row's errors)."""
    for n, row in rows:
        named = [c for c, (prefix, _) in LISTS.items() if _htcds_named(row.get(c), prefix)]
        yield n, (_translated(n, row, named) if named else row)


def _htcds_named(raw: Any, prefix: str) -> bool:
    """Whether a list names its fields as HTCDS does (a cheap look for CSV text)."""
    if isinstance(raw, str):
        return f'"{prefix}' in raw
    if isinstance(raw, list):
        return any(isinstance(e, dict) and any(str(k).startswith(prefix) for k in e) for e in raw)
    return False


def _translated(n: int, row: dict[str, Any], columns: list[str]) -> dict[str, Any] | list[RowError]:
    out = dict(row)
    errors: list[RowError] = []
    superseded: set[str] = set()  # the parser's error for a value already reported here
    for column in columns:
        items = row[column]
        if isinstance(items, str):
            try:
                items = json.loads(items)
            except json.JSONDecodeError:
                continue  # the parser reports bad JSON, as for any row
        if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
            continue
        fields = LISTS[column][1]
        moved = []
        for i, item in enumerate(items, start=1):
            label = f"{column}[{i}]"
            keyed: dict[str, Any] = {}
            for key, value in item.items():
                if key in fields:
                    keyed[fields[key]] = value
                    continue
                near = closest(str(key), fields)
                hint = did_you_mean(near[0] if near else "")
                reason = Reason(gettext_noop("unknown field%(hint)s"), hint=hint)
                errors.append(RowError(n, f"{label}.{key}", reason))
            if column == "hte_Events" and not _event_type(n, label, keyed, errors):
                superseded.add(f"{label}.type")
            moved.append(keyed)
        out[column] = moved
    if not errors:
        return out
    parsed = parse_row(n, out)  # every other problem of the row, reported at once
    if isinstance(parsed, list):
        errors += [e for e in parsed if e.field not in superseded]
    return errors


def _event_type(n: int, label: str, event: dict[str, Any], errors: list[RowError]) -> bool:
    """Read ``hte_Type`` (``Recruitment``...) as its code; False when it is none."""
    kind = event.get("type")
    if not isinstance(kind, str) or not kind.strip():
        return True  # blank: the parser says what an event without a type is
    try:
        event["type"] = taxonomy.validate("event_types", kind)
    except UnknownCode:
        values = [c.htcds or c.id for c in taxonomy.code_list("event_types")]
        near = closest(kind, values)
        reason = Reason(
            gettext_noop("%(value)s is not one of %(choices)s%(hint)s"),
            value=repr(kind[:20]),
            choices=", ".join(values),
            hint=did_you_mean(near[0] if near else ""),
        )
        errors.append(RowError(n, f"{label}.hte_Type", reason))
        return False
    return True
