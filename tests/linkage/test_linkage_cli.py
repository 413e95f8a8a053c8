"""``lantern link``: files written with the contract's columns; bad input exits 2 with a reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantern import cli
from tests.recordlinkage.linkage_synthetic import generate

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> object:
    cli._register("link")
    return cli.app


def test_link_writes_clusters_pairs_and_capture_histories(app: object, tmp_path: Path) -> None:
    records, _ = generate(400, seed=3, noise=0.5)
    source = tmp_path / "records.parquet"
    records.to_parquet(source)
    out = tmp_path / "out"
    decisions = tmp_path / "decisions.csv"
    first, second = (records["agency"] + "|" + records["source_record_id"]).iloc[:2]
    pd.DataFrame(
        [
            {
                "agency_l": first.split("|")[0],
                "source_record_id_l": first.split("|")[1],
                "agency_r": second.split("|")[0],
                "source_record_id_r": second.split("|")[1],
                "decision": "same",
            }
        ]
    ).to_csv(decisions, index=False)

    result = runner.invoke(
        app,
        ["link", "--input", str(source), "--out", str(out), "--decisions", str(decisions)],
    )
    assert result.exit_code == 0, result.output

    clusters = pd.read_parquet(out / "clusters.parquet")
    assert list(clusters.columns) == ["agency", "source_record_id", "cluster_id"]
    assert len(clusters) == len(records)
    by_id = clusters.set_index(clusters["agency"] + "|" + clusters["source_record_id"])
    assert by_id.loc[first, "cluster_id"] == by_id.loc[second, "cluster_id"]

    pairs = pd.read_parquet(out / "pairs.parquet")
    assert {"agency_l", "source_record_id_l", "agency_r", "source_record_id_r"} <= set(pairs)
    assert pairs["match_probability"].between(0, 1).all()

    histories = pd.read_csv(out / "capture_histories.csv")
    agencies = sorted(records["agency"].unique())
    assert list(histories.columns) == [*agencies, "count"]
    assert histories["count"].sum() == clusters["cluster_id"].nunique()
    assert not histories.duplicated(subset=agencies).any()
    assert (histories[agencies].sum(axis=1) > 0).all()  # never the all-zero history


def test_link_without_input_explains_and_exits_2(app: object) -> None:
    result = runner.invoke(app, ["link"])
    assert result.exit_code == 2
    assert "--input" in result.output


def test_link_names_the_missing_column(app: object, tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    pd.DataFrame({"agency": ["police"], "source_record_id": ["1"]}).to_csv(source, index=False)
    result = runner.invoke(app, ["link", "--input", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "cas_RegistrationDate" in result.output


def test_link_refuses_a_bad_decision(app: object, tmp_path: Path) -> None:
    records, _ = generate(20, seed=3)
    source = tmp_path / "records.csv"
    records.to_csv(source, index=False)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "agency_l,source_record_id_l,agency_r,source_record_id_r,decision\na,1,b,2,maybe\n"
    )
    result = runner.invoke(
        app,
        [
            "link",
            "--input",
            str(source),
            "--out",
            str(tmp_path / "o"),
            "--decisions",
            str(decisions),
        ],
    )
    assert result.exit_code == 2
    assert "row 1" in result.output and "maybe" in result.output


def test_link_refuses_an_unknown_backend(app: object, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["link", "--input", "x.parquet", "--out", str(tmp_path), "--backend", "oracle"]
    )
    assert result.exit_code == 2
    assert "oracle" in result.output


def test_link_refuses_a_cohesion_outside_0_1(app: object, tmp_path: Path) -> None:
    records, _ = generate(20, seed=3)
    source = tmp_path / "records.csv"
    records.to_csv(source, index=False)
    result = runner.invoke(
        app,
        ["link", "--input", str(source), "--out", str(tmp_path / "o"), "--cohesion", "1.5"],
    )
    assert result.exit_code == 2
    assert "cohesion" in result.output
