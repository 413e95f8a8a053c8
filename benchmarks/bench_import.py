"""Benchmark: import throughput and case-list API latency at 100,000 agency records.

OURS: ``lantern import`` (bulk upsert, chunked, one transaction). BASELINE, measured in the same
run on the same rows: the obvious Django way, one ``Model.objects.create`` per person, case,
event, exploitation and actor (same validation), on a 5,000-row slice, reported per row.
API: median and p95 of ``GET /api/cases/`` (first pages, and filtered) at the full size, beside
the same page fetched by an unscoped ORM query with no policy layer (the floor for that SQL).

    python benchmarks/bench_import.py [--quick] [--rows N]
Runs on SQLite by default; with DATABASE_URL set (scripts/with-postgres.sh) on PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _simulate(rows: int, out: Path) -> Path:
    children = int(rows / 0.95)  # south_asia, 6 agencies: ~0.95 records per true child
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10,000 rows instead of 100,000")
    ap.add_argument("--rows", type=int, default=None)
    args = ap.parse_args()
    rows = args.rows or (10_000 if args.quick else 100_000)
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    records = _simulate(rows, work / "sim")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lantern.accounts.models import Role, User
    from lantern.accounts.services import create_token
    from lantern.cases.importing import import_file
    from lantern.cases.models import Case

    call_command("migrate", verbosity=0)
    db = connection.vendor
    loader = User.objects.create(username="bench", role=Role.NATIONAL_COORDINATOR)

    t = time.perf_counter()
    report = import_file(records, loader)
    ours = time.perf_counter() - t
    per_row_base = _baseline(records, loader, 5000 if not args.quick else 1000)
    n = report.rows
    print(
        f"import [{db}] {n:,} rows: ours {ours:.1f} s ({n / ours:,.0f} rows/s) | "
        f"baseline row-by-row ORM {per_row_base * n:.1f} s (extrapolated from a slice, "
        f"{1 / per_row_base:,.0f} rows/s) | speed-up {per_row_base * n / ours:.1f}x"
    )
    t = time.perf_counter()
    again = import_file(records, loader)
    print(f"re-import [{db}] unchanged {again.unchanged:,} rows in {time.perf_counter() - t:.1f} s")

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
