"""The load benchmark's harness at a small size, on the PostgreSQL pass only.

benchmarks/bench_load.py, run as `make bench` runs it but with 1,500 cases (500 through the
import, two copies in SQL), 20 caseworkers and 15 seconds of work, against this pass's PostgreSQL
server: every operation (list, filtered list, open, screen, record a risk assessment and a
consent) is exercised through `lantern serve` and none fails. Timings are the benchmark's
business, never a test's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not SERVER.startswith(("postgres://", "postgresql://")),
    reason="the load harness runs on PostgreSQL (scripts/with-postgres.sh)",
)

OPERATIONS = (
    "list",
    "list filtered",
    "open",
    "screen",
    "record risk-assessments",
    "record consents",
)


def _load_databases() -> list[str]:
    import psycopg

    admin = SERVER.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'lantern_load_%'")
        return [r[0] for r in rows]


def test_caseworkers_at_work_through_the_production_server_see_no_failure(
    tmp_path: Path,
) -> None:
    before = _load_databases()
    out = tmp_path / "load.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LANTERN_VAR")}
    cmd = [sys.executable, "benchmarks/bench_load.py", "--pg-server", SERVER, "--json", str(out)]
    cmd += ["--cases", "1500", "--template", "500", "--users", "20", "--duration", "15"]
    cmd += ["--baseline", "3", "--wait", "0.5,1.5"]
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    figures = json.loads(out.read_text())
    assert figures["cases"] >= 1200 and figures["users"] == 20
    load, baseline = figures["load"], figures["baseline"]
    assert load["failure_kinds"] == [] and baseline["failure_kinds"] == []
    assert load["all"]["failures"] == 0 and baseline["all"]["failures"] == 0
    missing = [op for op in OPERATIONS if load.get(op, {}).get("requests", 0) == 0]
    assert missing == [], f"not exercised under load: {missing}"
    assert load["all"]["requests"] >= 100
    # Everything it started is gone: its database was dropped (the server is the suite's).
    assert _load_databases() == before
