"""The Spark backend runs the same pipeline and gives the same clusters as DuckDB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from lantern.recordlinkage.pipeline import LinkageOptions, link_records
from tests.recordlinkage.febrl import febrl4


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from lantern.recordlinkage.backends import local_spark_session

    session = local_spark_session(cores=2)
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_gives_the_same_clusters_as_duckdb(spark: Any) -> None:
    records, _ = febrl4()
    sample = pd.concat(
        [records[records["agency"] == "A"].head(150), records[records["agency"] == "B"].head(150)]
    )
    duckdb_clusters = link_records(sample).clusters
    spark_clusters = link_records(
        sample, LinkageOptions(backend="spark"), spark_session=spark
    ).clusters
    key = ["agency", "source_record_id"]
    merged = duckdb_clusters.merge(spark_clusters, on=key, suffixes=("_duckdb", "_spark"))
    assert len(merged) == len(sample)
    assert (merged["cluster_id_duckdb"] == merged["cluster_id_spark"]).all()
    assert merged["cluster_id_duckdb"].nunique() < len(sample)  # something was linked
