"""Suspected traffickers in a case: what the child tells a caseworker about who recruited,
moved, sold or exploited them, through the policy layer's ("case", "update") rule.

A person is the agency's ``Actor`` (a reference, never a name, and a network reference), so
the same person links the agency's cases; their part in this case is an ``ActorRole`` (role
and relationship to the child). Naming an existing reference links that person; leaving it
blank gives a new person a fresh reference. Every change is kept in the case's history.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.cases.models import Actor, ActorRole, Case
from lantern.edges.fields import taxonomy_label
from lantern.errors import Invalid, Refused
from lantern.protection.story import checks
from lantern.protection.story.history import CaseChange, changed, record_change
from lantern.protection.story.records import ACTOR_FIELDS, actor_values
from lantern.protection.story.service import locked, needs_reason

EDITABLE = ("network_ref", "role", "relationship")


def _fresh_ref(agency_id: int) -> str:
    while True:
        ref = "P-" + uuid.uuid4().hex[:8].upper()
        if not Actor.objects.filter(agency_id=agency_id, ref=ref).exists():
            return ref


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "ref": checks.text("ref", values.get("ref")),
        "network_ref": checks.text("network_ref", values.get("network_ref")),
        "role": checks.code("role", values.get("role"), required=True),
        "relationship": checks.code("relationship", values.get("relationship")),
    }


def _unique(actor: Actor, case: Case, role: str, but: int | None = None) -> None:
    taken = ActorRole.objects.filter(actor=actor, case=case, role=role)
    if but is not None:
        taken = taken.exclude(pk=but)
    if taken.exists():
        raise Refused(
            _("%(ref)s is already recorded as %(role)s in this case.")
            % {"ref": actor.ref, "role": taxonomy_label(role, "actor_roles")}
        )


def add_actor(
    user: Any, case: Case, values: Mapping[str, Any], reason: str = "", source: str = ""
) -> tuple[ActorRole, CaseChange]:
    """Record a suspected trafficker's part in the case."""
    with transaction.atomic():
        case = locked(user, case)
        extra = sorted(set(values) - set(ACTOR_FIELDS))
        if extra:
            raise Invalid(_("%(field)s: cannot be changed here.") % {"field": extra[0]}, extra[0])
        clean = _clean(values)
        why = checks.reason(reason, required=False)
        actor = None
        if clean["ref"]:
            actor = Actor.objects.filter(agency_id=case.agency_id, ref=clean["ref"]).first()
        if actor is None:
            actor = Actor.objects.create(
                agency_id=case.agency_id,
                ref=clean["ref"] or _fresh_ref(case.agency_id),
                network_ref=clean["network_ref"],
            )
        elif clean["network_ref"] and clean["network_ref"] != actor.network_ref:
            actor.network_ref = clean["network_ref"]
            actor.save(update_fields=["network_ref"])
        _unique(actor, case, clean["role"])
        row = ActorRole.objects.create(
            actor=actor, case=case, role=clean["role"], relationship=clean["relationship"]
        )
        change = record_change(
            user, case, "actor.add", why, None, actor_values(row), source=source, record_id=row.pk
        )
    return row, change


def _own(case: Case, pk: Any) -> ActorRole:
    row = None
    if str(pk).isdigit():
        row = ActorRole.objects.filter(case=case, pk=pk).select_related("actor").first()
    if row is None:
        raise Invalid(_("This record is not part of this case's story."), "id")
    return row


def edit_actor(
    user: Any,
    case: Case,
    role_id: int,
    changes: Mapping[str, Any],
    reason: str = "",
    source: str = "",
) -> tuple[ActorRole, CaseChange | None]:
    """Change a suspected trafficker's role, relationship to the child or network reference
    (the network reference is the person's, shared by the agency's cases)."""
    with transaction.atomic():
        case = locked(user, case)
        row = _own(case, role_id)
        extra = sorted(set(changes) - set(EDITABLE))
        if extra:
            raise Invalid(_("%(field)s: cannot be changed here.") % {"field": extra[0]}, extra[0])
        before = actor_values(row)
        after = _clean({**before, **changes})
        if not changed(before, after):
            return row, None
        why = checks.reason(reason, required=needs_reason(before, after))
        _unique(row.actor, case, after["role"], but=row.pk)
        row.role, row.relationship = after["role"], after["relationship"]
        row.save(update_fields=["role", "relationship"])
        if row.actor.network_ref != after["network_ref"]:
            row.actor.network_ref = after["network_ref"]
            row.actor.save(update_fields=["network_ref"])
        change = record_change(
            user, case, "actor.edit", why, before, after, source=source, record_id=row.pk
        )
    return row, change


def remove_actor(user: Any, case: Case, role_id: int, reason: str, source: str = "") -> CaseChange:
    """Take a suspected trafficker's part off this case (the person stays the agency's)."""
    with transaction.atomic():
        case = locked(user, case)
        row = _own(case, role_id)
        why = checks.reason(reason, required=True)
        before, pk = actor_values(row), row.pk
        row.delete()
        return record_change(
            user, case, "actor.remove", why, before, None, source=source, record_id=pk
        )
