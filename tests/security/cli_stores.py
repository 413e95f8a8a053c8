"""Stores driven through the real ``lantern`` command in subprocesses (backup and fault tests).

Each store is its own LANTERN_VAR folder, key file and database: SQLite under the folder, or,
in the PostgreSQL pass (DATABASE_URL set), a database of its own on that server. The test
process never opens these stores; ``python -m tests.security.cli_stores`` run in a store's
environment reports on it (row counts, the audit chain, whether every value decrypts).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
LANTERN = [sys.executable, "-m", "lantern.cli"]
PG_URL = os.environ.get("DATABASE_URL", "")


@dataclass
class CliStore:
    var: Path
    key_file: Path
    database_url: str = ""  # empty: SQLite in var/

    @property
    def sqlite(self) -> Path:
        return self.var / "lantern.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "PYTEST"))}
        env.pop("DATABASE_URL", None)
        env.update(
            LANTERN_VAR=str(self.var),
            LANTERN_KEY_FILE=str(self.key_file),
            DJANGO_SETTINGS_MODULE="lantern.settings",
            PYTHONPATH=str(ROOT / "src") + os.pathsep + str(ROOT),
            # a command builds the mart when asked; the refresh after an import has its own
            # test (tests/monitoring/dashboard/test_autorefresh_command.py)
            LANTERN_MART_REFRESH="off",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def run(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*LANTERN, *args],
            env=self.env(**extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"lantern {' '.join(args)} -> {done.returncode}: {done.stderr}")
        return done

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*LANTERN, *args],
            env=self.env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def inspect(self) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.security.cli_stores"],
            env=self.env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def new_store(base: Path, name: str, migrate: bool = True) -> CliStore:
    """An empty store; on PostgreSQL a new database, migrated unless ``migrate`` is False."""
    var = base / name
    var.mkdir(parents=True)
    store = CliStore(var, var / "keys.json")
    if PG_URL:
        db = f"lantern_{name}_{uuid.uuid4().hex[:8]}"
        _admin(f'CREATE DATABASE "{db}"')
        parts = urlsplit(PG_URL)
        store.database_url = urlunsplit(parts._replace(path="/" + db))
        if migrate:
            done = subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--settings=lantern.settings", "-v0"],
                env=store.env(),
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
    return store


def lose_database(store: CliStore) -> None:
    """The database is gone (the disk died): file and WAL deleted, or the database dropped."""
    if store.database_url:
        db = urlsplit(store.database_url).path.lstrip("/")
        _admin(f'DROP DATABASE "{db}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store.sqlite}{suffix}").unlink(missing_ok=True)


def copy_store(store: CliStore, base: Path, name: str) -> CliStore:
    """A copy of a SQLite store (database, keys and mart) to kill a command in."""
    assert not store.database_url
    var = base / name
    shutil.copytree(store.var, var)
    return CliStore(var, var / store.key_file.name)


def build_records(store: CliStore, children: int, seed: int = 7) -> Path:
    """Synthetic agency records from `lantern simulate`, written outside the store."""
    out = store.var.parent / f"sim-{seed}-{children}"
    if not (out / "records.parquet").exists():
        store.run("simulate", "--out", str(out), "--children", str(children), "--seed", str(seed))
    return out / "records.parquet"


def _report() -> dict[str, Any]:
    """Row counts, the audit chain, undecryptable columns and one case's decrypted name."""
    import django

    django.setup()
    from django.db import connection

    from lantern.audit.services import verify
    from lantern.backup.archive import unreadable
    from lantern.cases.models import Case
    from lantern.linkage.models import LinkRun, PersonLink
    from lantern.vault.keys import load_keyring

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    if "cases_case" not in counts:  # never migrated (a fresh PostgreSQL database)
        return {"tables": counts}
    case = Case.objects.select_related("person").order_by("pk").first()
    ring = load_keyring(create=False)
    broken = verify()
    return {
        "tables": counts,
        "audit_broken": str(broken) if broken else None,
        "unreadable": unreadable(),
        "case": [case.reference, case.person.given_name, case.person.family_name] if case else None,
        "keys": sorted(ring.keys),
        "runs": list(LinkRun.objects.order_by("pk").values_list("pk", "finished_at", "records")),
        "links_of_unfinished_runs": PersonLink.objects.filter(
            run__finished_at__isnull=True
        ).count(),
    }


if __name__ == "__main__":
    print(json.dumps(_report(), default=str))
