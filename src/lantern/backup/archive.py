"""The backup file: a tar of ``manifest.json`` and the database's own consistent copy.

SQLite is copied with its online backup API (consistent while the server writes); PostgreSQL
with ``pg_dump`` in custom format, inside a repeatable-read snapshot that the row counts and
key ids of the manifest are read from too, so the manifest describes exactly the dump.
The manifest names the data keys the ciphertexts need (id and a one-way fingerprint) and the
index key's fingerprint, never a key: a restore compares them with the key file first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction

from lantern.filemodes import replace_privately
from lantern.vault import keys

FORMAT = "lantern-backup/1"
MANIFEST = "manifest.json"
MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ATTACHMENTS = "attachments"  # the folder of sealed attachment files in the tar
_SEALED = re.compile(r"[0-9a-f]{32}\.sealed")
_KID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    vendor: str
    created_at: str
    #: id -> one-way fingerprint of each data key some ciphertext in the backup was made with
    keys: dict[str, str]
    #: fingerprint of the index key (blind indexes and the audit chain's key derive from it)
    index_key: str
    #: every table and its row count, read in the same snapshot as the data
    tables: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise BackupError(f"not a {FORMAT} file (format {data.get('format')!r})")
            return cls(**data)
        except (ValueError, TypeError) as exc:
            raise BackupError("the backup's manifest is malformed") from exc


def fingerprint(key: bytes) -> str:
    """A public fingerprint of a 256-bit key (a hash: it reveals nothing of the key)."""
    return hashlib.sha256(b"lantern key fingerprint\x00" + key).hexdigest()[:24]


def encrypted_columns() -> list[tuple[str, str]]:
    """(table, column) of every encrypted field."""
    from lantern.vault.rotation import encrypted_fields

    return [
        (model._meta.db_table, str(f.column))
        for model, names in encrypted_fields()
        for f in model._meta.concrete_fields
        if f.attname in names
    ]


def _key_ids(cursor: Any, columns: Iterable[tuple[str, str]], vendor: str) -> set[str]:
    """The key ids the stored ciphertexts (``v1:<kid>:<body>``) were made with."""
    used: set[str] = set()
    for table, column in columns:
        c = f'"{column}"'
        after = f"substr({c}, instr({c}, ':') + 1)"  # SQLite has no split_part
        kid = (
            f"split_part({c}, ':', 2)"
            if vendor == "postgresql"
            else f"substr({after}, 1, instr({after}, ':') - 1)"
        )
        cursor.execute(f"SELECT DISTINCT {kid} FROM \"{table}\" WHERE {c} LIKE 'v%:%:%'")
        used.update(str(row[0]) for row in cursor.fetchall() if _KID.fullmatch(str(row[0])))
    return used


def _counts(cursor: Any, tables: Iterable[str]) -> dict[str, int]:
    out = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        out[table] = int(cursor.fetchone()[0])
    return out


def _manifest(vendor: str, cursor: Any, tables: Iterable[str]) -> Manifest:
    ring = keys.load_keyring(create=False)
    used = _key_ids(cursor, encrypted_columns(), vendor)
    missing = used - set(ring.keys)
    if missing:
        raise BackupError(
            f"ciphertexts use key(s) {', '.join(sorted(missing))} that the key ring lacks"
        )
    return Manifest(
        vendor=vendor,
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        keys={kid: fingerprint(ring.keys[kid]) for kid in sorted(used)},
        index_key=fingerprint(ring.index_key),
        tables=_counts(cursor, tables),
    )


# --- PostgreSQL tools -----------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: LANTERN_PG_BINDIR, the newest /usr/lib/postgresql, or PATH."""
    candidates = []
    if os.environ.get("LANTERN_PG_BINDIR"):
        candidates.append(Path(os.environ["LANTERN_PG_BINDIR"]) / name)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [v / name for v in versions]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return found


def _pg_env() -> dict[str, str]:
    """libpq variables for the configured database: the password never goes on a command line."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for var, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise BackupError(f"{Path(argv[0]).name} failed: {' / '.join(tail)}")


# --- backup ---------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _snapshot_sqlite(target: Path) -> Manifest:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # the online backup API: a consistent copy while others write
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return _manifest("sqlite", cursor, tables)
    finally:
        copy.close()
        source.close()


def _snapshot_postgresql(target: Path) -> Manifest:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        manifest = _manifest("postgresql", cursor, connection.introspection.table_names(cursor))
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ]
        )
    return manifest


@contextmanager
def _private_dir(near: Path) -> Iterator[Path]:
    """A 0700 working folder beside ``near`` (the copy can be as big as the database)."""
    work = Path(tempfile.mkdtemp(prefix=".lantern-backup-", dir=near))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_atomically(out: Path, manifest: Manifest, database: Path) -> None:
    """The tar appears complete at ``out`` or not at all; 0600 from its first byte."""

    def write(fh: IO[bytes]) -> None:
        with tarfile.open(fileobj=fh, mode="w") as tar:
            body = json.dumps(asdict(manifest), indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            tar.addfile(info, io.BytesIO(body))
            tar.add(database, arcname=MEMBER[manifest.vendor])
            for sealed in _attachment_files():
                tar.add(sealed, arcname=f"{ATTACHMENTS}/{sealed.name}")

    replace_privately(out, write)


def _attachment_files() -> list[Path]:
    """The attachments' sealed files (lantern.protection.notes.files): encrypted with keys
    the database holds sealed by the vault, so the backup carries them as they are."""
    folder = Path(settings.LANTERN_ATTACHMENTS_DIR)
    return sorted(folder.glob("*.sealed")) if folder.is_dir() else []


def _write_file(target: Path, data: bytes) -> None:
    replace_privately(target, lambda fh: fh.write(data))


def restore_attachments(path: Path) -> int:
    """Put the backup's sealed attachment files back in ``LANTERN_ATTACHMENTS_DIR``; how many."""
    folder = Path(settings.LANTERN_ATTACHMENTS_DIR)
    n = 0
    with tarfile.open(path, mode="r:") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix(f"{ATTACHMENTS}/")
            if name == member.name or not _SEALED.fullmatch(name) or not member.isfile():
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_file(folder / name, source.read())
            n += 1
    return n


def make_backup(out: Path, source: str = "cli backup") -> Manifest:
    """Write a backup of the store to ``out`` (the keys are not in it); ``source`` is what the
    trail says it came through."""
    from lantern.audit import services as audit

    vendor = connection.vendor
    if vendor not in MEMBER:
        raise BackupError(f"backups of a {vendor} database are not supported")
    out = out.resolve()
    if out.exists():
        raise BackupError(f"{out} exists: choose a new file")
    if not out.parent.is_dir():
        raise BackupError(f"no folder {out.parent}")
    # Audited before the copy, so that the restored trail shows the backup it came from.
    audit.record(None, "backup", "database", out.name, source=source)
    with _private_dir(out.parent) as work:
        database = work / MEMBER[vendor]
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql
        manifest = snapshot(database)
        _write_atomically(out, manifest, database)
    return manifest


# --- restore --------------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, mode="r:") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise BackupError(f"{path.name} has no manifest")
            return Manifest.from_json(member.read().decode())
    except (tarfile.TarError, KeyError, OSError) as exc:
        raise BackupError(f"{path} is not a Lantern backup ({exc.__class__.__name__})") from exc


def check_keys(manifest: Manifest, ring: keys.KeyRing) -> None:
    """Refuse a key ring that cannot read the backup (before anything is written)."""
    if fingerprint(ring.index_key) != manifest.index_key:
        raise BackupError(
            "the key file does not belong to this backup (its index key differs): restore "
            "with the key file kept for this backup; nothing was restored"
        )
    wrong = [
        kid
        for kid, fp in manifest.keys.items()
        if kid not in ring.keys or fingerprint(ring.keys[kid]) != fp
    ]
    if wrong:
        raise BackupError(
            f"the key file lacks key(s) {', '.join(wrong)} that this backup's records were "
            "encrypted with (a rotation after the backup dropped them?): restore with the key "
            "file kept for this backup; nothing was restored"
        )


def store_is_empty() -> bool:
    """No users, persons, cases or audit entries (a freshly migrated store is empty)."""
    from lantern.accounts.models import User
    from lantern.audit.models import AuditEntry
    from lantern.cases.models import Case, Person

    tables = set(connection.introspection.table_names())
    return not any(
        m._meta.db_table in tables and m._default_manager.exists()
        for m in (User, Person, Case, AuditEntry)
    )


def restore_backup(path: Path, force: bool = False) -> Manifest:
    """Put the backup's database in place of the configured one (keys checked first)."""
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest.vendor != vendor:
        raise BackupError(
            f"this is a {manifest.vendor} backup; the configured database is {vendor}"
        )
    try:
        ring = keys.load_keyring(create=False)
    except keys.KeyError_ as exc:
        raise BackupError(
            f"{exc}: put the key file kept for this backup in place first (LANTERN_KEY_FILE)"
        ) from exc
    check_keys(manifest, ring)
    if not force and not store_is_empty():
        raise BackupError("the database is not empty: give --force to overwrite it")
    near = _sqlite_path().parent if vendor == "sqlite" else Path(tempfile.gettempdir())
    with _private_dir(near) as work, tarfile.open(path, mode="r:") as tar:
        tar.extract(MEMBER[vendor], work, filter="data")
        database = work / MEMBER[vendor]
        connection.close()
        if vendor == "sqlite":
            _restore_sqlite(database)
        else:
            _run(
                [
                    pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={settings.DATABASES['default']['NAME']}",
                    str(database),
                ]
            )
    restore_attachments(path)
    return manifest


def _restore_sqlite(database: Path) -> None:
    target = _sqlite_path()
    source = sqlite3.connect(database)
    dest = sqlite3.connect(target, timeout=20)
    try:
        source.backup(dest)  # page by page into the live file, under SQLite's own locks
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()
        source.close()
    target.chmod(0o600)


def count_mismatches(manifest: Manifest) -> list[str]:
    """Tables whose row count differs from the backup's (empty when nothing was lost)."""
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        missing = sorted(set(manifest.tables) - present)
        counts = _counts(cursor, set(manifest.tables) & present)
    out = [f"{t}: missing" for t in missing]
    out += [
        f"{t}: {n} rows, the backup has {manifest.tables[t]}"
        for t, n in counts.items()
        if n != manifest.tables[t]
    ]
    return out


def unreadable() -> list[str]:
    """Problems reading the restored store with the keys: the audit chain, every ciphertext."""
    from lantern.audit.services import verify
    from lantern.vault.rotation import encrypted_fields

    problems = []
    broken = verify()
    if broken is not None:
        problems.append(f"audit trail broken at {broken}")
    for model, names in encrypted_fields():
        try:
            for _ in model._default_manager.values_list(*names).iterator(chunk_size=2000):
                pass
        except Exception as exc:  # InvalidTag, KeyError_: the message never holds a value
            problems.append(
                f"{model._meta.label}: a value does not decrypt ({exc.__class__.__name__})"
            )
    return problems
