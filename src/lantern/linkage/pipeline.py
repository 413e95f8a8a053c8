"""Batch linkage: agency records in, clusters (one per child) and their pair evidence out.

The result holds only person keys (``agency``, ``source_record_id``, ``cluster_id``) and match
evidence (probability and the agreement level of each comparison), never names: that is all
that may leave the place where identifying data is read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from splink.internals.linker import Linker

from lantern.linkage.backends import Backend, database_api
from lantern.linkage.clusters import Decision, capture_histories, cluster_records
from lantern.linkage.model import log2_odds, match_prior, settings, train
from lantern.linkage.prepare import DEFAULT_BLOCK_CAP, prepare_records

#: Pairs at or above this probability are the same child, unless a person decided otherwise.
DEFAULT_THRESHOLD = 0.9
#: Pairs between this and the threshold are uncertain: they go to the review queue.
DEFAULT_REVIEW_FLOOR = 0.3

#: Two groups of records join only if their cross pairs' mean probability reaches this.
DEFAULT_COHESION = 0.3

#: Lambda the model starts from; :func:`lantern.linkage.model.match_prior` then fits it.
START_PRIOR = 1e-4

#: Columns of the prepared frame that splink reads (the rest stay out of the database).
MODEL_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "agency",
    "source_record_id",
    "given_written",
    "given_latin",
    "given_skel",
    "given_canon",
    "nickname_latin",
    "family_written",
    "family_latin",
    "family_skel",
    "name_key",
    "dob",
    "birth_year",
    "birth_year_int",
    "registered",
    "sex",
    "citizenship",
    "identity",
    "country",
    "state",
    "city",
    "street",
    "postcode",
)


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
        elif column in ("birth_year_int", "registered"):
            kind = pa.int64()
        elif column == "citizenship":
            kind = pa.list_(pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(column, kind))
    return pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)


def link_records(
    records: pd.DataFrame,
    options: LinkageOptions | None = None,
    decisions: Sequence[Decision] = (),
    spark_session: Any = None,
) -> LinkageResult:
    """Link agency records (the record format) into one cluster per child."""
    options = options or LinkageOptions()
    prepared = prepare_records(records, block_cap=options.block_cap)
    return link_prepared(prepared, options, decisions, spark_session)


def link_prepared(
    prepared: pd.DataFrame,
    options: LinkageOptions,
    decisions: Sequence[Decision] = (),
    spark_session: Any = None,
) -> LinkageResult:
    """Train, predict and cluster an already prepared frame."""
    db_api = database_api(options.backend, spark_session)
    frame = model_frame(prepared)
    arrow = model_table(frame)
    source: Any = arrow if options.backend == "duckdb" else db_api.spark.createDataFrame(arrow)
    table = db_api.register(source, dataset_display_name="records")
    linker = Linker(table, settings(START_PRIOR), log_level=logging.ERROR)
    train(linker, frame, seed=options.seed)
    # score every blocked pair with some evidence for a match, then fit lambda to them
    predictions = linker.inference.predict(
        threshold_match_weight=log2_odds(START_PRIOR), warning_mode="never"
    ).as_pandas_dataframe()
    size = len(frame)
    evidence = predictions["match_weight"].to_numpy() - log2_odds(START_PRIOR)
    prior = match_prior(evidence, size * (size - 1) // 2, START_PRIOR)
    predictions["match_weight"] = evidence + log2_odds(prior)
    predictions["match_probability"] = 1.0 / (1.0 + np.exp2(-predictions["match_weight"]))
    predictions = predictions[predictions["match_probability"] >= options.review_floor]
    pairs = _evidence(predictions, options, decisions)
    cluster_ids = cluster_records(
        prepared["unique_id"], pairs, options.threshold, decisions, options.cohesion
    )
    clusters = pd.DataFrame(
        {
            "agency": prepared["agency"].to_numpy(),
            "source_record_id": prepared["source_record_id"].to_numpy(),
            "cluster_id": cluster_ids.reindex(prepared["unique_id"]).to_numpy(),
        }
    )
    model = linker.misc.save_model_to_json()
    model["probability_two_random_records_match"] = prior
    return LinkageResult(clusters=clusters, pairs=pairs, model=model, options=options)


def _evidence(
    predictions: pd.DataFrame, options: LinkageOptions, decisions: Sequence[Decision]
) -> pd.DataFrame:
    """Scored pairs with each comparison's match weight, band and any person's decision.

    ``mw_<comparison>`` is the weight of evidence (log2 Bayes factor) a comparison added, and
    ``mw_tf_adj_<comparison>`` its term-frequency adjustment: positive agrees, negative
    disagrees, zero is unknown. That is the side-by-side evidence a reviewer reads.
    """
    weights = [column for column in predictions.columns if column.startswith("mw_")]
    pairs = predictions[
        ["unique_id_l", "unique_id_r", "match_weight", "match_probability", *weights]
    ].copy()
    for side in ("l", "r"):
        parts = pairs[f"unique_id_{side}"].str.split("|", n=1, expand=True)
        pairs[f"agency_{side}"] = parts[0] if len(pairs) else pd.Series(dtype=object)
        pairs[f"source_record_id_{side}"] = parts[1] if len(pairs) else pd.Series(dtype=object)
    decided = {frozenset((d.left, d.right)): d.decision for d in decisions}
    pairs["decision"] = [
        decided.get(frozenset(pair))
        for pair in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
    ]
    pairs["band"] = "review"
    pairs.loc[pairs["match_probability"] >= options.threshold, "band"] = "link"
    pairs.loc[pairs["decision"].notna(), "band"] = "decided"
    leading = ["agency_l", "source_record_id_l", "agency_r", "source_record_id_r"]
    rest = [column for column in pairs.columns if column not in leading]
    return pairs[leading + rest].reset_index(drop=True)
