"""Write and verify the audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _digest(prev_hash: str, entry: dict[str, Any]) -> str:
    body = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _content(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.isoformat(),
        "user": e.user_id_snapshot,
        "username": e.username,
        "role": e.role,
        "agency": e.agency,
        "action": e.action,
        "resource": e.resource,
        "record": e.record_id,
        "fields": list(e.fields or []),
        "reason": e.reason,
        "source": e.source,
    }


def record(
    user: Any,
    action: str,
    resource: str,
    record_id: object = "",
    fields: Sequence[str] = (),
    reason: str = "",
    source: str = "",
) -> AuditEntry:
    """Append one entry. ``user`` may be None for system tasks (source says which)."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            user_id_snapshot=getattr(user, "pk", None),
            username=getattr(user, "username", "") or "",
            role=getattr(user, "role", "") or "",
            agency=getattr(getattr(user, "agency", None), "code", "") or "",
            action=action,
            resource=resource,
            record_id=str(record_id),
            fields=list(fields),
            reason=reason,
            source=source[:100],
            prev_hash=head.hash,
        )
        entry.hash = _digest(head.hash, _content(entry))
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class Break:
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        return f"entry seq={self.seq} (id={self.entry_id}): {self.problem}"


def verify(entries: Iterable[AuditEntry] | None = None) -> Break | None:
    """The first break in the chain, or None when the trail is intact."""
    rows = entries if entries is not None else AuditEntry.objects.order_by("id").iterator()
    prev_hash, expected_seq = GENESIS, 1
    for e in rows:
        if e.seq != expected_seq:
            what = "missing or reordered entries" if e.seq > expected_seq else "reordered entries"
            return Break(expected_seq, e.pk, f"{what}: expected seq {expected_seq}, found {e.seq}")
        if e.prev_hash != prev_hash:
            return Break(e.seq, e.pk, "does not link to the previous entry (removed or reordered)")
        if _digest(prev_hash, _content(e)) != e.hash:
            return Break(e.seq, e.pk, "content does not match its hash (edited)")
        prev_hash, expected_seq = e.hash, expected_seq + 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.seq != expected_seq - 1:
        return Break(expected_seq, None, f"trail ends at seq {expected_seq - 1} but the head "
                     f"says {head.seq}: the last entries were removed")
    return None


@dataclass(frozen=True)
class Pending:
    """An entry to append in bulk (imports write one per record)."""

    action: str
    resource: str
    record_id: str
    fields: tuple[str, ...] = ()
    reason: str = ""


def record_many(user: Any, entries: Sequence[Pending], source: str = "") -> int:
    """Append many entries in one locked step, chaining them in order."""
    if not entries:
        return 0
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        now = timezone.now()
        prev, seq, rows = head.hash, head.seq, []
        for p in entries:
            seq += 1
            e = AuditEntry(
                seq=seq, at=now, user_id_snapshot=getattr(user, "pk", None),
                username=getattr(user, "username", "") or "",
                role=getattr(user, "role", "") or "",
                agency=getattr(getattr(user, "agency", None), "code", "") or "",
                action=p.action, resource=p.resource, record_id=p.record_id,
                fields=list(p.fields), reason=p.reason, source=source[:100], prev_hash=prev,
            )
            e.hash = _digest(prev, _content(e))
            prev = e.hash
            rows.append(e)
        AuditEntry.objects.bulk_create(rows, batch_size=1000)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return len(rows)
