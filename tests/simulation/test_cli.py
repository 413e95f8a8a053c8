"""`lantern simulate` writes the outputs, and bad options exit 2 naming the option."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.simulation import FILES

cli._register()
runner = CliRunner()


def test_simulate_writes_every_output(tmp_path: Path) -> None:
    out = tmp_path / "world"
    result = runner.invoke(
        cli.app,
        [
            "simulate",
            "--seed",
            "9",
            "--children",
            "800",
            "--agencies",
            "3",
            "--scenario",
            "south_east_europe",
            "--capture",
            "independent",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["config"]["capture"] == "independent"
    assert f"{summary['records']} records" in result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--agencies", "11"], "--agencies"),
        (["--agencies", "2"], "--agencies"),
        (["--children", "0"], "--children"),
        (["--scenario", "atlantis"], "--scenario"),
        (["--capture", "sometimes"], "--capture"),
        (["--start", "2024-02-30"], "--start"),
        (["--start", "2025-06-01", "--end", "2025-01-01"], "--end"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(
    tmp_path: Path, args: list[str], named: str
) -> None:
    result = runner.invoke(cli.app, ["simulate", "--out", str(tmp_path / "x"), *args])
    assert result.exit_code == 2
    assert named in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_out_must_not_be_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("not a directory", encoding="utf-8")
    result = runner.invoke(cli.app, ["simulate", "--children", "10", "--out", str(target)])
    assert result.exit_code == 2
    assert "--out" in result.output
