"""A throwaway PostgreSQL database for the load benchmark.

Given the URL of a PostgreSQL server (the test suite's PostgreSQL pass passes its own), a fresh
database is created on that server and dropped afterwards. Otherwise (never DATABASE_URL
implicitly: it may name a production server) a server is started the way
scripts/with-postgres.sh starts one (initdb + pg_ctl in a temporary folder, durability off:
fsync, synchronous_commit and full_page_writes) and removed afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise SystemExit("error: PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Database:
    url: str
    postmaster: int | None  # the server's pid when we started it (to count its CPU time)


@contextmanager
def _server() -> Iterator[Database]:
    """A PostgreSQL server of our own, with the URL of its maintenance database."""
    bindir = _bindir()
    tmp = Path(tempfile.mkdtemp(prefix="lantern-loadpg-"))
    tmp.chmod(0o755)
    run_as: list[str] = []
    if os.getuid() == 0:  # initdb refuses root: run the server as the postgres system user
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
        shutil.chown(tmp, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = tmp / "data"
    pg_ctl = [*run_as, str(bindir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        [
            *run_as,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "lantern",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=120,
    )
    options = (
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
        "-c shared_buffers=1GB -c maintenance_work_mem=512MB -c max_wal_size=4GB"
    )
    try:
        subprocess.run(
            [*pg_ctl, "-l", str(tmp / "log"), "-w", "-o", options, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        pid = int((data / "postmaster.pid").read_text().split()[0])
        yield Database(f"postgres://lantern@127.0.0.1:{port}/postgres", pid)
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60, check=False
        )
        shutil.rmtree(tmp, ignore_errors=True)


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def _exists(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


@contextmanager
def database(server: str | None = None, keep: str | None = None) -> Iterator[Database]:
    """An empty database (its DATABASE_URL) that is dropped afterwards.

    With ``keep`` (a name, on ``server`` only) the database is made if missing and kept: a
    1M-case database takes a quarter of an hour to fill, and query work wants it for longer.
    """
    if keep and not server:
        raise SystemExit("error: a kept database needs --pg-server")
    with ExitStack() as stack:
        own = None if server else stack.enter_context(_server())
        base = server or own.url  # type: ignore[union-attr]
        admin = _with_db(base, "postgres")
        name = keep or "lantern_load_" + secrets.token_hex(4)
        if not (keep and _exists(admin, name)):
            _admin(admin, f'CREATE DATABASE "{name}"')
        try:
            yield Database(_with_db(base, name), own.postmaster if own else None)
        finally:
            if not keep:
                _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
