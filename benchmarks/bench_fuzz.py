"""Benchmark: schemathesis and the hostile probes over the whole API; server errors found.

OURS: every operation of /api/openapi.json, in process as a caseworker with a second factor:
the hostile probes (a lone surrogate, 10**20 and 1e30 in each parameter and body field), then
schemathesis' generated requests, valid and invalid, EXAMPLES per operation and mode (CI runs
4). Prints operations, requests and server errors; the target is 0.
BASELINE: the same two passes on the code before issue 19's bounds (commit f071eb4, SQLite,
25 examples), measured once and quoted here: they cannot run against today's code.

    python benchmarks/bench_fuzz.py [--quick] [--examples N]
Runs on SQLite by default; with DATABASE_URL set (scripts/with-postgres.sh) on PostgreSQL.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "probes 3 of 396 and schemathesis 8 of 2,625 requests answered 500, on 2 operations"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="5 examples per operation and mode")
    ap.add_argument("--examples", type=int, default=None)
    args = ap.parse_args()
    examples = args.examples or (5 if args.quick else 25)
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    os.environ["LANTERN_VAR"] = str(work / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from tests import factories
    from tests.security.api_fuzz import caseworker_headers, fuzz
    from tests.security.hostile_probes import send_all

    from lantern.api import api
    from lantern.wsgi import application

    setup_test_environment()  # the test client's host and e-mail backend
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    factories.agency("ngo-one")
    factories.agency("police-two")
    rows = [factories.record(i, "ngo-one" if i % 2 else "police-two") for i in range(1, 21)]
    factories.import_records(rows, work)
    headers = caseworker_headers()
    logging.getLogger("django.request").setLevel(logging.CRITICAL + 1)  # counted, not printed

    t = time.perf_counter()
    doc = api.get_openapi_schema(path_prefix="/api")
    sent, failed = send_all(Client(raise_request_exception=False), doc, headers)
    probe_s = time.perf_counter() - t
    t = time.perf_counter()
    run = fuzz(application, headers, examples=examples)
    fuzz_s = time.perf_counter() - t

    print(f"database: {connection.vendor}; {examples} examples per operation and mode")
    print(f"hostile probes: {sent} requests, {len(failed)} server errors ({probe_s:.0f} s)")
    for probe, status in failed[:20]:
        print(f"  {status} {probe.operation}: {probe.what}")
    print(
        f"schemathesis: {run.operations} operations, {run.requests} requests, "
        f"{len(run.server_errors)} server errors on {len(run.failing_operations())} operations "
        f"({fuzz_s:.0f} s)"
    )
    for label, repro in run.server_errors[:20]:
        print(f"  {label}: {repro}")
    print(f"baseline (before the bounds, f071eb4): {BASELINE}")
    return 1 if failed or run.server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
