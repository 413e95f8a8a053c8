"""Choosing the area of a committee, a campaign or an inspection visit recorded before areas
were chosen from the list (``lantern.taxonomy.areas``): the record keeps its words, and gains
the area they mean, so that the coverage counts it. Whoever keeps the record chooses it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.edges import areas
from lantern.errors import Invalid

#: kind -> the policy's (resource, action) that keeps such a record
KEEPERS = {
    "committee": ("committee", "manage"),
    "campaign": ("campaign", "manage"),
    "inspection": ("inspection", "record"),
}


def may_place(user: Any, kind: str, row: Any) -> bool:
    """Does ``user`` keep this record (and so choose its area)?"""
    resource, action = KEEPERS[kind]
    return policy.scoped(user, resource, action).filter(pk=row.pk).exists()


def record_for(user: Any, kind: str, pk: Any) -> Any:
    """The record ``pk`` of ``kind`` if ``user`` keeps it; NotFound otherwise."""
    if kind not in KEEPERS:
        raise Invalid(_("kind: committee, campaign or inspection"), "kind")
    resource, action = KEEPERS[kind]
    return policy.get_or_404(user, resource, action, pk)


def place(user: Any, kind: str, pk: Any, area_code: str, source: str = "") -> Any:
    """Set the area of a record ``user`` keeps; its words stay as they were written."""
    row = record_for(user, kind, pk)
    row.area_code = areas.clean(area_code, "area_code")
    row.save(update_fields=["area_code"])
    audit.record(user, "update", kind, row.pk, ["area_code"], source=source)
    return row
