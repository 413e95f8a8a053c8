"""Batch linkage: agency records in, clusters (one per child) and their pair evidence out.

The result holds only person keys (``agency``, ``source_record_id``, ``cluster_id``) and match
evidence (probability and the agreement level of each comparison), never names: that is all
that may leave the place where identifying data is read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from splink.internals.linker import Linker

from lantern.recordlinkage import bands
from lantern.recordlinkage.backends import Backend, connect, database_api
from lantern.recordlinkage.blocking import BLOCKING_KEYS, DEFAULT_BLOCK_CAP
from lantern.recordlinkage.clusters import (
    Decision,
    capture_histories,
    cluster_labels,
    first_id_of_clusters,
)
from lantern.recordlinkage.features import PREPARED_COLUMNS, prepare_in
from lantern.recordlinkage.model import (
    em_rule_pairs,
    log2_odds,
    match_prior,
    register_term_frequencies,
    settings,
    train,
)
from lantern.recordlinkage.quality import LinkageQuality, linkage_quality

#: Pairs at or above this probability are the same child, unless a person decided otherwise.
DEFAULT_THRESHOLD = bands.STRONG
#: Pairs between this and the threshold are uncertain: they go to the review queue.
DEFAULT_REVIEW_FLOOR = bands.POSSIBLE

#: Two groups of records join only if their cross pairs' mean probability reaches this: more
#: likely one child than two. (0.3 before the circumstance comparisons; at 0.5, on five
#: simulated worlds, records placed with another child's fell by a third to a half, F1 held.)
DEFAULT_COHESION = 0.5

#: Lambda the model starts from; :func:`lantern.recordlinkage.model.match_prior` then fits it.
START_PRIOR = 1e-4

#: The most records of one child a record may plausibly match (its other agencies' records and
#: its own agency's repeats, with room to spare). It bounds lambda from above.
MAX_MATCHES_PER_RECORD = 50

#: Columns of the prepared frame that splink reads (the rest stay out of the database).
#: Blocking keys that hold a list of values per record.
EXPLODED_KEYS = frozenset(key.name for key in BLOCKING_KEYS if key.explode)

#: Prepared columns the model does not compare: kept for tracing consent, the blocking keys
#: built from them, and how a birth year was known.
NOT_COMPARED = frozenset(
    {"birth_estimated", "tracing_consent", "name_toks", "rare_tok", "given_head"}
)
#: Prepared columns of whole numbers (days, years, counts) and of lists of codes.
INTEGER_COLUMNS = frozenset(
    {
        "birth_year_int",
        "registered",
        "joined_skel_n",
        "recruited",
        "exploited",
        "age_trafficked",
        "forms",  # code lists as sets of bits
        "control",
        "vulnerabilities",
    }
)
LIST_COLUMNS = frozenset({"citizenship"})
#: The prepared columns splink reads.
MODEL_COLUMNS: tuple[str, ...] = tuple(c for c in PREPARED_COLUMNS if c not in NOT_COMPARED)


@dataclass(frozen=True, slots=True)
class LinkageOptions:
    """How a linkage run decides: link threshold, review band, block cap, backend, and the
    cohesion two groups of records need to merge (0 = plain transitive closure)."""

    threshold: float = DEFAULT_THRESHOLD
    review_floor: float = DEFAULT_REVIEW_FLOOR
    block_cap: int = DEFAULT_BLOCK_CAP
    backend: Backend = "duckdb"
    seed: int = 1
    cohesion: float = DEFAULT_COHESION

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 0.0 <= self.review_floor <= self.threshold:
            raise ValueError("review_floor must be between 0 and the threshold")
        if not 0.0 <= self.cohesion <= 1.0:
            raise ValueError(f"cohesion must be in [0, 1], got {self.cohesion}")
        if self.block_cap < 2:
            raise ValueError("block_cap must be at least 2")


@dataclass(slots=True)
class LinkageResult:
    """Clusters, scored pairs (the evidence) and the trained model of one run."""

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    model: dict[str, Any] = field(repr=False)
    options: LinkageOptions

    def capture_histories(self) -> pd.DataFrame:
        """Capture histories of the clustered children over agencies."""
        return capture_histories(self.clusters)

    def quality(self) -> LinkageQuality:
        """What the run expects it found, by its own model (:mod:`.quality`)."""
        return linkage_quality(
            float(self.model.get("probability_two_random_records_match", 0.0)),
            len(self.clusters),
            self.pairs["match_probability"].to_numpy(),
            self.options.threshold,
        )


def model_frame(prepared: pd.DataFrame) -> pd.DataFrame:
    """The prepared columns splink compares plus the capped blocking keys."""
    blocking = [column for column in prepared.columns if column.startswith("blk_")]
    frame = prepared[list(MODEL_COLUMNS) + blocking].copy()
    frame["birth_year"] = frame["birth_year"].astype(float)
    frame["birth_year_int"] = pd.to_numeric(frame["birth_year_int"]).astype("Int64")
    return frame


def model_table(frame: pd.DataFrame) -> pa.Table:
    """The model frame as Arrow with explicit types, so all-unknown columns keep their type."""
    fields = []
    for column in frame.columns:
        if column == "birth_year":
            kind: pa.DataType = pa.float64()
        elif column in EXPLODED_KEYS:
            kind = pa.list_(pa.int64())
        elif column in INTEGER_COLUMNS or column.startswith("blk_"):
            kind = pa.int64()
        elif column in LIST_COLUMNS:
            kind = pa.list_(pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)


def link_records(
    records: pd.DataFrame | pa.Table | Path,
    options: LinkageOptions | None = None,
    decisions: Sequence[Decision] = (),
    spark_session: Any = None,
) -> LinkageResult:
    """Link agency records (the record format, or a Parquet file of them) into one cluster
    per child.

    On DuckDB the records are prepared, blocked, scored and clustered inside one database
    session; only the person keys and the pairs worth keeping come back to Python.
    """
    options = options or LinkageOptions()
    connection = connect()
    try:
        columns = prepare_in(connection, records, block_cap=options.block_cap)
        model_columns = [*MODEL_COLUMNS, *(c for c in columns if c.startswith("blk_"))]
        select = f"SELECT _row AS row_id, {', '.join(model_columns)} FROM prepared"
        if options.backend == "duckdb":
            connection.execute(f"CREATE TEMP VIEW linkage_input AS {select}")
            source: Any = "linkage_input"
            db_api = database_api("duckdb", connection=connection)
        else:
            db_api = database_api(options.backend, spark_session)
            source = db_api.spark.createDataFrame(connection.sql(select).to_arrow_table())
        keys = connection.sql(
            "SELECT unique_id, agency, source_record_id FROM prepared ORDER BY _row"
        ).to_arrow_table()
        rule_pairs = em_rule_pairs(connection, "prepared")
        return _link(db_api, source, keys, rule_pairs, options, decisions, (connection, "prepared"))
    finally:
        connection.close()


def link_prepared(
    prepared: pd.DataFrame,
    options: LinkageOptions,
    decisions: Sequence[Decision] = (),
    spark_session: Any = None,
) -> LinkageResult:
    """Train, predict and cluster an already prepared frame."""
    frame = model_frame(prepared)
    arrow = model_table(frame).append_column("row_id", pa.array(range(len(frame)), pa.int64()))
    keys = pa.Table.from_pandas(
        prepared[["unique_id", "agency", "source_record_id"]], preserve_index=False
    )
    connection = connect()
    try:
        connection.register("linkage_arrow", arrow)
        connection.execute("CREATE TEMP TABLE linkage_input AS SELECT * FROM linkage_arrow")
        rule_pairs = em_rule_pairs(connection, "linkage_input")
        if options.backend == "duckdb":
            db_api = database_api("duckdb", connection=connection)
            source: Any = "linkage_input"
        else:
            db_api = database_api(options.backend, spark_session)
            source = db_api.spark.createDataFrame(arrow)
        return _link(
            db_api, source, keys, rule_pairs, options, decisions, (connection, "linkage_input")
        )
    finally:
        connection.close()


def _link(
    db_api: Any,
    source: Any,
    keys: pa.Table,
    rule_pairs: Sequence[int],
    options: LinkageOptions,
    decisions: Sequence[Decision],
    frequencies: tuple[duckdb.DuckDBPyConnection, str],
) -> LinkageResult:
    """Train, score the blocked pairs, fit lambda, keep the pairs worth keeping, cluster.

    ``frequencies`` is the DuckDB connection and table the term frequencies are counted on.
    """
    table = db_api.register(source, dataset_display_name="records")
    linker = Linker(table, settings(START_PRIOR), log_level=logging.ERROR)
    train(linker, rule_pairs, seed=options.seed)
    register_term_frequencies(linker, *frequencies)
    size = keys.num_rows
    # score the blocked pairs that could reach the review floor; fit lambda to their evidence
    # (a review floor of 0 keeps every blocked pair, for diagnosis; lambda is fitted as it
    # would be at the default floor, so the probabilities are those of an ordinary run)
    every_pair = options.review_floor <= 0.0
    floor = evidence_floor(size, DEFAULT_REVIEW_FLOOR if every_pair else options.review_floor)
    predictions = linker.inference.predict(
        threshold_match_weight=None if every_pair else log2_odds(START_PRIOR) + floor,
        warning_mode="never",
    )
    weights = predictions.query_sql("SELECT match_weight FROM {this}")
    evidence = weights.as_pyarrow_table().column(0).to_numpy() - log2_odds(START_PRIOR)
    weights.drop_table_from_database_and_remove_from_cache()
    prior = match_prior(evidence[evidence >= floor], size * (size - 1) // 2, START_PRIOR)
    del evidence
    shift = log2_odds(prior) - log2_odds(START_PRIOR)
    above_floor = (
        ""
        if every_pair
        else f"WHERE match_weight + {shift!r} >= {log2_odds(options.review_floor)!r}"
    )
    kept = predictions.query_sql(
        f"SELECT * EXCLUDE (match_weight, match_probability, match_key), "
        f"match_weight + {shift!r} AS match_weight FROM {{this}} {above_floor}"
    )
    scored = kept.as_pandas_dataframe()
    kept.drop_table_from_database_and_remove_from_cache()
    predictions.drop_table_from_database_and_remove_from_cache()
    scored["match_probability"] = 1.0 / (1.0 + np.exp2(-scored["match_weight"].to_numpy()))
    scored = scored[scored["match_probability"] >= options.review_floor]
    pairs = _evidence(scored, options, decisions)
    # clusters from the pairs an ordinary run keeps: the cohesion guard counts a pair below
    # the review floor as unscored (0), so keeping every pair leaves the clusters as they are
    clustered = (
        scored[scored["match_probability"] >= DEFAULT_REVIEW_FLOOR] if every_pair else scored
    )
    labels = cluster_labels(
        size,
        clustered["row_id_l"].to_numpy(dtype=np.int64),
        clustered["row_id_r"].to_numpy(dtype=np.int64),
        clustered["match_probability"].to_numpy(),
        options.threshold,
        *_decision_rows(keys.column("unique_id"), decisions),
        options.cohesion,
    )
    clusters = pd.DataFrame(
        {
            "agency": keys.column("agency").to_numpy(zero_copy_only=False),
            "source_record_id": keys.column("source_record_id").to_numpy(zero_copy_only=False),
            "cluster_id": first_id_of_clusters(keys.column("unique_id"), labels),
        }
    )
    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = prior
    return LinkageResult(clusters=clusters, pairs=pairs, model=model, options=options)


def evidence_floor(records: int, review_floor: float) -> float:
    """Least evidence (log2 Bayes factor) a scored pair needs to be kept from prediction.

    Lambda is at most ``MAX_MATCHES_PER_RECORD / (N - 1)``, so a pair below this floor stays
    under the review floor whatever lambda is fitted: it is dropped inside the database, never
    materialised. The floor rises with N (about 13 bits at a million records) because a
    random pair of a larger file is less likely to match; it is never below 0 (a pair with no
    evidence for a match is never kept).
    """
    if review_floor <= 0.0 or records < 2:
        return 0.0
    ceiling = min(0.5, MAX_MATCHES_PER_RECORD / (records - 1))
    return max(0.0, log2_odds(review_floor) - log2_odds(ceiling))


def _decision_rows(
    unique_ids: pa.ChunkedArray, decisions: Sequence[Decision]
) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the pairs people decided are the same child, and are different."""
    if not decisions:
        empty = np.empty((0, 2), dtype=np.int64)
        return empty, empty
    index = pd.Index(unique_ids.to_numpy(zero_copy_only=False))
    named = index.get_indexer([uid for d in decisions for uid in (d.left, d.right)])
    if (named < 0).any():
        raise ValueError(
            f"decision names {int((named < 0).sum())} record reference(s) not in the input"
        )
    rows = named.reshape(-1, 2)
    same = np.array([d.decision == "same" for d in decisions])
    return rows[same], rows[~same]


def _evidence(
    predictions: pd.DataFrame, options: LinkageOptions, decisions: Sequence[Decision]
) -> pd.DataFrame:
    """Scored pairs with each comparison's match weight, band and any person's decision.

    ``mw_<comparison>`` is the weight of evidence (log2 Bayes factor) a comparison added, and
    ``mw_tf_adj_<comparison>`` its term-frequency adjustment: positive agrees, negative
    disagrees, zero is unknown. That is the side-by-side evidence a reviewer reads.
    """
    weights = [column for column in predictions.columns if column.startswith("mw_")]
    leading = ["agency_l", "source_record_id_l", "agency_r", "source_record_id_r"]
    pairs = predictions[
        [*leading, "unique_id_l", "unique_id_r", "match_weight", "match_probability", *weights]
    ].reset_index(drop=True)
    pairs["decision"] = None
    if decisions:
        decided = pd.DataFrame(
            {
                "low": [min(d.left, d.right) for d in decisions],
                "high": [max(d.left, d.right) for d in decisions],
                "decision": [d.decision for d in decisions],
            }
        ).drop_duplicates(["low", "high"], keep="last")
        low = np.minimum(pairs["unique_id_l"].to_numpy(), pairs["unique_id_r"].to_numpy())
        high = np.maximum(pairs["unique_id_l"].to_numpy(), pairs["unique_id_r"].to_numpy())
        found = pd.DataFrame({"low": low, "high": high}).merge(
            decided, on=["low", "high"], how="left"
        )
        pairs["decision"] = found["decision"].astype(object).where(found["decision"].notna(), None)
    pairs["band"] = "review"
    pairs.loc[pairs["match_probability"] >= options.threshold, "band"] = "link"
    pairs.loc[pairs["decision"].notna(), "band"] = "decided"
    return pairs
