"""Strata combination, CSV validation and the ``lantern estimate`` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.estimation import (
    CaptureTableError,
    combine,
    estimate,
    estimate_strata,
    read_capture_csv,
)
from tests.estimation._reference import REF, table

runner = CliRunner()
cli._register()


def test_strata_add_up_and_interval_widens() -> None:
    k = table("Kosovo")
    halves = {"a": k.with_counts(k.counts // 2), "b": k.with_counts(k.counts - k.counts // 2)}
    both = estimate_strata(halves, method="main")
    parts = [estimate(t, "main") for t in halves.values()]
    assert both.estimate == pytest.approx(sum(p.estimate for p in parts))
    assert both.observed == k.observed
    assert both.interval is not None
    assert both.interval.low < both.estimate < both.interval.high
    widths = [p.interval.high - p.interval.low for p in parts if p.interval]
    assert both.interval.high - both.interval.low == pytest.approx(
        float(np.sqrt(sum(w**2 for w in widths))), rel=1e-9
    )


def test_strata_with_bootstraps_sum_replicates() -> None:
    k = table("Korea")
    ests = {str(s): estimate(k, "main", bootstrap=50, seed=s) for s in (1, 2)}
    both = combine(ests)
    assert both.interval is not None and both.interval.method.startswith("percentile")
    assert both.interval.low < both.estimate < both.interval.high


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.csv"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A,B,C\n1,0,0\n", "no 'count' column"),
        ("A,count\n1,5\n", "at least 2 list"),
        ("A,B,count\n1,2,5\n", "row 2, column 'B'"),
        ("A,B,count\n1,0,-5\n", "row 2, column 'count': negative"),
        ("A,B,count\n1,0,5\n0,0,3\n", "row 3: all-zero history"),
        ("A,B,count\n1,0,x\n", "not an integer"),
    ],
)
def test_bad_csv_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CaptureTableError, match=message):
        read_capture_csv(_csv(tmp_path, text))
    result = runner.invoke(cli.app, ["estimate", str(_csv(tmp_path, text))])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_json_has_the_provenance_fields() -> None:
    result = runner.invoke(cli.app, ["estimate", str(REF / "UKdat_5.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"observed", "dark_figure", "estimate", "interval", "model", "lists", "warnings"} <= set(
        data
    )
    assert data["observed"] == 2744
    assert data["estimate"] == pytest.approx(data["observed"] + data["dark_figure"])
    assert set(data["interval"]) == {"level", "low", "high", "method"}
    assert data["lists"] == ["LA", "NG", "PFNCA", "GO", "GP"]


def test_cli_bootstrap_and_level() -> None:
    args = ["estimate", str(REF / "Korea.csv"), "--method", "bic", "--bootstrap", "100"]
    result = runner.invoke(cli.app, [*args, "--seed", "3", "--level", "0.8", "--json"])
    assert result.exit_code == 0, result.output
    ci = json.loads(result.output)["interval"]
    assert ci["level"] == 0.8 and ci["method"].startswith("BCa")


def test_cli_refuses_a_model_without_mle() -> None:
    path = str(REF / "Artificial_3.csv")
    result = runner.invoke(cli.app, ["estimate", path, "--method", "fixed", "--model", "A:B"])
    assert result.exit_code == 3
    assert "does not exist" in result.output
    assert "e+" not in result.output


def test_cli_table_output_and_bad_method() -> None:
    ok = runner.invoke(cli.app, ["estimate", str(REF / "Kosovo.csv"), "--method", "main"])
    assert ok.exit_code == 0 and "7,394.6" in ok.output
    bad = runner.invoke(cli.app, ["estimate", str(REF / "Kosovo.csv"), "--method", "magic"])
    assert bad.exit_code == 2 and "unknown method" in bad.output


def test_cli_refuses_a_model_with_a_method_that_chooses_its_own() -> None:
    from typer.testing import CliRunner

    from lantern import cli
    from tests.paths import REFERENCE

    cli._register()
    res = CliRunner().invoke(
        cli.app,
        ["estimate", str(REFERENCE / "mse" / "Korea.csv"), "--method", "main", "--model", "[12,3]"],
    )
    assert res.exit_code == 2 and "--method fixed" in res.output
