"""Where splink runs: an embedded DuckDB by default, Spark when one machine is outgrown."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any, Literal

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[Backend, ...] = ("duckdb", "spark")


def database_api(backend: Backend, spark_session: Any = None) -> Any:
    """A splink database API for ``backend`` (a local Spark session is made if none given)."""
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect(":memory:")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        session = spark_session or local_spark_session()
        if session.sparkContext.getCheckpointDir() is None:
            # splink may break long query lineages with checkpoints
            session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="lantern-spark-"))
        # persisting in memory breaks lineage without writing each step to disk; partitions
        # follow the session's shuffle setting (a local session uses one per core)
        partitions = int(session.conf.get("spark.sql.shuffle.partitions", "200"))
        return SparkAPI(
            spark_session=session,
            break_lineage_method="persist",
            num_partitions_on_repartition=partitions,
        )
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def local_spark_session(cores: int = 2) -> Any:
    """A local Spark session with splink's similarity functions (jaro_winkler) on its path."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # Spark's Python workers must run this interpreter, not whatever `python3` is on PATH
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("lantern-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
