"""A copy of the database alone reveals no child's name, date of birth or identity number.

The SQLite pass scans the raw bytes of the database file; the PostgreSQL pass (the suite run
under scripts/with-postgres.sh) scans a `pg_dump` of the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from lantern.accounts.models import Role
from lantern.cases.importing import import_file
from lantern.cases.models import Person
from tests import factories
from tests.security.dumps import leaks, population, secrets_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def loaded(tmp_path: Path, fast_passwords: None) -> set[str]:
    """Load a synthetic population through the real import path; return its secrets."""
    path, rows = population(tmp_path)
    loader = factories.user("loader", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    report = import_file(path, loader)
    assert report.created > 100 and not report.errors, report.errors[:3]
    secrets = secrets_of(rows)
    # The scan can only prove absence if the values really are in the store, decrypted.
    stored = {p.given_name for p in Person.objects.all()} | {
        str(p.birthdate) for p in Person.objects.all()
    }
    assert len(secrets & stored) > 100
    return secrets


def _check_scanner_finds(blob: bytes, sample: str) -> None:
    """The scanner itself must catch a name written in clear (otherwise absence proves nothing)."""
    assert leaks(blob + b"\x00" + sample.encode() + b"\x00", {sample}) == [sample]


def test_the_raw_sqlite_file_holds_no_identity(loaded: set[str], tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip(reason="this pass runs on PostgreSQL: the pg_dump test scans it")
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cur:
        cur.execute("VACUUM INTO %s", [str(copy)])  # the file exactly as a copy would be
    blob = copy.read_bytes()
    assert b"SQLite format 3" in blob[:16] and b"v2:k" in blob
    _check_scanner_finds(blob, sorted(loaded)[0])
    assert leaks(blob, loaded) == []


def test_a_pg_dump_holds_no_identity(loaded: set[str]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(reason="not on PostgreSQL: run the suite under scripts/with-postgres.sh")
    bindir = os.environ.get("LANTERN_PG_BINDIR")
    assert bindir, "scripts/with-postgres.sh exports LANTERN_PG_BINDIR"
    s = connection.settings_dict
    dump = subprocess.run(
        [
            f"{bindir}/pg_dump",
            "-h",
            s["HOST"],
            "-p",
            str(s["PORT"]),
            "-U",
            s["USER"],
            "--no-owner",
            s["NAME"],
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": s["PASSWORD"] or ""},
    ).stdout
    assert b"COPY public.cases_person" in dump and b"v2:k" in dump
    _check_scanner_finds(dump, sorted(loaded)[0])
    assert leaks(dump, loaded) == []


def _lantern(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANTERN_VAR": str(var), "DJANGO_SETTINGS_MODULE": "lantern.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("LANTERN_KEYS", None)
    env.pop("LANTERN_KEY_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_the_live_sqlite_files_on_disk_hold_no_identity(tmp_path: Path, settings: Any) -> None:
    """End to end with the commands an operator types: the database file and its WAL."""
    if connection.vendor != "sqlite":
        pytest.skip(reason="this pass runs on PostgreSQL: the pg_dump test scans it")
    var = tmp_path / "var"
    path, rows = population(tmp_path, children=120)
    steps = [
        ("django", "migrate", "-v", "0"),
        ("lantern.cli", "user", "add", "loader", "--role", "national_coordinator"),
        ("lantern.cli", "import", str(path), "--user", "loader", "-q"),
    ]
    for step in steps:
        done = _lantern(var, *step)
        assert done.returncode == 0, (step, done.stderr[-2000:])
    files = [p for p in var.iterdir() if p.name.startswith("lantern.sqlite3")]
    blob = b"".join(p.read_bytes() for p in files)
    assert b"v2:k" in blob
    secrets = secrets_of(rows)
    assert leaks(blob, secrets) == []
    # The key is outside the database: the file alone cannot be decrypted.
    ring = json.loads((var / "keys.json").read_text())
    for material in [*ring["keys"].values(), ring["index_key"]]:
        assert material.encode() not in blob
    assert (var / "keys.json").stat().st_mode & 0o077 == 0
