"""A directory entry as an answer or a page shows it: its kind, title, status and fields."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from lantern.directory.fields import KINDS


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def entry_view(kind: str, row: Any) -> dict[str, Any]:
    """The entry's facts; its fields as written (codes, not labels: the page labels them)."""
    org = row if kind == "organisation" else row.organisation
    spec = KINDS[kind]
    fields = {n: _plain(getattr(row, n)) for n in spec.checks if n != "project"}
    if kind == "lesson":
        fields["project"] = row.project_id
    if hasattr(row, "unmatched_areas"):  # text no area of the vocabulary matched: to fix
        fields["unmatched_areas"] = list(row.unmatched_areas)
    return {
        "kind": kind,
        "id": row.pk,
        "organisation": org.pk,
        "organisation_name": org.name,
        "title": getattr(row, spec.title),
        "status": row.status,
        "language": row.language,
        "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "fields": fields,
    }
