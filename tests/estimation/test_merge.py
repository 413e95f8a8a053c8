"""More than five lists: the smallest merged until five remain, then dga (the recommended
method), with the merge stated in the result."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.estimation import CaptureTable, estimate
from lantern.estimation.api import recommended_method
from lantern.estimation.merge import merge_lists, merge_plan
from tests.estimation._reference import REF, table

runner = CliRunner()
cli._register()


def _table(k: int, seed: int = 3) -> CaptureTable:
    rng = np.random.default_rng(seed)
    p = np.linspace(0.08, 0.35, k)  # list 0 is the smallest, list k-1 the largest
    caught = rng.random((4000, k)) < p
    masks = caught @ (1 << np.arange(k))
    counts = np.bincount(masks, minlength=2**k)[1:]
    return CaptureTable(tuple(f"agency{i}" for i in range(k)), counts.astype(np.int64))


def test_merging_counts_a_child_on_either_list_once_and_keeps_everyone() -> None:
    t = CaptureTable(("a", "b", "c"), np.array([1, 2, 3, 4, 5, 6, 7], dtype=np.int64))
    merged = merge_lists(t, [[0, 1], [2]])
    # cells of (a, b, c): a=1 b=2 ab=3 c=4 ac=5 bc=6 abc=7; merged (a+b, c)
    assert merged.lists == ("a + b", "c")
    assert merged.counts.tolist() == [1 + 2 + 3, 4, 5 + 6 + 7]
    assert merged.observed == t.observed
    with pytest.raises(ValueError, match="partition"):
        merge_lists(t, [[0, 1], [1, 2]])


def test_the_smallest_lists_are_merged_first_until_five_remain() -> None:
    six, seven = _table(6), _table(7)
    assert merge_plan(six) == [[0, 1], [2], [3], [4], [5]]
    plan = merge_plan(seven)
    assert len(plan) == 5 and sorted(i for g in plan for i in g) == list(range(7))
    assert [5] in plan and [6] in plan  # the two largest lists stay on their own
    assert merge_plan(_table(5)) == [[i] for i in range(5)]
    with pytest.raises(ValueError, match="unknown merge rule"):
        merge_plan(six, "largest")


@pytest.mark.parametrize("k", [6, 7])
def test_the_recommended_method_beyond_five_lists_states_the_merge_and_is_fast(k: int) -> None:
    t = _table(k)
    started = time.perf_counter()
    e = estimate(t, recommended_method(k))
    assert time.perf_counter() - started < 5  # lcmcr took ~31 s on the demo's six lists
    assert e.method == "dga" and len(e.lists) == 5
    assert e.settings["lists_given"] == list(t.lists) and e.settings["merge_rule"] == "smallest"
    merged = e.settings["merged_lists"]
    assert merged and merged[0][:2] == ["agency0", "agency1"]
    assert e.warnings[0].startswith("dga handles at most 5 lists: the smallest lists were merged")
    assert " + ".join(merged[0]) in e.warnings[0]
    assert e.interval is not None and e.interval.low <= 4000 <= e.interval.high  # the truth


def test_cli_dga_on_six_lists_merges_and_says_which() -> None:
    ok = runner.invoke(cli.app, ["estimate", str(REF / "UKdat.csv"), "--method", "dga", "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["settings"]["merged_lists"] == [["LA", "NCA"]]
    assert data["lists"] == ["LA + NCA", "NG", "PF", "GO", "GP"]
    assert any("(LA + NCA)" in w for w in data["warnings"])
    # the UK's 2013 table: the Home Office's published range was 10,000 to 13,000
    assert 10_000 <= data["estimate"] <= 14_000


def test_five_lists_are_never_merged() -> None:
    e = estimate(table("Kosovo"), recommended_method(4))
    assert "merged_lists" not in e.settings
