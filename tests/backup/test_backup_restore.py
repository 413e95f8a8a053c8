"""The database is lost and restored from a backup plus the key file kept apart from it.

Everything goes through the real `lantern` command in subprocesses, on SQLite and, in the
PostgreSQL pass, on a database of its own on that server (pg_dump / pg_restore).
"""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest

from lantern.vault.keys import KeyRing
from tests.security.cli_stores import CliStore, build_records, lose_database, new_store

CHILDREN = 300  # about 200 agency records


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> CliStore:
    """One store for the module: the wrong-keys test reads it, the last test loses it."""
    store = new_store(tmp_path_factory.mktemp("backup"), "origin")
    records = build_records(store, CHILDREN)
    store.run("user", "add", "nat", "--role", "national_coordinator")
    store.run("import", str(records), "--user", "nat", "-q")
    return store


def test_restore_with_the_wrong_keys_fails_clearly_and_writes_nothing(
    populated: CliStore, tmp_path: Path
) -> None:
    backup = tmp_path / "lantern.backup"
    populated.run("backup", "--out", str(backup))
    fresh = new_store(tmp_path, "elsewhere", migrate=False)

    done = fresh.run("restore", str(backup), check=False)  # no key file at all
    assert done.returncode == 2 and "no key file" in done.stderr

    fresh.key_file.write_text(KeyRing.generate().to_json())
    done = fresh.run("restore", str(backup), check=False)
    assert done.returncode == 2
    assert "the key file does not belong to this backup" in done.stderr
    assert "nothing was restored" in done.stderr
    assert "Traceback" not in done.stderr

    # The right index key but a data key of the backup missing (rotated away): refused too.
    right = KeyRing.from_json(populated.key_file.read_text())
    stray = KeyRing.generate()
    fresh.key_file.write_text(
        KeyRing(active=stray.active, keys=stray.keys, index_key=right.index_key).to_json()
    )
    done = fresh.run("restore", str(backup), check=False)
    assert done.returncode == 2 and "lacks key(s)" in done.stderr
    assert fresh.inspect()["tables"].get("cases_case", 0) == 0


def test_lost_database_comes_back_whole_from_backup_and_kept_keys(
    populated: CliStore, tmp_path: Path
) -> None:
    backup = tmp_path / "offsite" / "lantern.backup"
    backup.parent.mkdir()
    done = populated.run("backup", "--out", str(backup))
    assert "needs key(s)" in done.stdout
    assert backup.stat().st_mode & 0o077 == 0  # the file is the operator's only
    before = populated.inspect()
    assert before["case"] and before["tables"]["cases_case"] > 100

    # The backup alone names its keys' fingerprints, never a key, and holds no name in clear.
    with tarfile.open(backup) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert "keys.json" not in names and len(names) == 2
    ring = json.loads(populated.key_file.read_text())
    assert set(manifest["keys"]) <= set(ring["keys"])
    raw = backup.read_bytes()
    for secret in [*ring["keys"].values(), ring["index_key"], *before["case"][1:]]:
        if secret:
            assert secret.encode() not in raw

    # The key file is kept elsewhere; the database is lost; a new machine gets both back.
    kept_keys = tmp_path / "vault" / "keys.json"
    kept_keys.parent.mkdir()
    shutil.copy(populated.key_file, kept_keys)
    lose_database(populated)
    fresh = new_store(tmp_path, "restored", migrate=False)
    fresh.key_file = kept_keys
    done = fresh.run("restore", str(backup))
    assert "every value decrypts" in done.stdout

    after = fresh.inspect()
    restored = dict(after["tables"])
    assert restored.pop("audit_auditentry") == before["tables"]["audit_auditentry"] + 1  # restore
    expected = dict(before["tables"])
    expected.pop("audit_auditentry")
    assert restored == expected
    assert after["case"] == before["case"]  # the same child, its name decrypted
    assert after["audit_broken"] is None and after["unreadable"] == []
    assert "audit trail intact" in fresh.run("audit", "verify").stdout

    # A second restore over the now non-empty store is refused without --force.
    done = fresh.run("restore", str(backup), check=False)
    assert done.returncode == 2 and "not empty" in done.stderr and "--force" in done.stderr
    done = fresh.run("restore", "--force", str(backup))
    assert fresh.inspect()["case"] == before["case"]
