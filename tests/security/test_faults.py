"""`kill -9` in the middle of an import, a linkage run, a key rotation and a mart build.

Each test starts the real command in a subprocess on a copy of one synthetic store, waits for
a sign that the command is mid-way (its write transaction open, its run row written, the new
key saved, the mart's first file put in place), kills it with SIGKILL and proves the kill
landed while it ran (exit status -9). It then checks the store as the next reader finds it,
reruns the command to completion and verifies the audit chain with `lantern audit verify`.

SQLite only: the kill signs read SQLite's write lock. (PostgreSQL rolls back a killed
client's transaction on the server; the backup test covers that pass.)
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import signal
import sqlite3
import struct
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.security.cli_stores import PG_URL, CliStore, build_records, copy_store, new_store

pytestmark = pytest.mark.skipif(
    bool(PG_URL), reason="kill signs read SQLite's lock; run on the SQLite pass"
)

CHILDREN = 500  # about 330 agency records: each command works for a second or more here
#: The import writes 330 records in well under 0.1 s since it writes plain rows (#16): its kill
#: test takes a file whose single transaction stays open for a second or more
IMPORT_CHILDREN = 6000


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliStore]:
    """``empty``: a user and an empty mart. ``full``: the same with the records imported."""
    base = tmp_path_factory.mktemp("faults")
    empty = new_store(base, "empty")
    empty.run("user", "add", "nat", "--role", "national_coordinator")
    full = copy_store(empty, base, "full")
    full.run("mart", "build")  # the previous mart: no cases yet
    records = build_records(empty, CHILDREN)
    full.run("import", str(records), "--user", "nat", "-q")
    return {"empty": empty, "full": full, "records": records}  # type: ignore[dict-item]


def _writing(db: Path) -> bool:
    """True while another connection holds SQLite's write lock (a write transaction is open)."""
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        conn.rollback()
        return False
    finally:
        conn.close()


def _wait_for(proc: subprocess.Popen[str], sign: Callable[[], bool], every: float = 0.01) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if sign():
            return
        if proc.poll() is not None:
            pytest.fail(f"the command ended ({proc.returncode}) before the sign: {proc.stderr}")
        time.sleep(every)
    pytest.fail("no sign of progress in 300 s")


def _kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL; exit status -9 proves the command was still running when it arrived."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the command had finished before the kill"


def _consistent(store: CliStore) -> dict:  # type: ignore[type-arg]
    report = store.inspect()
    assert report["audit_broken"] is None
    assert report["unreadable"] == []
    return report


def _rerun_and_verify(store: CliStore, *args: str) -> str:
    done = store.run(*args)
    assert "audit trail intact" in store.run("audit", "verify").stdout
    return done.stdout


def test_killed_import_leaves_nothing_half_imported(
    stores: dict[str, CliStore], tmp_path: Path
) -> None:
    store = copy_store(stores["empty"], tmp_path, "import")
    records = str(build_records(stores["empty"], IMPORT_CHILDREN))
    proc = store.start("import", records, "--user", "nat", "-q")
    _wait_for(proc, lambda: _writing(store.sqlite))  # the import's transaction is open
    time.sleep(0.1)  # rows being written: the transaction holds the lock a second or more here
    assert _writing(store.sqlite), "the import was no longer writing"
    _kill(proc)

    tables = _consistent(store)["tables"]
    # The contract (loader.py): valid rows are written in one transaction per file.
    for table in ("cases_case", "cases_person", "accounts_agency", "cases_traffickingevent"):
        assert tables[table] == 0, table
    out = _rerun_and_verify(store, "import", records, "--user", "nat", "-q")
    rows = pq.read_metadata(records).num_rows
    assert f"{rows} rows: {rows} created, 0 updated, 0 unchanged, 0 rejected" in out


def test_killed_linkage_run_is_never_taken_for_finished(
    stores: dict[str, CliStore], tmp_path: Path
) -> None:
    store = copy_store(stores["full"], tmp_path, "link")

    def run_started() -> bool:
        with sqlite3.connect(store.sqlite, timeout=5) as conn:
            return bool(conn.execute("SELECT COUNT(*) FROM linkage_linkrun").fetchone()[0])

    proc = store.start("link", "--user", "nat")
    _wait_for(proc, run_started)
    time.sleep(1.0)  # reading the store and scoring pairs
    _kill(proc)

    report = _consistent(store)
    assert [run[1] for run in report["runs"]] == [None]  # the run stays unfinished
    assert report["tables"]["linkage_personlink"] == 0
    assert report["tables"]["linkage_matchpair"] == 0

    out = _rerun_and_verify(store, "link", "--user", "nat")
    assert "linkage run 2:" in out
    report = store.inspect()
    killed, rerun = report["runs"]
    assert killed[1] is None and rerun[1] is not None
    assert rerun[2] == report["tables"]["cases_case"]
    assert report["links_of_unfinished_runs"] == 0
    assert report["tables"]["linkage_personlink"] == report["tables"]["cases_person"]


def test_killed_key_rotation_leaves_every_value_readable_with_the_key_file_on_disk(
    stores: dict[str, CliStore], tmp_path: Path
) -> None:
    store = copy_store(stores["full"], tmp_path, "rotate")
    (first_key,) = json.loads(store.key_file.read_text())["keys"]

    def reencrypting() -> bool:
        return len(json.loads(store.key_file.read_text())["keys"]) > 1 and _writing(store.sqlite)

    proc = store.start("keys", "rotate")
    _wait_for(proc, reencrypting, every=0.005)
    _kill(proc)

    report = _consistent(store)  # every value decrypts with the key file as it is on disk
    assert first_key in report["keys"] and len(report["keys"]) == 2
    after_kill = set(report["keys"])

    assert "re-encrypted" in _rerun_and_verify(store, "keys", "rotate")
    report = _consistent(store)
    assert len(report["keys"]) == 1 and report["keys"][0] not in after_kill


# --- the mart: inotify tells the moment the build puts a file in place ------------------------

IN_MOVED_TO = 0x80


def _kill_after_renames(proc: subprocess.Popen[str], folder: Path, count: int) -> list[str]:
    """SIGKILL the moment the ``count``-th file is renamed into ``folder``; the names renamed.

    Fewer names than ``count`` means the build finished first (it was not killed).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_CLOEXEC)
    assert fd >= 0
    names: list[str] = []
    try:
        assert libc.inotify_add_watch(fd, str(folder).encode(), IN_MOVED_TO) >= 0
        while True:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    proc.communicate()
                    return names
                continue
            data = os.read(fd, 4096)
            offset = 0
            while offset < len(data):
                _wd, _mask, _cookie, size = struct.unpack_from("iIII", data, offset)
                names.append(data[offset + 16 : offset + 16 + size].rstrip(b"\0").decode())
                offset += 16 + size
            if len(names) >= count:
                _kill(proc)
                return names
    finally:
        os.close(fd)


def test_killed_mart_build_leaves_the_previous_mart_or_the_new_one_never_a_mix(
    stores: dict[str, CliStore], tmp_path: Path
) -> None:
    """Killed right after its 1st, 2nd, ... rename, until a build runs to its end."""
    store = copy_store(stores["full"], tmp_path, "mart")
    folder = store.var / "mart"
    cases = pq.read_metadata(stores["records"]).num_rows  # every record was imported
    killed_after: list[list[str]] = []
    for count in range(1, 10):
        names = _kill_after_renames(store.start("mart", "build"), folder, count)
        # What a reader takes (lantern.monitoring.mart.info): the manifest and the file it names.
        manifest = json.loads((folder / "manifest.json").read_text())
        named = folder / Path(manifest["path"]).name
        rows = pq.read_table(named).num_rows
        assert rows == manifest["cases"], f"killed after {names}: manifest and data disagree"
        assert rows in (0, cases)  # the previous mart (built before the import) or the new one
        assert pq.read_table(folder / "cases.parquet").num_rows in (0, cases)
        if len(names) < count:  # this build ran to its end
            assert rows == cases
            break
        killed_after.append(names)
    assert killed_after, "no build was killed mid-way"
    assert "audit trail intact" in store.run("audit", "verify").stdout


def test_key_file_is_never_written_through_a_stale_or_planted_temp_file(tmp_path: Path) -> None:
    """A ``keys.tmp`` left readable (an interrupted copy, a restore tool) or a symlink planted
    there must not receive the keys: the write goes to a new 0600 file of its own."""
    from lantern.vault.keys import KeyRing, save_keyring

    stale_dir, planted_dir = tmp_path / "stale", tmp_path / "planted"
    stale_dir.mkdir()
    planted_dir.mkdir()
    (stale_dir / "keys.tmp").write_text("")
    (stale_dir / "keys.tmp").chmod(0o644)
    elsewhere = tmp_path / "elsewhere.json"
    (planted_dir / "keys.tmp").symlink_to(elsewhere)
    ring = KeyRing.generate()
    for folder in (planted_dir, stale_dir):
        save_keyring(ring, folder / "keys.json")
        path = folder / "keys.json"
        assert not path.is_symlink() and path.stat().st_mode & 0o077 == 0
        assert KeyRing.from_json(path.read_text()).keys == ring.keys
        assert {p.name for p in folder.iterdir()} == {"keys.json", "keys.tmp"}  # no temp left
    assert not elsewhere.exists()
