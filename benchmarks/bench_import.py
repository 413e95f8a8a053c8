"""Benchmark: import throughput and peak memory, and case-list API latency, at 100,000 records.

OURS: ``lantern import`` (#16 fast import: rows written as plain tuples with executemany or
COPY, one transaction). TODAY, measured in the same run on the same rows: the import path
before it (the ORM's bulk_create in chunks, ``import_today.py``) on a slice of the file
(20,000 rows; --quick 5,000), rolled back. Each runs in a process of its own, so that its peak
memory (ru_maxrss, and its rise over the process at rest) is its own. BASELINE: the obvious
Django way, one ``Model.objects.create`` per person, case, event, exploitation and actor
(same validation), on a 5,000-row slice, reported per row.
API: median and p95 of ``GET /api/cases/`` (first pages, and filtered) at the full size, beside
the same page fetched by an unscoped ORM query with no policy layer (the floor for that SQL).

    python benchmarks/bench_import.py [--quick] [--rows N] [--today-rows N] [--no-api]
        [--no-reimport]
Runs on SQLite by default; with DATABASE_URL set (scripts/with-postgres.sh) on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _simulate(rows: int, out: Path) -> Path:
    children = int(rows / 0.91)  # south_asia, 6 agencies: ~0.91 records per true child
    subprocess.run(
        [
            sys.executable,
            "-m",
            "lantern.cli",
            "simulate",
            "--seed",
            "11",
            "--children",
            str(children),
            "--agencies",
            "6",
            "--scenario",
            "south_asia",
            "--out",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out / "records.parquet"


def _baseline(path: Path, user: object, limit: int) -> float:
    """Row-by-row ORM creates with the same validation, in one transaction."""
    from django.db import transaction

    from lantern.accounts.models import Agency
    from lantern.cases.importing.readers import read_rows
    from lantern.cases.importing.rows import parse_row
    from lantern.cases.models import Actor, ActorRole, Case, Exploitation, Person, TraffickingEvent

    t = time.perf_counter()
    n = 0
    with transaction.atomic():
        for i, data in read_rows(path):
            if i > limit:
                break
            rec = parse_row(i, data)
            if isinstance(rec, list):
                continue
            agency, _ = Agency.objects.get_or_create(
                code="baseline-" + rec.agency, defaults={"name": rec.agency, "type": "ngo"}
            )
            person = Person.objects.create(**rec.person)
            case = Case.objects.create(
                person=person, agency=agency, source_record_id=rec.source_record_id, **rec.case
            )
            for e in rec.events:
                TraffickingEvent.objects.create(case=case, **e)
            for x in rec.exploitations:
                Exploitation.objects.create(case=case, **x)
            for a in rec.actors:
                actor, _ = Actor.objects.get_or_create(agency=agency, ref=a["ref"])
                ActorRole.objects.get_or_create(actor=actor, case=case, role=a["role"])
            n += 1
        transaction.set_rollback(True)
    return (time.perf_counter() - t) / max(n, 1)


def _latency(fn, n: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(kind: str, records: Path, limit: int) -> None:
    """Runs one measured import in this process and prints it as one JSON line."""
    import django

    django.setup()
    from lantern.accounts.models import User
    from lantern.cases.importing import import_file

    user = User.objects.get(username="bench")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from import_today import import_today

    at_rest = _rss_mb()
    t = time.perf_counter()
    run = (lambda: import_today(records, user, limit)) if kind == "today" else None
    report = run() if run else import_file(records, user)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": report.rows,
                "created": report.created,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
                "seconds": seconds,
                "peak_mb": peak,
                "rise_mb": peak - at_rest,
            }
        )
    )


def _measure(kind: str, records: Path, limit: int = 0) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            kind,
            "--records",
            str(records),
            "--limit",
            str(limit),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10,000 rows instead of 100,000")
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--today-rows", type=int, default=None, help="today's path's slice")
    ap.add_argument("--no-api", action="store_true", help="measure the import only")
    ap.add_argument("--no-reimport", action="store_true", help="skip the unchanged re-import")
    ap.add_argument("--child", choices=("fast", "today"), help=argparse.SUPPRESS)
    ap.add_argument("--records", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    if args.child:
        _child(args.child, args.records, args.limit)
        return
    rows = args.rows or (10_000 if args.quick else 100_000)
    today_rows = min(rows, args.today_rows or (5_000 if args.quick else 20_000))
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ["LANTERN_MART_REFRESH"] = "off"  # time the import, not the refresh after it
    records = _simulate(rows, work / "sim")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lantern.accounts.models import Role, User
    from lantern.accounts.services import create_token
    from lantern.cases.models import Case

    call_command("migrate", verbosity=0)
    db = connection.vendor
    loader = User.objects.create(username="bench", role=Role.NATIONAL_COORDINATOR)
    connection.close()  # the store is the measured processes' now

    today = _measure("today", records, today_rows)
    ours = _measure("fast", records)
    again = None if args.no_reimport else _measure("fast", records)
    per_row_base = _baseline(records, loader, 5000 if not args.quick else 1000)
    n = int(ours["rows"])
    ours_rate, today_rate = n / ours["seconds"], today["rows"] / today["seconds"]
    print(
        f"import [{db}] {n:,} rows ({int(ours['created']):,} created): "
        f"ours {ours['seconds']:.1f} s "
        f"({ours_rate:,.0f} rows/s), peak RSS {ours['peak_mb']:,.0f} MB "
        f"(+{ours['rise_mb']:,.0f} MB over the process at rest) | today's path (ORM bulk_create, "
        f"first {int(today['rows']):,} rows, rolled back) {today_rate:,.0f} rows/s, peak RSS "
        f"{today['peak_mb']:,.0f} MB (+{today['rise_mb']:,.0f} MB) | speed-up "
        f"{ours_rate / today_rate:.1f}x | baseline row-by-row ORM {1 / per_row_base:,.0f} rows/s "
        f"(a slice)"
    )
    if again:
        print(
            f"re-import [{db}] unchanged {int(again['unchanged']):,} rows in "
            f"{again['seconds']:.1f} s ({again['rows'] / again['seconds']:,.0f} rows/s), "
            f"peak RSS {again['peak_mb']:,.0f} MB"
        )
    if args.no_api:
        return

    raw = create_token("bench")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    total = Case.objects.count()
    pages = max(total // 50, 1)

    def page(i: int) -> None:
        res = client.get(f"/api/cases/?page={1 + (i * 37) % min(pages, 200)}")
        assert res.status_code == 200

    def filtered(i: int) -> None:
        q = [
            "gender=Feminine",
            "form=sexual_exploitation",
            "age_group=child_15_17",
            "status=Active&citizenship=NPL",
        ][i % 4]
        assert client.get(f"/api/cases/?{q}").status_code == 200

    def floor(i: int) -> None:
        start = ((i * 37) % min(pages, 200)) * 50
        list(
            Case.objects.select_related("agency").order_by("-registration_date", "-id")[
                start : start + 50
            ]
        )
        Case.objects.count()

    for fn in (page, filtered, floor):
        fn(0)
    p50, p95 = _latency(page, 200)
    f50, f95 = _latency(filtered, 200)
    b50, b95 = _latency(floor, 200)
    print(
        f"case list API [{db}] at {total:,} cases: ours median {p50:.1f} ms, p95 {p95:.1f} ms "
        f"| filtered median {f50:.1f} ms, p95 {f95:.1f} ms | baseline unscoped ORM page "
        f"median {b50:.1f} ms, p95 {b95:.1f} ms"
    )


if __name__ == "__main__":
    main()
