"""Perpetrator linkage: one person's records across agencies, on the children's engine.

The "uncle" in a Kathmandu shelter's case and the "broker" in a Mumbai police case are one
person only if their records say so: a name in two scripts or spellings, an alias written as
a name, the same phone number in another format, the same plate, the same place, the same
role in the same child's case. The comparisons are splink's, built as
:mod:`lantern.recordlinkage.model` builds the children's (prior m-probabilities, term-frequency
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
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.linker import Linker

from lantern.networks.records import prepare
from lantern.recordlinkage.backends import connect, database_api
from lantern.recordlinkage.clusters import Decision, cluster_labels, first_id_of_clusters
from lantern.recordlinkage.decisions import review_queue
from lantern.recordlinkage.model import log2_odds, match_prior, register_term_frequencies

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.9
DEFAULT_REVIEW_FLOOR = 0.3
DEFAULT_COHESION = 0.5
START_PRIOR = 1e-3
#: Share of a name's term-frequency adjustment applied (as for children's names).
NAME_TF_WEIGHT = 0.5
#: EM sessions: blocked on what mostly pairs one person's records.
EM_RULES: tuple[str, ...] = (
    "l.phone = r.phone",
    "l.given_skel = r.given_skel AND l.family_skel = r.family_skel",
    "l.case_key = r.case_key AND l.role = r.role",
)
EM_MIN_PAIRS = 30


def _level(level: Any, m: float, label: str | None = None, fixed: bool = False) -> Any:
    options: dict[str, Any] = {"m_probability": m, "fix_m_probability": fixed}
    if label:
        options["label_for_charts"] = label
    return level.configure(**options)


def _tf(level: Any, column: str) -> Any:
    return level.configure(tf_adjustment_column=column, tf_adjustment_weight=NAME_TF_WEIGHT)


def _given() -> cl.CustomComparison:
    """The given name, or the alias one agency wrote where the other wrote the name."""
    return cl.CustomComparison(
        [
            cll.NullLevel("given_latin"),
            _level(_tf(cll.ExactMatchLevel("given_written"), "given_latin"), 0.4, "as written"),
            _level(_tf(cll.ExactMatchLevel("given_latin"), "given_latin"), 0.2, "romanised"),
            _level(cll.ExactMatchLevel("given_sound"), 0.1, "same sound"),
            _level(_tf(cll.ExactMatchLevel("given_skel"), "given_skel"), 0.1, "same skeleton"),
            _level(cll.JaroWinklerLevel("given_latin", 0.9), 0.05),
            _level(
                cll.CustomLevel("given_skel_l = family_skel_r AND family_skel_l = given_skel_r"),
                0.03,
                "given and family swapped",
            ),
            _level(cll.JaroWinklerLevel("given_latin", 0.75), 0.05),
            _level(cll.ElseLevel(), 0.07, fixed=True),
        ],
        output_column_name="given_name",
    )


def _family() -> cl.CustomComparison:
    return cl.CustomComparison(
        [
            cll.NullLevel("family_latin"),
            _level(_tf(cll.ExactMatchLevel("family_written"), "family_latin"), 0.5, "as written"),
            _level(_tf(cll.ExactMatchLevel("family_latin"), "family_latin"), 0.2, "romanised"),
            _level(_tf(cll.ExactMatchLevel("family_skel"), "family_skel"), 0.1, "skeleton"),
            _level(cll.JaroWinklerLevel("family_latin", 0.88), 0.05),
            _level(
                cll.CustomLevel("family_skel_l = given_skel_r AND given_skel_l = family_skel_r"),
                0.03,
                "swapped with given",
            ),
            _level(cll.ElseLevel(), 0.12, fixed=True),
        ],
        output_column_name="family_name",
    )


def _alias() -> cl.CustomComparison:
    """Aliases agree, or one record's alias is the other's given name; silent otherwise."""
    crossed = "(alias_skel_l = given_skel_r OR given_skel_l = alias_skel_r)"
    return cl.CustomComparison(
        [
            cll.CustomLevel(
                f"(alias_skel_l IS NULL OR alias_skel_r IS NULL) AND NOT coalesce({crossed}, false)"
            ).configure(is_null_level=True, label_for_charts="unknown"),
            _level(_tf(cll.ExactMatchLevel("alias_latin"), "alias_latin"), 0.55, "same alias"),
            _level(cll.ExactMatchLevel("alias_skel"), 0.15, "alias, same skeleton"),
            _level(cll.CustomLevel(crossed), 0.1, "alias written as the name"),
            _level(cll.ElseLevel(), 0.2, fixed=True),
        ],
        output_column_name="alias",
    )


def _simple(column: str, levels: list[tuple[Any, float]]) -> cl.CustomComparison:
    """An identifier: the disagreement level keeps its prior (numbers change, SIMs too)."""
    last = len(levels) - 1
    return cl.CustomComparison(
        [
            cll.NullLevel(column),
            *(_level(level, m, fixed=i == last) for i, (level, m) in enumerate(levels)),
        ],
        output_column_name=column,
    )


def _case() -> cl.CustomComparison:
    """One case (or one linked child): the same role there is one person, another role not."""
    return cl.CustomComparison(
        [
            cll.CustomLevel(
                "case_key_l IS NULL OR case_key_r IS NULL OR case_key_l <> case_key_r"
            ).configure(is_null_level=True, label_for_charts="other cases"),
            _level(cll.CustomLevel("role_l = role_r"), 0.9, "same case, same role", fixed=True),
            _level(cll.ElseLevel(), 0.1, "same case, other role", fixed=True),
        ],
        output_column_name="case",
    )


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    exact = cll.ExactMatchLevel
    return [
        _given(),
        _family(),
        _alias(),
        _simple(
            "phone",
            [
                (exact("phone"), 0.6),
                (cll.LevenshteinLevel("phone", 1), 0.05),
                (cll.ElseLevel(), 0.35),
            ],
        ),
        _simple(
            "vehicle",
            [
                (exact("vehicle"), 0.8),
                (cll.LevenshteinLevel("vehicle", 1), 0.05),
                (cll.ElseLevel(), 0.15),
            ],
        ),
        cl.CustomComparison(
            [
                cll.CustomLevel(
                    " AND ".join(
                        f"({c}_l IS NULL OR {c}_r IS NULL)" for c in ("city", "state", "country")
                    )
                ).configure(is_null_level=True, label_for_charts="unknown"),
                _level(exact("city").configure(tf_adjustment_column="city"), 0.45),
                _level(exact("state"), 0.2),
                _level(exact("country"), 0.2),
                _level(cll.ElseLevel(), 0.15, fixed=True),
            ],
            output_column_name="place",
        ),
        _simple("role", [(exact("role"), 0.9), (cll.ElseLevel(), 0.1)]),
        _simple("sex", [(exact("sex"), 0.97), (cll.ElseLevel(), 0.03)]),
        _simple(
            "age",
            [
                (cll.AbsoluteDifferenceLevel("age", 3), 0.6),
                (cll.AbsoluteDifferenceLevel("age", 8), 0.3),
                (cll.ElseLevel(), 0.1),
            ],
        ),
        _case(),
    ]


def blocking_rules() -> list[Any]:
    """Pairs worth scoring: a name, alias, phone, plate or case in common."""
    return [
        block_on("given_skel"),
        block_on("family_skel", "country"),
        block_on("alias_skel"),
        "l.alias_skel = r.given_skel",
        "l.given_skel = r.alias_skel",
        block_on("phone"),
        block_on("vehicle"),
        block_on("case_key"),
    ]


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=START_PRIOR,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["agency", "perpetrator_record_id", "row_id"],
        max_iterations=10,
        em_convergence=1e-3,
    )


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
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=options.seed)
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
