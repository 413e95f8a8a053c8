"""The organised-crime corridors the mart carries (``MartInfo.organised``), worked out again
only when what they are made of changed.

The network analysis over the whole perpetrator register (``perpetrators.routes
.organised_corridors``) costs far more than the mart's rows (most of a build over a large
register). Its inputs are the actor roles linked to the register (which record plays which
role in which case), the journeys of those cases and their agencies: a keyed digest of them
(:func:`digest`, a read of plain rows) tells whether the previous mart's corridors still hold.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from django.db import connection

from lantern.monitoring.martread import Current

Corridors = tuple[tuple[tuple[str, str, str], int], ...]


def digest(now: Current) -> str:
    """A keyed hash of everything the organised corridors are computed from: each role's id,
    case, role and register record, with its case's revision, number of journey steps and
    agency, and every agency's code (a case's revision moves when its journey or agency is
    edited; a new step changes the number)."""
    from lantern.accounts.models import Agency
    from lantern.cases.models import ActorRole
    from lantern.perpetrators.models import ActorLink
    from lantern.vault.keys import derived_key

    mac = hmac.new(derived_key("mart networks"), digestmod=hashlib.sha256)
    index = dict(zip(now.ids, now.revisions, strict=True))
    agencies = dict(zip(now.ids, now.agencies, strict=True))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT r.id, r.case_id, r.role, l.perpetrator_id "
            f"FROM {ActorRole._meta.db_table} r "
            f"JOIN {ActorLink._meta.db_table} l ON l.actor_id = r.actor_id ORDER BY r.id"
        )
        while rows := cur.fetchmany(20_000):
            mac.update(
                "".join(
                    f"{rid},{case},{role},{who},{index.get(case)},{now.events.get(case, 0)},"
                    f"{agencies.get(case)};"
                    for rid, case, role, who in rows
                ).encode()
            )
    mac.update(repr(sorted(Agency.objects.values_list("pk", "code"))).encode())
    return mac.hexdigest()


def organised(
    now: Current, previous: Mapping[str, object] | None
) -> tuple[Corridors, tuple[str, ...], str]:
    """The organised corridors and their agencies, and the digest of their inputs: the
    previous mart's (``previous``: its ``organised``, ``organised_agencies`` and
    ``organised_digest``) when the digest is unchanged, else computed afresh."""
    from lantern.perpetrators.routes import organised_corridors

    found = digest(now)
    if previous is not None and previous.get("organised_digest") == found:
        return (
            previous["organised"],  # type: ignore[return-value]
            previous["organised_agencies"],  # type: ignore[return-value]
            found,
        )
    corridors, agencies = organised_corridors()
    return tuple(sorted(corridors.items())), tuple(sorted(agencies)), found
