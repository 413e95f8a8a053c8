"""`lantern import` is followed by a refresh of the statistics, in the same command, after the
import has committed and reported: the real command, on a store of its own."""

from __future__ import annotations

import json
from pathlib import Path

from tests import factories
from tests.security.cli_stores import new_store


def test_the_import_command_is_followed_by_a_refresh_of_the_mart(tmp_path: Path) -> None:
    store = new_store(tmp_path, "refresh")
    store.run("user", "add", "nat", "--role", "national_coordinator")
    records = factories.write_csv(tmp_path / "r.csv", [factories.record(i) for i in range(12)])
    done = store.run(
        "import", str(records), "--user", "nat", "-q", LANTERN_MART_REFRESH="background"
    )
    assert "12 rows: 12 created" in done.stdout  # the import's report, as before
    assert "statistics: refreshing the mart before exiting" in done.stderr  # not a silent wait
    manifest = json.loads((store.var / "mart" / "manifest.json").read_text())
    assert manifest["cases"] == 12 and manifest["state"]
    job = json.loads((store.var / "mart" / "refresh.json").read_text())
    assert job["state"] == "done" and job["automatic"] and job["cases"] == 12
    again = store.run("import", str(records), "--user", "nat", "-q")  # refreshes are off here
    assert "12 unchanged" in again.stdout
