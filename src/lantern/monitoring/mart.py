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
import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from lantern.monitoring.coarsen import age_category, journey_scope

CASE_SCHEMA = pa.schema(
    [
        ("case_key", pa.string()),
        ("person_key", pa.string()),
        ("person_key_loose", pa.string()),
        ("linked", pa.bool_()),
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
    from lantern.vault.keys import derived_key

    key = derived_key("mart pseudonyms")

    def pseudonym(kind: str, value: str) -> str:
        mac = hmac.new(key, f"{kind}\x00{value}".encode(), hashlib.sha256)
        return f"{kind}-{mac.hexdigest()[:32]}"

    return pseudonym


def mart_dir() -> Path:
    return Path(settings.VAR_DIR) / "mart"


def _month(d: dt.date | None) -> dt.date | None:
    return d.replace(day=1) if d else None


def _age_category(r: Mapping[str, Any]) -> str:
    """The age as the source gave it (age_min/age_max); an exact age recorded without them
    (intake before the bounds existed) is its own band."""
    low, high = r["age_min"], r["age_max"]
    if low is None and high is None and r["age_at_identification"] is not None:
        low = high = r["age_at_identification"]
    return age_category(low, high)


def build(
    out: Path | None = None, progress: Callable[[int, int], object] | None = None
) -> MartInfo:
    """Rebuild the mart from the store (non-identifying columns only), atomically.

    ``progress(done, total)`` hears how many cases have been read, now and then."""
    from lantern.cases.models import Case, Exploitation, TraffickingEvent
    from lantern.linkage.models import LinkRun, PersonLink
    from lantern.perpetrators.routes import organised_corridors

    out = out or mart_dir()
    out.mkdir(parents=True, exist_ok=True)
    links = dict(PersonLink.objects.values_list("person_id", "cluster_key"))
    first: dict[int, tuple[str, str]] = {}
    last: dict[int, tuple[str, str]] = {}
    countries: dict[int, list[str]] = {}
    for case_id, etype, country, state in TraffickingEvent.objects.order_by(
        "case_id", "seq"
    ).values_list("case_id", "type", "country", "state"):
        countries.setdefault(case_id, []).append(country)
        if etype == "recruitment" and case_id not in first:
            first[case_id] = (country, state)
        if etype == "exploitation":
            last[case_id] = (country, state)
    sectors: dict[int, list[str]] = {}
    for case_id, section in (
        Exploitation.objects.exclude(isic_section="")
        .order_by("case_id", "seq")
        .values_list("case_id", "isic_section")
    ):
        if section not in sectors.setdefault(case_id, []):
            sectors[case_id].append(section)
    cols: dict[str, list[Any]] = {name: [] for name in CASE_SCHEMA.names}
    rows = Case.objects.values(
        "id",
        "reference",
        "person_id",
        "registration_date",
        "registration_date_precision",
        "intake_channel",
        "gender",
        "age_group",
        "age_evidence",
        "age_min",
        "age_max",
        "age_at_identification",
        "method_of_recruitment",
        "relationship_to_trafficker",
        "methods_of_control",
        "citizenship",
        "primary_form",
        "forms_of_exploitation",
        "trafficking_status",
        "status",
        "outcome",
        person_uuid=F("person__key"),
        agency_code=F("agency__code"),
        agency_kind=F("agency__type"),
    ).order_by("id")
    run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()
    keys = {
        person: links.get(person, str(uuid))
        for person, uuid in Case.objects.values_list("person_id", "person__key")
    }
    loose = _loose_keys(keys, run.pk if run else None)
    pseudonym = pseudonymiser()
    linked = 0
    total = Case.objects.count()
    for done, r in enumerate(rows.iterator(chunk_size=5000)):
        if progress is not None and done % 1000 == 0:
            progress(done, total)
        key = links.get(r["person_id"])
        linked += key is not None
        origin = first.get(r["id"], ("", ""))
        dest = last.get(r["id"], ("", ""))
        values = {
            "case_key": pseudonym("case", r["reference"]),
            "person_key": pseudonym("child", key or str(r["person_uuid"])),
            "person_key_loose": pseudonym("child", loose[r["person_id"]]),
            "linked": key is not None,
            "agency": r["agency_code"],
            "agency_type": r["agency_kind"],
            "registration_month": _month(r["registration_date"]),
            "registration_year": r["registration_date"].year,
            "registration_precision": r["registration_date_precision"] or "day",
            "intake_channel": r["intake_channel"],
            "sex": r["gender"],
            "age_group": r["age_group"],
            "age_evidence": r["age_evidence"],
            "age_category": _age_category(r),
            "citizenship": r["citizenship"],
            "primary_form": r["primary_form"],
            "forms": list(r["forms_of_exploitation"] or []),
            "sectors": sectors.get(r["id"], []),
            "trafficking_status": r["trafficking_status"],
            "recruitment_method": r["method_of_recruitment"],
            "relationship_to_trafficker": r["relationship_to_trafficker"],
            "control_methods": list(r["methods_of_control"] or []),
            "status": r["status"],
            "outcome": r["outcome"],
            "origin_country": origin[0],
            "origin_state": origin[1],
            "destination_country": dest[0],
            "destination_state": dest[1],
            "journey_scope": journey_scope(countries.get(r["id"], ())),
        }
        for k, v in values.items():
            cols[k].append(v)
    # rows in the order of their keyed case key: the store's order (case ids) would let whoever
    # holds the store join the mart back to it by position
    order = sorted(range(len(cols["case_key"])), key=cols["case_key"].__getitem__)
    cols = {name: [values[i] for i in order] for name, values in cols.items()}
    if progress is not None:
        progress(total, total)
    table = pa.table(cols, schema=CASE_SCHEMA)
    organised, organised_agencies = organised_corridors()
    info = MartInfo(
        path=_write_new(out, table),
        built_at=timezone.now().isoformat(timespec="seconds"),
        cases=table.num_rows,
        linked_cases=linked,
        link_run=run.pk if run else None,
        children=len(set(cols["person_key"])),
        link_quality=(run.model or {}).get("quality") if run else None,
        organised=tuple(sorted(organised.items())),
        organised_agencies=tuple(sorted(organised_agencies)),
    )
    _commit(out, info)
    return info


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


def _write_new(out: Path, table: pa.Table) -> Path:
    """The new data, complete and on disk, under a name of its own: the manifest still names
    the previous file, so readers keep taking the previous mart until :func:`_commit`."""
    tmp = _temp(out, "cases.parquet")
    try:
        pq.write_table(table, tmp)
        _fsync(tmp)
        path = out / f"cases-{uuid.uuid4().hex[:12]}.parquet"
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
    keep = {new.path.name, previous.path.name if previous else ""}
    for old in out.glob("cases-*.parquet"):
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
    )
