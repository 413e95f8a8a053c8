"""Perpetrator linkage: one person's records across agencies, on the children's engine.

The "uncle" in a Kathmandu shelter's case and the "broker" in a Mumbai police case are one
person only if their records say so: a name in two scripts or spellings, an alias written as
a name, the same phone number in another format, the same plate, the same place, the same
role in the same child's case. The comparisons (:mod:`lantern.networks.model`) are splink's,
built as :mod:`lantern.recordlinkage.model` builds the children's (priors, term-frequency
adjusted names, lambda fitted by :func:`~lantern.recordlinkage.model.match_prior`), in the
same bounded DuckDB (:func:`~lantern.recordlinkage.backends.connect`), and clustered by the
same cohesion-guarded union (:func:`~lantern.recordlinkage.clusters.cluster_labels`) that
keeps reviewers' decisions. Pairs between the review floor and the threshold form the review
queue (:func:`~lantern.recordlinkage.decisions.review_queue`).
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

from lantern.networks.model import (
    EM_MIN_PAIRS,
    EM_RULES,
    MIN_RECORDS_TO_TRAIN,
    START_PRIOR,
    settings,
)
from lantern.networks.records import prepare
from lantern.recordlinkage.backends import connect, database_api
from lantern.recordlinkage.clusters import Decision, cluster_labels, first_id_of_clusters
from lantern.recordlinkage.decisions import review_queue
from lantern.recordlinkage.model import log2_odds, match_prior, register_term_frequencies

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
DEFAULT_REVIEW_FLOOR = 0.3
DEFAULT_COHESION = 0.5


@dataclass(frozen=True, slots=True)
class PerpetratorLinkageOptions:
    threshold: float = DEFAULT_THRESHOLD
    review_floor: float = DEFAULT_REVIEW_FLOOR
    cohesion: float = DEFAULT_COHESION
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 0.0 <= self.review_floor <= self.threshold:
            raise ValueError("review_floor must be between 0 and the threshold")
        if not 0.0 <= self.cohesion <= 1.0:
            raise ValueError(f"cohesion must be in [0, 1], got {self.cohesion}")


@dataclass(slots=True)
class PerpetratorLinkage:
    """Clusters (one per person), the scored pairs (evidence) and the trained model.

    ``clusters``: ``agency``, ``perpetrator_record_id``, ``unique_id``, ``cluster_id``.
    ``pairs``: ``unique_id_l``, ``unique_id_r``, ``match_probability``, ``mw_*`` (each
    comparison's weight of evidence), ``decision`` and ``band`` (link, review, decided).
    """

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    model: dict[str, Any] = field(repr=False)
    options: PerpetratorLinkageOptions

    def review_queue(self) -> pd.DataFrame:
        """Uncertain pairs no one has decided, most uncertain first, with their probability."""
        return review_queue(self.pairs)

    def cluster_of(self) -> dict[str, str]:
        """Each record's ``unique_id`` to its cluster id."""
        return dict(zip(self.clusters["unique_id"], self.clusters["cluster_id"], strict=True))


def _pairs_on(frame: pd.DataFrame, rule: str) -> int:
    columns = [part.split("=")[0].strip()[2:] for part in rule.split(" AND ")]
    sizes = frame.dropna(subset=columns).groupby(columns).size().to_numpy()
    return int((sizes.astype(np.int64) * (sizes - 1) // 2).sum())


def _train(linker: Linker, frame: pd.DataFrame, seed: int) -> None:
    """u by random sampling, m by EM on the sessions with enough pairs."""
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    for rule in EM_RULES:
        if _pairs_on(frame, rule) < EM_MIN_PAIRS:
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except ValueError as error:  # an m driven to 0: keep the priors and go on
            if "below the minimum allowed" not in str(error):
                raise
            logger.warning("EM session %r not used: %s", rule, error)


def link_perpetrators(
    records: pd.DataFrame | pa.Table,
    options: PerpetratorLinkageOptions | None = None,
    decisions: Sequence[Decision] = (),
) -> PerpetratorLinkage:
    """Link perpetrator records (:data:`~lantern.networks.records.PERPETRATOR_COLUMNS`) into
    one cluster per person; reviewers' ``decisions`` force links and splits."""
    options = options or PerpetratorLinkageOptions()
    prepared = prepare(records)
    size = len(prepared)
    frame = prepared.assign(row_id=np.arange(size, dtype=np.int64))
    ids = prepared["unique_id"]
    if size < 2:
        return _result(prepared, _empty_pairs(), np.arange(size), {}, options)
    connection = connect()
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        connection.register("perp_arrow", table)
        connection.execute("CREATE TEMP TABLE perpetrators AS SELECT * FROM perp_arrow")
        db_api = database_api("duckdb", connection=connection)
        linker = Linker(
            db_api.register("perpetrators", dataset_display_name="perpetrators"),
            settings(),
            log_level=logging.ERROR,
        )
        if size >= MIN_RECORDS_TO_TRAIN:  # a small register keeps the priors
            _train(linker, frame, options.seed)
        register_term_frequencies(linker, connection, "perpetrators")
        scored = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
        model = linker.misc.save_model_to_json()
    finally:
        connection.close()
    evidence = scored["match_weight"].to_numpy() - log2_odds(START_PRIOR)
    prior = match_prior(evidence[evidence >= 0], size * (size - 1) // 2, START_PRIOR)
    model["probability_two_random_records_match"] = prior
    weight = evidence + log2_odds(prior)
    scored["match_weight"] = weight
    scored["match_probability"] = 1.0 / (1.0 + np.exp2(-weight))
    scored = scored[scored["match_probability"] >= options.review_floor].reset_index(drop=True)
    index = pd.Index(ids)
    named = index.get_indexer([uid for d in decisions for uid in (d.left, d.right)])
    if (named < 0).any():
        raise ValueError(f"decision names {int((named < 0).sum())} record(s) not in the input")
    rows = named.reshape(-1, 2)
    same = np.array([d.decision == "same" for d in decisions], dtype=bool)
    labels = cluster_labels(
        size,
        scored["row_id_l"].to_numpy(dtype=np.int64),
        scored["row_id_r"].to_numpy(dtype=np.int64),
        scored["match_probability"].to_numpy(),
        options.threshold,
        rows[same],
        rows[~same],
        options.cohesion,
    )
    return _result(prepared, _evidence(scored, options, decisions), labels, model, options)


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id_l": pd.Series(dtype=object),
            "unique_id_r": pd.Series(dtype=object),
            "match_probability": pd.Series(dtype=float),
            "decision": pd.Series(dtype=object),
            "band": pd.Series(dtype=object),
        }
    )


def _evidence(
    scored: pd.DataFrame, options: PerpetratorLinkageOptions, decisions: Sequence[Decision]
) -> pd.DataFrame:
    weights = [c for c in scored.columns if c.startswith("mw_")]
    pairs = scored[
        ["unique_id_l", "unique_id_r", "match_weight", "match_probability", *weights]
    ].copy()
    decided = {frozenset((d.left, d.right)): d.decision for d in decisions}
    pairs["decision"] = [
        decided.get(frozenset((a, b)))
        for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
    ]
    pairs["band"] = np.where(pairs["match_probability"] >= options.threshold, "link", "review")
    pairs.loc[pairs["decision"].notna(), "band"] = "decided"
    return pairs.sort_values("match_probability", ascending=False, ignore_index=True)


def _result(
    prepared: pd.DataFrame,
    pairs: pd.DataFrame,
    labels: np.ndarray,
    model: dict[str, Any],
    options: PerpetratorLinkageOptions,
) -> PerpetratorLinkage:
    ids = pa.array(prepared["unique_id"].to_numpy(), pa.string())
    clusters = pd.DataFrame(
        {
            "agency": prepared["agency"].to_numpy(),
            "perpetrator_record_id": prepared["perpetrator_record_id"].to_numpy(),
            "unique_id": prepared["unique_id"].to_numpy(),
            "cluster_id": first_id_of_clusters(ids, np.asarray(labels)) if len(ids) else [],
        }
    )
    return PerpetratorLinkage(clusters=clusters, pairs=pairs, model=model, options=options)


def exact_name_clusters(records: pd.DataFrame | pa.Table) -> pd.Series:
    """The baseline: records whose names as written are identical are one person (case and
    spaces ignored; a record with no name, its alias; with neither, alone)."""
    prepared = prepare(records)
    frame = records.to_pandas() if isinstance(records, pa.Table) else records

    def written(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series([""] * len(frame))
        return frame[column].fillna("").astype(str).reset_index(drop=True)

    given, family, alias = written("given_name"), written("family_name"), written("alias")
    full = (given.str.strip() + " " + family.str.strip()).str.split().str.join(" ").str.casefold()
    key = full.where(full != "", alias.str.strip().str.casefold())
    ids = prepared["unique_id"].to_numpy()
    cluster = np.where(key.to_numpy() != "", "name:" + key.to_numpy(), "record:" + ids)
    return pd.Series(cluster, index=ids, name="cluster_id")
