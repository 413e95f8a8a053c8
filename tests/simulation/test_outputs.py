"""capture_histories.csv and summary.json agree with the truth they are derived from."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
from tests.paths import REFERENCE

from lantern.simulation import SimulationConfig

KOSOVO = REFERENCE / "mse" / "Kosovo.csv"


def _histories(path: Path) -> tuple[list[str], dict[tuple[int, ...], int]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    return header, {tuple(int(x) for x in r[:-1]): int(r[-1]) for r in body}


def test_capture_histories_are_the_truths_overlaps(written: tuple[SimulationConfig, Path]) -> None:
    out = written[1]
    header, histories = _histories(out / "capture_histories.csv")
    truth = pq.read_table(out / "truth.parquet").to_pandas()
    agencies = header[:-1]
    assert header[-1] == "count" and len(agencies) == written[0].agencies
    expected: dict[tuple[int, ...], int] = {}
    for _, group in truth.groupby("true_person_id"):
        key = tuple(int(a in set(group["agency"])) for a in agencies)
        expected[key] = expected.get(key, 0) + 1
    assert histories == expected
    assert tuple([0] * len(agencies)) not in histories  # the dark figure is never a row


def test_capture_histories_have_the_mse_reference_layout(
    written: tuple[SimulationConfig, Path],
) -> None:
    ours, _ = _histories(written[1] / "capture_histories.csv")
    reference, _ = _histories(KOSOVO)
    assert ours[-1] == reference[-1] == "count"
    text = (written[1] / "capture_histories.csv").read_text(encoding="utf-8")
    assert all(set(line.split(",")[:-1]) <= {"0", "1"} for line in text.splitlines()[1:])


def test_summary_states_truth_and_provenance(written: tuple[SimulationConfig, Path]) -> None:
    config, out = written
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    people = pq.read_table(out / "people.parquet").to_pandas()
    _, histories = _histories(out / "capture_histories.csv")
    assert summary["seed"] == config.seed and summary["scenario"] == config.scenario
    assert summary["true_children"] == config.children == len(people)
    assert summary["observed_children"] == sum(histories.values()) == people["observed"].sum()
    assert summary["config"] == config.as_dict()
    records = pq.read_table(out / "records.parquet", columns=["agency"]).to_pandas()
    per_agency = records["agency"].value_counts().to_dict()
    assert {a["agency"]: a["records"] for a in summary["agencies"]} == per_agency
    assert set(summary["strata"]) >= {"sex", "age_group", "exploitation_form", "origin_region"}
    assert {"method", "scope", "uncertainty"} <= set(summary["provenance"])
