"""`lantern screen FILE.json`: JSON out, or exit code 2 with a message naming the bad field."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from lantern import cli

EXPECTED_KEYS = {
    "is_child",
    "age_basis",
    "trafficking",
    "elements",
    "dimensions",
    "ilo_child_victim",
    "ilo_child_victim_strict",
    "ilo_adult_victim",
    "smuggling",
    "flags",
    "provisional",
    "reasons",
    "recommendation",
    "ruleset_version",
}
VALID = {
    "age": {"years": 14, "basis": "documented", "reasons_to_believe_child": False},
    "acts": ["transfer"],
    "means": [],
    "purposes": ["forced_labour"],
    "profile": "child_labour",
    "indicators": {"D4.excessive_hours": "yes", "D4.no_education": "yes"},
    "knowingly_bought_entry": False,
}


Invoke = Callable[..., Result]


def command_prefix() -> list[str]:
    """With one sub-command registered Typer runs it as the whole app, without its name."""
    return ["screen"] if isinstance(typer.main.get_command(cli.app), typer.core.TyperGroup) else []


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Invoke:
    monkeypatch.setattr(sys, "argv", ["lantern"])  # register every available sub-command
    cli._register()
    prefix = command_prefix()

    def _invoke(content: str, stdin: str | None = None) -> Result:
        target = "-"
        if stdin is None:
            path = tmp_path / "facts.json"
            path.write_text(content, encoding="utf-8")
            target = str(path)
        return CliRunner().invoke(cli.app, [*prefix, target], input=stdin)

    return _invoke


def test_valid_file_prints_json_with_every_key(invoke: Invoke) -> None:
    result = invoke(json.dumps(VALID))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= EXPECTED_KEYS
    assert set(data["elements"]) == {"act", "means", "purpose"}
    assert set(data["dimensions"]) == {"D1", "D2", "D3", "D4", "D5", "D6"}
    assert data["trafficking"] == "yes" and data["elements"]["means"] == "not_required"
    assert all({"code", "text"} <= set(r) for r in data["reasons"])


def test_reads_stdin_with_dash(invoke: Invoke) -> None:
    result = invoke("", stdin=json.dumps({"age": {"years": 30}, "acts": []}))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["trafficking"] == "no"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('{"age": {"years": 14,}', "JSON"),
        ("[1, 2]", "(top level)"),
        (json.dumps({**VALID, "age": {"years": "fourteen"}}), "age.years"),
        (json.dumps({**VALID, "age": {"years": 14, "basis": "guessed"}}), "age.basis"),
        (json.dumps({**VALID, "acts": "transfer"}), "acts"),
        (json.dumps({**VALID, "acts": ["kidnapping"]}), "acts"),
        (json.dumps({**VALID, "purposes": ["tourism"]}), "purposes"),
        (json.dumps({**VALID, "means": ["bribery"]}), "means"),
        (json.dumps({**VALID, "indicators": {"D4.bogus": "yes"}}), "indicators.D4.bogus"),
        (json.dumps({**VALID, "indicators": {"D4.bad_living": True}}), "indicators.D4.bad_living"),
        (json.dumps({**VALID, "profile": "child"}), "profile"),
        (json.dumps({**VALID, "knowingly_bought_entry": "no"}), "knowingly_bought_entry"),
        (json.dumps({**VALID, "purpose": ["forced_labour"]}), "purpose"),
    ],
)
def test_bad_input_exits_2_naming_the_field(invoke: Invoke, content: str, named: str) -> None:
    result = invoke(content)
    assert result.exit_code == 2
    assert named in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prefix = (
        ["screen"] if isinstance(typer.main.get_command(cli.app), typer.core.TyperGroup) else []
    )
    result = CliRunner().invoke(cli.app, [*prefix, str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
