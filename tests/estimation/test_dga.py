"""Madigan-York averaging over decomposable graphs (``--method dga``) against R's dga."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.estimation import estimate
from lantern.estimation.dga import decomposable_graphs
from tests.estimation._reference import REF, num, rows, table

runner = CliRunner()
cli._register()

DGA_ROWS = [r for r in rows() if r["package"].startswith("dga") and r["estimate"] != "NA"]
#: R printed one decimal: agreement to the printed digit.
DIGIT = 0.051


def test_every_decomposable_graph_of_three_to_five_lists() -> None:
    # dga ships graphs3/4/5 with 8, 61 and 822 graphs (all 2^3, 61 of 2^6, 822 of 2^10)
    assert [len(decomposable_graphs(p)) for p in (3, 4, 5)] == [8, 61, 822]
    four_cycle = ((0, 1), (0, 3), (1, 2), (2, 3))
    assert all(g.edges != four_cycle for g in decomposable_graphs(4))


@pytest.mark.parametrize(
    "row", DGA_ROWS, ids=[f"{r['dataset']}-{r['settings'].split()[-5]}" for r in DGA_ROWS]
)
def test_agrees_with_r_dga(row: dict[str, str]) -> None:
    t = table(row["dataset"])
    grid = re.search(r"maxpop=(\d+);", row["settings"])
    max_total = float(grid.group(1)) if grid else None
    e95 = estimate(t, "dga", max_total=max_total)
    e80 = estimate(t, "dga", max_total=max_total, level=0.8)
    assert e95.interval is not None and e80.interval is not None
    assert e95.estimate == pytest.approx(float(row["estimate"]), abs=DIGIT)
    for ours, column in (
        (e95.interval.low, "lo95"),
        (e95.interval.high, "hi95"),
        (e80.interval.low, "lo80"),
        (e80.interval.high, "hi80"),
    ):
        theirs = num(row[column])
        if theirs is None:  # R: NA, below the grid's first point; ours: the observed count
            assert ours == t.observed
        else:
            assert ours == pytest.approx(theirs, abs=DIGIT), column
    top = re.search(r"p=([\d.]+)", row["model"])
    assert top is not None
    assert round(e95.settings["top_graph_probability"], 2) == float(top.group(1))
    mode = re.search(r"posterior mode N=(\d+)", row["notes"])
    assert mode is not None
    assert round(e95.settings["posterior_mode"]) == int(mode.group(1))


def test_na_lower_end_is_the_observed_count_and_says_so() -> None:
    est = estimate(table("Korea"), "dga")
    assert est.interval is not None and est.interval.low == 123
    assert any("no one was missed" in w for w in est.warnings)


def test_cli_dga_json_and_bad_options() -> None:
    ok = runner.invoke(cli.app, ["estimate", str(REF / "Kosovo.csv"), "--method", "dga", "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["method"] == "dga" and data["estimate"] == pytest.approx(12572.5, abs=DIGIT)
    assert data["model"]["rcapture"] == "[123,134]"
    wrong = ["estimate", str(REF / "Korea.csv"), "--method", "stepwise", "--max-total", "500"]
    bad = runner.invoke(cli.app, wrong)
    assert bad.exit_code == 2 and "--max-total goes with --method dga" in bad.output
    small = ["estimate", str(REF / "Korea.csv"), "--method", "dga", "--max-total", "100"]
    low = runner.invoke(cli.app, small)
    assert low.exit_code == 2 and "above the observed" in low.output
