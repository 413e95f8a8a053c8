"""Where splink runs: an embedded DuckDB by default, Spark when one machine is outgrown."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Literal

import duckdb

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[Backend, ...] = ("duckdb", "spark")


#: DuckDB's memory cap: above it DuckDB spills to disk rather than growing (2 GiB target).
DUCKDB_MEMORY_LIMIT = "1GB"
#: DuckDB threads (the reference machine has two cores, shared).
DUCKDB_THREADS = 2


def connect(
    memory_limit: str = DUCKDB_MEMORY_LIMIT, threads: int = DUCKDB_THREADS
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB sized for a shared machine: bounded memory that spills to a temp
    folder, and no insertion order to keep (callers restore order by row number)."""
    connection = duckdb.connect(":memory:")
    spill = Path(tempfile.gettempdir()) / "lantern-duckdb"
    connection.execute(f"SET threads = {int(threads)}")
    connection.execute(f"SET memory_limit = '{memory_limit}'")
    connection.execute(f"SET temp_directory = '{spill}'")
    connection.execute("SET preserve_insertion_order = false")
    return connection


def database_api(
    backend: Backend,
    spark_session: Any = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Any:
    """A splink database API for ``backend`` (a local Spark session is made if none given;
    DuckDB runs in ``connection``, or a new one from :func:`connect`)."""
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI(connection or connect())
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
