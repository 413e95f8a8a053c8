"""The mart: a pseudonymised Parquet copy of the store for analytics (DESIGN.md section 2).

Analytics never read the operational store. The mart holds pseudonymous keys and coarsened
quasi-identifiers only: no names, no dates of birth, no identity numbers, no towns (provinces
at most), registration dates as months (with the source's precision: a year-only date's month
means nothing), ages as categories (``coarsen.age_category``). Its keys are keyed hashes
(:func:`pseudonymiser`), never the operational reference or person key. ``person_key`` is
the linked child's key when record linkage has run (``lantern link``), else the agency
record's own person key; ``person_key_loose`` also joins the records the last run scored at
p >= :data:`LOOSE_LINK` without linking (unless a person decided they are different
children), so an estimate can say how much it moves when the uncertain links are accepted.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.utils import timezone

from lantern.monitoring import martnetworks, martread

log = logging.getLogger("lantern.mart")

CASE_SCHEMA = pa.schema(
    [
        ("case_key", pa.string()),
        ("person_key", pa.string()),
        ("person_key_loose", pa.string()),
        ("linked", pa.bool_()),
        # the rows (records) of this row's child in the mart: 1 for most, more once linked
        ("child_records", pa.int32()),
        # the row's child as a number (0, 1, ...) in the mart's own keyed order: a table's
        # count(DISTINCT) over an integer is half the time of one over the keyed string
        ("child_number", pa.int32()),
        ("agency", pa.string()),
        ("agency_type", pa.string()),
        ("registration_month", pa.date32()),
        ("registration_year", pa.int16()),
        # "day", "month" or "year": a year-only date's month (January) is no month at all
        ("registration_precision", pa.string()),
        ("intake_channel", pa.string()),
        ("sex", pa.string()),
        ("age_group", pa.string()),
        ("age_evidence", pa.string()),
        # coarsen.age_category: a child band, "minor/adult, exact age unknown", or '' (unknown)
        ("age_category", pa.string()),
        ("citizenship", pa.string()),
        ("primary_form", pa.string()),
        ("forms", pa.list_(pa.string())),
        ("sectors", pa.list_(pa.string())),  # ISIC sections of the exploitation episodes
        ("trafficking_status", pa.string()),
        ("recruitment_method", pa.string()),
        ("relationship_to_trafficker", pa.string()),
        ("control_methods", pa.list_(pa.string())),
        ("status", pa.string()),
        ("outcome", pa.string()),
        ("origin_country", pa.string()),
        ("origin_state", pa.string()),
        ("destination_country", pa.string()),
        ("destination_state", pa.string()),
        ("journey_scope", pa.string()),  # coarsen.journey_scope: domestic, cross_border or ''
    ]
)


@dataclass(frozen=True)
class MartInfo:
    path: Path
    built_at: str
    cases: int
    linked_cases: int
    link_run: int | None
    children: int = 0  # distinct person keys: children once records are linked
    #: the link run's own expectation of its links (recordlinkage.quality), if it gave one
    link_quality: dict[str, Any] | None = None
    #: cases along each corridor of networks flagged as organised crime, by (origin country,
    #: destination country, journey scope), and the agencies whose cases they are: the whole
    #: register's network analysis runs once here, not on each view of the routes page
    organised: tuple[tuple[tuple[str, str, str], int], ...] = ()
    organised_agencies: tuple[str, ...] = ()
    #: a keyed digest of what ``organised`` was computed from (``martnetworks``)
    organised_digest: str = ""
    #: when the build began reading the store: a change after this may be missing
    as_of: str = ""
    #: the private file of each row's change marker, for the next refresh (not for analysis)
    state: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "built_at": self.built_at,
            "cases": self.cases,
            "linked_cases": self.linked_cases,
            "link_run": self.link_run,
            "children": self.children,
            "link_quality": self.link_quality,
            "organised": [[*key, n] for key, n in self.organised],
            "organised_agencies": list(self.organised_agencies),
            "organised_digest": self.organised_digest,
            "as_of": self.as_of or self.built_at,
            "state": self.state,
        }


#: The least match probability at which the sensitivity key joins two children: more likely
#: one child than two.
LOOSE_LINK = 0.5


def _loose_keys(person_keys: dict[int, str], run_id: int | None) -> dict[int, str]:
    """Each person's key with the uncertain links of run ``run_id`` accepted as well.

    Union-find over the run's scored pairs at p >= LOOSE_LINK, on top of the linked clusters;
    pairs a person decided are different children stay apart. Each group takes its smallest
    key, so the key stays a pseudonym already in the mart.
    """
    from lantern.linkage.models import MatchPair, ReviewDecision

    groups: dict[str, str] = {key: key for key in person_keys.values()}  # key -> its parent

    def root(key: str) -> str:
        while groups[key] != key:
            groups[key] = groups[groups[key]]
            key = groups[key]
        return key

    if run_id is not None:
        different = set(
            ReviewDecision.objects.filter(same=False).values_list("person_a_id", "person_b_id")
        )
        for a, b in MatchPair.objects.filter(
            run_id=run_id, probability__gte=LOOSE_LINK
        ).values_list("person_a_id", "person_b_id"):
            if (a, b) in different or (b, a) in different:
                continue
            if a not in person_keys or b not in person_keys:
                continue
            ra, rb = root(person_keys[a]), root(person_keys[b])
            if ra != rb:
                groups[max(ra, rb)] = min(ra, rb)
    return {person: root(key) for person, key in person_keys.items()}


def pseudonymiser() -> Callable[[str, str], str]:
    """Keys for the mart: a keyed hash (HMAC-SHA256) of the operational key under a key derived
    from the vault's index key, which never enters the database or the mart.

    Stable across builds (an analyst's joins between two builds hold), but whoever holds the mart
    (a partner country, a published extract) cannot turn a key back into a case reference or a
    person's id, nor test a guess without the installation's key.
    """
    many = _pseudonyms()
    return lambda kind, value: many(kind, [value])[0]


def _pseudonyms() -> Callable[[str, Sequence[str]], list[str]]:
    """:func:`pseudonymiser` over a column of values at once: HMAC computed from the key's two
    padded states, hashed once and copied per value (the same digests as ``hmac.new``, in half
    the time, which counts over a million cases)."""
    from lantern.vault.keys import derived_key

    key = derived_key("mart pseudonyms")
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def pseudonyms(kind: str, values: Sequence[str]) -> list[str]:
        prefix, head = f"{kind}\x00".encode(), f"{kind}-"
        out = []
        for value in values:
            i = inner.copy()
            i.update(prefix + value.encode())
            o = outer.copy()
            o.update(i.digest())
            out.append(head + o.hexdigest()[:32])
        return out

    return pseudonyms


def mart_dir() -> Path:
    return Path(settings.VAR_DIR) / "mart"


#: The columns a refresh works out again for every row: the keys and the agency, which depend
#: on more than the case (linkage, the other cases, the agency's own record). The others
#: (``martread.CONTENT``) are taken from the previous mart for a case that has not changed.
KEYED = (
    "case_key",
    "person_key",
    "person_key_loose",
    "linked",
    "child_records",
    "child_number",
    "agency",
    "agency_type",
)
#: What the private state beside the data holds per row: the case's change marker when read.
STATE_SCHEMA = pa.schema(
    [("revision", pa.int64()), ("events", pa.int32()), ("episodes", pa.int32())],
    metadata={b"lantern_mart": b"1"},  # bump when a content column's derivation changes
)
#: A refresh reads the whole store again when more than this share of the cases changed: a
#: scan in id order is then quicker than reading the changed ones by id.
RESCAN = 0.3


def build(
    out: Path | None = None,
    progress: Callable[[int, int], object] | None = None,
    full: bool = False,
) -> MartInfo:
    """Refresh the mart (:func:`_build`), one build at a time for its folder.

    Builds may be asked for at once: the refresh that follows an import, `lantern mart build`,
    another server process. Each commit tidies away the data files of builds but the last, so
    two at once would delete each other's file before it is linked in; a lock on the folder
    makes the second wait, then read the store as the first left it."""
    out = out or mart_dir()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "build.lock").open("a") as fh:  # 0600: the process umask (filemodes)
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            return _build(out, progress, full)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build(
    out: Path,
    progress: Callable[[int, int], object] | None,
    full: bool,
) -> MartInfo:
    """Refresh the mart from the store (non-identifying columns only), atomically.

    Incremental: a case whose revision and numbers of journey events and episodes are those
    the previous mart read keeps its row; changed and new cases are read again, deleted ones
    go, and the keyed columns are worked out again for every row (linkage may have moved any
    child). ``full`` reads every case again. The organised-crime corridors are the previous
    mart's while their inputs are unchanged (``martnetworks``). ``progress(done, total)`` hears
    how many cases are ready, now and then."""
    from lantern.accounts.models import Agency
    from lantern.linkage.models import LinkRun, PersonLink

    as_of = timezone.now().isoformat()  # to the microsecond: see refresh.freshness
    now = martread.current()
    total = len(now.ids)
    if progress is not None:
        progress(0, total)
    pseudonyms = _pseudonyms()
    case_keys = pseudonyms("case", now.references)
    revisions = np.asarray(now.revisions, dtype=np.int64)
    events = np.fromiter((now.events.get(i, 0) for i in now.ids), np.int32, total)
    episodes = np.fromiter((now.episodes.get(i, 0) for i in now.ids), np.int32, total)
    try:
        previous = info(out)
    except (ValueError, KeyError, TypeError):  # an unreadable manifest: build in full
        previous = None
    missing = martread.revision_triggers_missing()
    if missing and not full:  # the marker cannot be trusted: read every case again
        log.error(
            "mart: revision triggers missing (%s); building in full", ", ".join(sorted(missing))
        )
        full = True
    kept_rows, kept_at = _unchanged(
        None if full else previous, case_keys, revisions, events, episodes
    )
    stale = np.ones(total, dtype=bool)
    stale[kept_at] = False
    done = len(kept_at)
    if progress is not None:
        progress(done, total)

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    ids = np.asarray(now.ids, dtype=np.int64)
    wanted = ids[stale]
    rescan = len(wanted) > RESCAN * max(total, 1)
    read, cols = martread.content(None if rescan else wanted.tolist(), step)
    fresh = pa.table(cols, schema=pa.schema([CASE_SCHEMA.field(n) for n in martread.CONTENT]))
    # the rows read that are wanted (a scan also reads what it keeps, and what came after the
    # key read); and where each sits among the current cases
    read_ids = np.asarray(read, dtype=np.int64)
    position = np.searchsorted(ids, read_ids)
    position = np.minimum(position, max(total - 1, 0))
    found = (
        (ids[position] == read_ids) & stale[position] if total else np.zeros(len(read_ids), bool)
    )
    fresh = fresh.filter(pa.array(found))
    at = np.concatenate([kept_at, position[found]]).astype(np.int64)
    content = pa.concat_tables([kept_rows, fresh]) if kept_rows is not None else fresh

    links = dict(PersonLink.objects.values_list("person_id", "cluster_key"))
    run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    own = dict(zip(now.persons, now.person_keys, strict=True))
    keys = {person: links.get(person, key) for person, key in own.items()}
    loose = _loose_keys(keys, run.pk if run else None)
    persons = np.asarray(now.persons, dtype=np.int64)[at]
    person_keys = _child_keys(
        pseudonyms, [keys[p] for p in persons.tolist()], [loose[p] for p in persons.tolist()]
    )
    rows = sorted(Agency.objects.values_list("pk", "code", "type"))
    codes, types = [r[1] for r in rows], [r[2] for r in rows]
    agency_ids = np.asarray([r[0] for r in rows], dtype=np.int64)
    agency = pa.array(np.searchsorted(agency_ids, np.asarray(now.agencies, dtype=np.int64)[at]))
    keyed = {
        "case_key": pa.array(case_keys, pa.string()).take(pa.array(at)),
        "person_key": person_keys[0],
        "person_key_loose": person_keys[1],
        "linked": np.isin(persons, np.fromiter(links, np.int64, len(links))),
        "child_records": _records_per_key(person_keys[0]),
        "child_number": np.zeros(len(person_keys[0]), np.int32),  # numbered once in order
        "agency": pa.array(codes, pa.string()).take(agency),
        "agency_type": pa.array(types, pa.string()).take(agency),
    }
    table = pa.table(
        {
            name: keyed[name] if name in keyed else content.column(name)
            for name in CASE_SCHEMA.names
        },
        schema=CASE_SCHEMA,
    )
    # rows in the order of their keyed case key: the store's order (case ids) would let whoever
    # holds the store join the mart back to it by position
    order = pc.sort_indices(table, sort_keys=[("case_key", "ascending")])
    table = table.take(order)
    table = table.set_column(
        CASE_SCHEMA.get_field_index("child_number"),
        CASE_SCHEMA.field("child_number"),
        _child_numbers(table.column("person_key")),
    )
    at = at[order.to_numpy()]
    state = pa.table(
        {"revision": revisions[at], "events": events[at], "episodes": episodes[at]},
        schema=STATE_SCHEMA,
    )
    if progress is not None:
        progress(total, total)
    organised, organised_agencies, organised_digest = martnetworks.organised(
        now, None if previous is None else vars(previous)
    )
    data, state_path = _write_new(out, table), _write_new(out, state, "state")
    info_ = MartInfo(
        path=data,
        built_at=timezone.now().isoformat(timespec="seconds"),
        cases=table.num_rows,
        linked_cases=int(pc.sum(table.column("linked")).as_py() or 0),
        link_run=run.pk if run else None,
        children=pc.count_distinct(table.column("person_key")).as_py(),
        link_quality=(run.model or {}).get("quality") if run else None,
        organised=organised,
        organised_agencies=organised_agencies,
        organised_digest=organised_digest,
        as_of=as_of,
        state=str(state_path),
    )
    _commit(out, info_)
    return info_


def _child_keys(
    pseudonyms: Callable[[str, Sequence[str]], list[str]],
    keys: list[str],
    loose: list[str],
) -> tuple[list[str], list[str]]:
    """The children's keys, each distinct key hashed once (a loose key is mostly the key)."""
    distinct = list(dict.fromkeys([*keys, *loose]))
    hashed = dict(zip(distinct, pseudonyms("child", distinct), strict=True))
    return [hashed[k] for k in keys], [hashed[k] for k in loose]


def _child_numbers(keys: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each row's child as a number, the same for every record of a child: the children of
    several records first (0, 1, ...: a table counts them distinct with a bitmap over just
    their numbers, ``counting``), then the others; each part in the order its keys first
    appear (the rows' keyed order, so a number says no more than the key)."""
    whole = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    codes = pc.dictionary_encode(whole).indices.to_numpy()
    several = np.bincount(codes, minlength=1) > 1
    number = np.empty(len(several), np.int32)
    number[several] = np.arange(int(several.sum()), dtype=np.int32)
    number[~several] = np.arange(int(several.sum()), len(several), dtype=np.int32)
    return pa.array(number[codes], pa.int32())


def _records_per_key(keys: list[str]) -> np.ndarray[Any, Any]:
    """For each key, how many times it occurs in ``keys``: a child's records, which let a
    table count the children of one record without a distinct aggregate (``counting``)."""
    codes = pc.dictionary_encode(pa.array(keys, pa.string())).indices.to_numpy()
    return np.bincount(codes, minlength=1)[codes].astype(np.int32)


def _unchanged(
    previous: MartInfo | None,
    case_keys: list[str],
    revisions: np.ndarray[Any, Any],
    events: np.ndarray[Any, Any],
    episodes: np.ndarray[Any, Any],
) -> tuple[pa.Table | None, np.ndarray[Any, Any]]:
    """The previous mart's content of the cases unchanged since it was read, and where each
    sits among the current cases (none when there is no previous mart of this shape)."""
    nothing = None, np.zeros(0, dtype=np.int64)
    if previous is None or not previous.state:
        return nothing
    try:
        data = pq.read_table(previous.path)
        state = pq.read_table(previous.state)
    except (OSError, pa.ArrowInvalid):
        return nothing
    if (
        data.schema.remove_metadata() != CASE_SCHEMA
        or state.schema.metadata != STATE_SCHEMA.metadata
        or state.num_rows != data.num_rows
    ):
        return nothing
    where = pc.index_in(pa.array(case_keys, pa.string()), value_set=data.column("case_key"))
    at = np.flatnonzero(where.is_valid().to_numpy(zero_copy_only=False))
    before = where.drop_null().to_numpy().astype(np.int64)
    same = (
        (state.column("revision").to_numpy()[before] == revisions[at])
        & (state.column("events").to_numpy()[before] == events[at])
        & (state.column("episodes").to_numpy()[before] == episodes[at])
    )
    rows = data.select(list(martread.CONTENT)).take(pa.array(before[same]))
    return rows, at[same]


# Writing: a kill -9 at any point leaves readers (``info``) the previous mart or the new one.


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp(out: Path, name: str) -> Path:
    """A new 0600 file of this build's own (never another build's, never a stale one)."""
    for stale in out.glob(".*.tmp"):  # left by a killed build
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
    fd, name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
    os.close(fd)
    return Path(name)


#: rows per Parquet row group: DuckDB's own size, so that a table over the mart is read and
#: aggregated by every core (one group of a million rows is scanned by one thread: 2.5 times
#: slower on two cores)
ROW_GROUP = 122_880


def _write_new(out: Path, table: pa.Table, name: str = "cases") -> Path:
    """The new data, complete and on disk, under a name of its own: the manifest still names
    the previous file, so readers keep taking the previous mart until :func:`_commit`."""
    tmp = _temp(out, f"{name}.parquet")
    try:
        pq.write_table(table, tmp, row_group_size=ROW_GROUP)
        _fsync(tmp)
        path = out / f"{name}-{uuid.uuid4().hex[:12]}.parquet"
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _commit(out: Path, new: MartInfo) -> None:
    """Swap the manifest atomically (the commit point), then the by-name copy, then tidy.

    ``cases.parquet`` follows for tools that open it by name: a hard link swapped in, so it is
    always a complete file. The previous data file stays for a reader that has just read the
    previous manifest; older ones go.
    """
    try:
        previous = info(out)
    except (ValueError, KeyError, TypeError):  # an unreadable manifest names nothing to keep
        previous = None
    tmp = _temp(out, "manifest.json")
    try:
        tmp.write_text(json.dumps(new.to_dict(), indent=2))
        _fsync(tmp)
        tmp.replace(out / "manifest.json")
        _fsync(out)
        link = _temp(out, "cases.parquet")
        link.unlink()
        os.link(new.path, link)
        link.replace(out / "cases.parquet")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    keep = {new.path.name, Path(new.state).name}
    if previous is not None:
        keep |= {previous.path.name, Path(previous.state).name}
    for old in [*out.glob("cases-*.parquet"), *out.glob("state-*.parquet")]:
        if old.name not in keep:
            old.unlink(missing_ok=True)


def info(out: Path | None = None) -> MartInfo | None:
    path = (out or mart_dir()) / "manifest.json"
    if not path.exists():
        return None
    d = json.loads(path.read_text())
    return MartInfo(
        Path(d["path"]),
        d["built_at"],
        d["cases"],
        d["linked_cases"],
        d["link_run"],
        d.get("children", 0),
        d.get("link_quality"),
        tuple(((o, dest, scope), int(n)) for o, dest, scope, n in d.get("organised", ())),
        tuple(d.get("organised_agencies", ())),
        d.get("organised_digest", ""),
        d.get("as_of") or d["built_at"],
        d.get("state", ""),
    )
