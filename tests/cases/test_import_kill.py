"""`kill -9` in the middle of `lantern import` (#16, Done when), on SQLite and on PostgreSQL.

The real command runs in a subprocess on a store of its own (``tests.security.cli_stores``: a
SQLite file under a temporary LANTERN_VAR, or in the PostgreSQL pass a database of its own on
the DATABASE_URL server). The test waits until the import has begun writing (SQLite: its write
lock is held; PostgreSQL: its backend holds the lock an INSERT into ``cases_case`` takes),
kills it with SIGKILL while it still runs (exit status -9), then checks that the store is
exactly as it was before (every table's row count, so cases, persons and audit entries; the
audit chain verifies) and that a rerun imports the whole file.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests import factories
from tests.security.cli_stores import CliStore, new_store

ROWS = 2200  # the first chunk of 1,000 is written while 1,200 rows remain: seconds of work
EARLIER = 40  # records already in the store: the kill must leave them as they were


@contextmanager
def _writing_sign(store: CliStore) -> Iterator[Callable[[], bool]]:
    """A check that is true once another connection's import transaction has written."""
    if store.database_url:
        import psycopg

        with psycopg.connect(store.database_url, autocommit=True) as conn:
            query = (
                "SELECT count(*) FROM pg_locks WHERE relation = 'cases_case'::regclass "
                "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
            )
            yield lambda: bool(conn.execute(query).fetchone()[0])  # type: ignore[index]
        return

    def sqlite_writing() -> bool:
        conn = sqlite3.connect(store.sqlite, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # the write lock is held: a write transaction has begun writing
        finally:
            conn.close()
        return False

    yield sqlite_writing


def _wait_until(proc: subprocess.Popen[str], sign: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if sign():
            return
        assert proc.poll() is None, f"the import ended ({proc.returncode}) before writing"
        time.sleep(0.02)
    raise AssertionError("the import did not begin writing in 120 s")


def _state(store: CliStore) -> dict[str, int]:
    report = store.inspect()
    assert report["audit_broken"] is None, report["audit_broken"]
    return report["tables"]  # type: ignore[no-any-return]


def test_a_killed_import_leaves_the_store_as_it_was_and_a_rerun_completes(tmp_path: Path) -> None:
    store = new_store(tmp_path, "kill")
    store.run("user", "add", "nat", "--role", "national_coordinator")
    earlier = factories.write_csv(
        tmp_path / "earlier.csv", [factories.record(i) for i in range(EARLIER)]
    )
    store.run("import", str(earlier), "--user", "nat", "-q")
    big = factories.write_csv(
        tmp_path / "big.csv",
        [factories.record(i, agency_code="ngo-new") for i in range(1000, 1000 + ROWS)],
    )
    before = _state(store)
    assert before["cases_case"] == EARLIER and before["audit_auditentry"] > 0

    proc = store.start("import", str(big), "--user", "nat", "-q")
    try:
        with _writing_sign(store) as writing:
            _wait_until(proc, writing)
            os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the import had finished before the kill"

    assert _state(store) == before  # nothing half-imported: not a case, person, agency or entry

    done = store.run("import", str(big), "--user", "nat", "-q")
    assert f"{ROWS} rows: {ROWS} created, 0 updated, 0 unchanged, 0 rejected" in done.stdout
    after = _state(store)  # the audit chain verifies (as `lantern audit verify` checks it)
    assert after["cases_case"] == after["cases_person"] == EARLIER + ROWS
    assert after["audit_auditentry"] == before["audit_auditentry"] + ROWS + 1  # and the agency
