"""Files and folders Lantern keeps under var/ are its own: 0700 folders, 0600 files.

The store, its WAL, the keys and the mart are built through the project's own functions in a
fresh process started with a permissive umask (022, the usual default), as an operator's shell
would start it; nothing under LANTERN_VAR may then be readable by group or others.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Runs once, in the SQLite pass: it starts its own process on its own SQLite store.
pytestmark = pytest.mark.pure

BUILD = """
import sys
from pathlib import Path
from lantern.boot import setup_django
setup_django()
from lantern.exchange.keys import installation_keys
from lantern.monitoring import mart
from lantern.vault.keys import load_keyring
from tests import factories
load_keyring()
installation_keys()
factories.import_records([factories.record(i) for i in range(1, 6)], Path(sys.argv[1]))
mart.build()
"""
LIST = """
import json, os
from pathlib import Path
var = Path(os.environ["LANTERN_VAR"])
# the connection is still open, so the WAL and its index are on disk beside the database
print(json.dumps({str(p.relative_to(var)): p.stat().st_mode for p in [var, *var.rglob("*")]}))
"""
# Only what every entry point does first: load the settings.
START = """
import django
django.setup()
"""


def _run(script: str, var: Path, scratch: Path) -> dict[str, int]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LANTERN_KEYS"}}
    env["LANTERN_VAR"] = str(var)
    env.pop("LANTERN_KEY_FILE", None)
    env["DJANGO_SETTINGS_MODULE"] = "lantern.settings"
    old = os.umask(0o022)
    try:
        done = subprocess.run(
            [sys.executable, "-c", script + LIST, str(scratch)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr[-2000:]
    modes: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return modes


def _open_to_others(modes: dict[str, int]) -> dict[str, str]:
    return {p: oct(m & 0o777) for p, m in modes.items() if m & 0o077}


def test_a_fresh_store_keys_and_mart_are_private(tmp_path: Path) -> None:
    var = tmp_path / "var"  # not there yet: Lantern makes it
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    modes = _run(BUILD, var, scratch)
    names = set(modes)
    assert {"lantern.sqlite3", "lantern.sqlite3-wal", "keys.json", "installation.json"} <= names
    assert any(n.startswith("mart/") for n in names), names
    assert _open_to_others(modes) == {}
    assert stat.S_IMODE(modes["."]) == 0o700


def test_an_existing_world_readable_var_is_tightened_on_start(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "mart").mkdir(parents=True)
    for name in ("secret_key", "mart/old.parquet"):
        (var / name).write_text("x" * 64)
        (var / name).chmod(0o644)
    for folder in (var, var / "mart"):
        folder.chmod(0o755)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    modes = _run(START, var, scratch)
    assert stat.S_IMODE(modes["secret_key"]) == 0o600
    assert _open_to_others(modes) == {}
