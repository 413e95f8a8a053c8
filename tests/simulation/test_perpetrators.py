"""Perpetrator records: one per trafficker a child's record names, truth kept apart."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lantern.simulation import SimulationConfig, simulate
from lantern.simulation.perpetrators import (
    PERPETRATOR_COLUMNS,
    PERPETRATOR_SCHEMA,
    PERPETRATOR_TRUTH_SCHEMA,
    PerpetratorWriter,
)
from lantern.simulation.population import Children
from lantern.simulation.records import Sighting


def test_every_named_actor_has_one_perpetrator_record_with_its_truth() -> None:
    world = simulate(SimulationConfig(seed=8, children=1500, agencies=5, scenario="south_asia"))
    records = world.records.to_pandas()
    perps = world.perpetrators.to_pandas()
    truth = world.perpetrator_truth.to_pandas()
    named = {
        (agency, source, entry["ref"], entry["role"], entry["network_ref"] or "")
        for agency, source, actors in zip(
            records["agency"], records["source_record_id"], records["per_Actors"], strict=True
        )
        if actors
        for entry in json.loads(actors)
    }
    written = set(
        zip(
            perps["agency"],
            perps["source_record_id"],
            perps["actor_ref"],
            perps["role"],
            perps["network_ref"],
            strict=True,
        )
    )
    assert named == written and len(perps) == len(named)
    assert tuple(perps.columns) == PERPETRATOR_COLUMNS
    assert perps["perpetrator_record_id"].is_unique
    assert list(truth["perpetrator_record_id"]) == list(perps["perpetrator_record_id"])
    # one true perpetrator has one network, and it is a known trafficker
    per_person = truth.groupby("true_perpetrator_id")["true_network_id"].nunique()
    assert (per_person == 1).all()
    traffickers = world.traffickers.to_pandas().set_index("true_perpetrator_id")
    joined = truth.join(traffickers, on="true_perpetrator_id", rsuffix="_true")
    assert (joined["true_network_id"] == joined["true_network_id_true"]).all()
    assert (joined["role"].to_numpy() == perps["role"].to_numpy()).all()
    # the same person is written differently across records: names, blanks, phones
    repeated = truth["true_perpetrator_id"].duplicated(keep=False)
    assert repeated.sum() > 200
    spellings = perps[repeated].groupby(truth["true_perpetrator_id"])["given_name"].nunique()
    assert (spellings > 1).mean() > 0.3
    assert 0.2 < (perps["phone"] != "").mean() < 0.6
    assert (perps["given_name"] == "").mean() > 0.05


def test_write_adds_the_perpetrator_files(written: tuple[SimulationConfig, Path]) -> None:
    out = written[1]
    parquet = pq.read_table(out / "perpetrators.parquet").to_pandas()
    csv = (out / "perpetrators.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0].replace('"', "").split(",") == list(PERPETRATOR_COLUMNS)
    assert len(csv) - 1 == len(parquet) > 0
    truth = pq.read_table(out / "perpetrator_truth.parquet").to_pandas()
    assert set(truth["perpetrator_record_id"]) == set(parquet["perpetrator_record_id"])
    assert "given_name" not in truth.columns  # identity stays in traffickers.parquet
    traffickers = pq.read_table(out / "traffickers.parquet").to_pandas()
    assert set(truth["true_perpetrator_id"]) <= set(traffickers["true_perpetrator_id"])


def test_perpetrators_draw_nothing_from_the_childrens_streams(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the perpetrator writer the children's records are the same, value for value."""
    config = SimulationConfig(seed=9, children=900, agencies=4, scenario="mekong")
    with_perpetrators = simulate(config)

    def nothing(
        self: PerpetratorWriter,
        rows: list[tuple[str, ...]],
        sightings: Sequence[Sighting],
        ch: Children,
        rng: np.random.Generator,
    ) -> tuple[pa.Table, pa.Table]:
        return PERPETRATOR_SCHEMA.empty_table(), PERPETRATOR_TRUTH_SCHEMA.empty_table()

    monkeypatch.setattr(PerpetratorWriter, "render", nothing)
    without = simulate(config)
    assert without.perpetrators.num_rows == 0 < with_perpetrators.perpetrators.num_rows
    assert without.records.equals(with_perpetrators.records)
    assert without.truth.equals(with_perpetrators.truth)
    assert without.people.equals(with_perpetrators.people)
