"""Write, verify, filter and export the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.audit.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from lantern.cases.models import Case

GENESIS = "0" * 64


def _chain_key() -> bytes:
    """The chain's MAC key, derived from the key ring (kept outside the database)."""
    from lantern.vault.keys import derived_key

    return derived_key("audit-chain")


def _digest(prev_hash: str, entry: dict[str, Any], key: bytes | None = None) -> str:
    body = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    mac = hmac.new(key or _chain_key(), f"{prev_hash}\n{body}".encode(), hashlib.sha256)
    return mac.hexdigest()


def _head_mac(seq: int, last_hash: str, key: bytes | None = None) -> str:
    return hmac.new(
        key or _chain_key(), f"head\n{seq}\n{last_hash}".encode(), hashlib.sha256
    ).hexdigest()


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


def _entry(
    user: Any,
    seq: int,
    at: dt.datetime,
    prev: str,
    action: str,
    resource: str,
    record_id: object,
    fields: Sequence[str],
    reason: str,
    source: str,
) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        at=at,
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
        prev_hash=prev,
    )


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
    pending = Pending(action, resource, str(record_id), tuple(fields), reason)
    return _append(user, [pending], source)[0]


@dataclass(frozen=True)
class Pending:
    """An entry to append in bulk (imports write one per record)."""

    action: str
    resource: str
    record_id: str
    fields: tuple[str, ...] = ()
    reason: str = ""


def _append(user: Any, entries: Sequence[Pending], source: str) -> list[AuditEntry]:
    key = _chain_key()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        now = timezone.now()
        prev, seq, rows = head.hash, head.seq, []
        for p in entries:
            seq += 1
            e = _entry(
                user, seq, now, prev, p.action, p.resource, p.record_id, p.fields, p.reason, source
            )
            e.hash = _digest(prev, _content(e), key)
            prev = e.hash
            rows.append(e)
        AuditEntry.objects.bulk_create(rows, batch_size=1000)
        head.seq, head.hash, head.mac = seq, prev, _head_mac(seq, prev, key)
        head.save(update_fields=["seq", "hash", "mac"])
    return rows


def record_many(user: Any, entries: Sequence[Pending], source: str = "") -> int:
    """Append many entries in one locked step, chaining them in order."""
    if not entries:
        return 0
    return len(_append(user, entries, source))


def record_stream(
    user: Any, entries: Iterable[Pending], source: str = "", batch: int = 5000
) -> int:
    """Append ``entries`` as ``record_many`` does (one locked step, chained in order), reading
    them lazily and writing each batch without model objects: an import of a million records
    appends a million entries in flat memory. Returns how many."""
    from lantern.bulkwrite import Writer

    key = _chain_key()
    writer = Writer(AuditEntry, _STREAM_FIELDS)
    who = (
        getattr(user, "pk", None),
        getattr(user, "username", "") or "",
        getattr(user, "role", "") or "",
        getattr(getattr(user, "agency", None), "code", "") or "",
    )
    source = source[:100]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        now = timezone.now()
        at = now.isoformat()
        prev, seq, rows = head.hash, head.seq, []
        start = seq
        for p in entries:
            seq += 1
            content = {
                "seq": seq,
                "at": at,
                "user": who[0],
                "username": who[1],
                "role": who[2],
                "agency": who[3],
                "action": p.action,
                "resource": p.resource,
                "record": str(p.record_id),
                "fields": list(p.fields),
                "reason": p.reason,
                "source": source,
            }
            digest = _digest(prev, content, key)
            rows.append(
                (
                    seq,
                    now,
                    *who,
                    p.action,
                    p.resource,
                    content["record"],
                    content["fields"],
                    p.reason,
                    source,
                    prev,
                    digest,
                )
            )
            prev = digest
            if len(rows) >= batch:
                writer.insert(rows)
                rows = []
        writer.insert(rows)
        if seq != start:
            head.seq, head.hash, head.mac = seq, prev, _head_mac(seq, prev, key)
            head.save(update_fields=["seq", "hash", "mac"])
    return seq - start


_STREAM_FIELDS = (
    "seq",
    "at",
    "user_id_snapshot",
    "username",
    "role",
    "agency",
    "action",
    "resource",
    "record_id",
    "fields",
    "reason",
    "source",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class Break:
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry seq={self.seq}" + (f" (id={self.entry_id})" if self.entry_id else "")
        return f"{where}: {self.problem}"


def verify(entries: Iterable[AuditEntry] | None = None) -> Break | None:
    """The first break in the chain, or None when the trail is intact.

    Entries are read in insertion order (``id``); each must carry the next sequence number,
    link to its predecessor and match its keyed hash. The head row must then carry a valid MAC
    and point at the last entry, which catches entries removed from the end (head left as it
    was, or edited without the key) and entries written behind Lantern's back.
    """
    key = _chain_key()
    rows = entries if entries is not None else AuditEntry.objects.order_by("id").iterator()
    prev_hash, expected_seq, last_id = GENESIS, 1, None
    for e in rows:
        if e.seq != expected_seq:
            what = "missing or reordered entries" if e.seq > expected_seq else "reordered entries"
            return Break(expected_seq, e.pk, f"{what}: expected seq {expected_seq}, found {e.seq}")
        if e.prev_hash != prev_hash:
            return Break(e.seq, e.pk, "does not link to the previous entry (removed or reordered)")
        if not hmac.compare_digest(_digest(prev_hash, _content(e), key), e.hash):
            return Break(e.seq, e.pk, "content does not match its hash (edited)")
        prev_hash, expected_seq, last_id = e.hash, expected_seq + 1, e.pk
    last = expected_seq - 1
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if last:
            return Break(last, last_id, "the trail's head row is missing (deleted)")
        return None
    if not hmac.compare_digest(_head_mac(head.seq, head.hash, key), head.mac or ""):
        return Break(head.seq, None, "the head row does not match its MAC (edited)")
    if head.seq > last:
        return Break(
            last + 1,
            None,
            f"trail ends at seq {last} but the head says {head.seq}: the last entries were removed",
        )
    if head.seq < last:
        return Break(
            head.seq + 1,
            None,
            f"entries after seq {head.seq} were appended without "
            "updating the head (written outside Lantern)",
        )
    if head.hash != prev_hash:
        return Break(last, last_id, "the last entry is not the one the head points at (replaced)")
    return None


def head() -> tuple[int, str]:
    """The trail's current (seq, hash): write it down off the server to anchor the trail."""
    h = AuditHead.objects.filter(id=1).first()
    return (h.seq, h.hash) if h else (0, GENESIS)


def check_anchor(seq: int, expected_hash: str) -> Break | None:
    """Does entry ``seq`` still carry the hash recorded off the server earlier?"""
    e = AuditEntry.objects.filter(seq=seq).first()
    if e is None:
        return Break(seq, None, "the anchored entry is gone (the trail was cut back)")
    if not hmac.compare_digest(e.hash, expected_hash):
        return Break(seq, e.pk, "the anchored entry's hash changed (the trail was rewritten)")
    return None


@dataclass(frozen=True)
class TrailFilters:
    """What an auditor narrows the trail by (all optional)."""

    username: str = ""
    agency: str = ""
    action: str = ""
    resource: str = ""
    record_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def filtered(f: TrailFilters) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    for name in ("username", "agency", "action", "resource", "record_id"):
        value = getattr(f, name)
        if value:
            qs = qs.filter(**{name: value})
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs.order_by("-seq")


def for_case(case: Case) -> QuerySet[AuditEntry]:
    """Every entry about a case or its child: who viewed, imported or changed it."""
    q = Q(resource="case", record_id__in=[case.reference, str(case.pk)])
    q |= Q(resource="person", record_id=str(case.person.key))
    return AuditEntry.objects.filter(q).order_by("-seq")


#: The trail's columns as exported: every stored field but the user's row id, which means
#: nothing outside this store (the username, role and agency say who).
EXPORT_COLUMNS = [name for name in _STREAM_FIELDS if name != "user_id_snapshot"]


def _cell(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_csv(entries: Iterable[AuditEntry], fh: TextIO) -> int:
    """Write entries as CSV (with both hashes, so the export can be re-verified); returns rows."""
    w = csv.writer(fh)
    w.writerow(EXPORT_COLUMNS)
    n = 0
    for e in entries:
        w.writerow(
            [
                e.seq,
                e.at.isoformat(),
                *(
                    _cell(v)
                    for v in (
                        e.username,
                        e.role,
                        e.agency,
                        e.action,
                        e.resource,
                        e.record_id,
                        ";".join(e.fields or []),
                        e.reason,
                        e.source,
                    )
                ),
                e.prev_hash,
                e.hash,
            ]
        )
        n += 1
    return n


def request_source(request: Any) -> str:
    """The audit trail's "from where" for a request: the channel (api or web) and the address."""
    channel = "api" if request.path.startswith("/api/") else "web"
    return f"{channel} {request.META.get('REMOTE_ADDR', '')}"
