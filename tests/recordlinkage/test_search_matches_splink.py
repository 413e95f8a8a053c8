"""Search before create scores a pair as batch linkage does: splink's weights, pair for pair.

The search scorer is a second, numpy implementation of the splink model's comparisons (one
query at a time, in milliseconds). Here a splink model with the comparisons search uses (taken
from :func:`lantern.recordlinkage.model.comparisons`) is trained on synthetic records, and
the search index, given that model's m, u and lambda and splink's own term-frequency tables,
must give every blocked pair the level, match weight and probability that
``Linker.inference.predict()`` gives it. Only splink's public API is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from splink import Linker, SettingsCreator

from lantern.recordlinkage import ModelParameters, SearchIndex, connect, prepare_records
from lantern.recordlinkage.backends import database_api
from lantern.recordlinkage.model import blocking_rules, comparisons, em_rule_pairs, train
from lantern.recordlinkage.pipeline import model_frame, model_table
from lantern.recordlinkage.search_levels import pair_levels
from lantern.recordlinkage.search_parameters import COMPARISONS, TF_COLUMNS
from lantern.simulation import SimulationConfig, simulate
from tests.recordlinkage.linkage_synthetic import generate

#: Match weights are sums of a dozen logarithms, in SQL on one side and numpy on the other.
WEIGHT_TOLERANCE = 1e-9


@dataclass
class Scored:
    prepared: pd.DataFrame
    predictions: pd.DataFrame
    model: dict[str, Any]
    frequencies: dict[str, dict[str, float]]
    left: np.ndarray
    right: np.ndarray


def _records() -> pd.DataFrame:
    """Scripts, swaps, nicknames and typos (the generator), and a simulated world's records."""
    synthetic, _ = generate(400, seed=3, noise=1.0)
    # a mistyped identity number now and then, for the "one character apart" level
    identity = synthetic["prs_IdentityNumber"]
    typed = identity.str.len().gt(0) & (synthetic.index.to_series() % 3 == 0)
    synthetic.loc[typed, "prs_IdentityNumber"] = identity[typed].str[:-1] + "0"
    world = simulate(SimulationConfig(seed=4, children=300, agencies=4, scenario="hardest"))
    simulated = world.records.to_pandas()
    simulated["agency"] = "sim-" + simulated["agency"].astype(str)
    return pd.concat([synthetic, simulated], ignore_index=True)


@pytest.fixture(scope="module")
def scored() -> Scored:
    prepared = prepare_records(_records())
    frame = model_frame(prepared)
    table = model_table(frame).append_column("row_id", pa.array(range(len(frame)), pa.int64()))
    connection = connect()
    try:
        connection.register("records_arrow", table)
        connection.execute("CREATE TABLE records AS SELECT * FROM records_arrow")
        searched = {c.name for c in COMPARISONS}
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="unique_id",
            comparisons=[
                c
                for c in comparisons()
                if not isinstance(c, dict)
                and c.get_comparison("duckdb").output_column_name in searched
            ],
            blocking_rules_to_generate_predictions=blocking_rules(),
            probability_two_random_records_match=1e-3,
            retain_intermediate_calculation_columns=True,
            max_iterations=8,
        )
        db_api = database_api("duckdb", connection=connection)
        linker = Linker(db_api.register("records"), settings, log_level=logging.ERROR)
        train(linker, em_rule_pairs(connection, "records"))
        predictions = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
        frequencies = {}
        for column in TF_COLUMNS:
            lookup = linker.table_management.compute_tf_table(column).as_pandas_dataframe()
            frequencies[column] = dict(zip(lookup[column], lookup[f"tf_{column}"], strict=True))
        model = linker.misc.save_model_to_json()
    finally:
        connection.close()
    row = pd.Series(range(len(prepared)), index=prepared["unique_id"])
    return Scored(
        prepared,
        predictions,
        model,
        frequencies,
        row[predictions["unique_id_l"]].to_numpy(np.int64),
        row[predictions["unique_id_r"]].to_numpy(np.int64),
    )


def _index(scored: Scored) -> SearchIndex:
    return SearchIndex(
        scored.prepared,
        parameters=ModelParameters.from_splink(scored.model),
        term_frequencies=scored.frequencies,
    )


def test_every_level_of_the_search_comparisons_is_exercised(scored: Scored) -> None:
    # the equality below means something only if the pairs reach the levels
    for comparison in COMPARISONS:
        gammas = set(scored.predictions[f"gamma_{comparison.name}"])
        assert len(gammas - {-1}) >= min(len(comparison.levels), 3), comparison.name
    assert len(scored.predictions) > 1000


def test_search_levels_are_splinks_levels(scored: Scored) -> None:
    index = _index(scored)
    found = pair_levels(
        index.words, index.encode(scored.prepared), scored.left, index.records, scored.right
    )
    for comparison in COMPARISONS:
        gamma = scored.predictions[f"gamma_{comparison.name}"].to_numpy()
        # splink counts levels up from the last (0) with -1 unknown; search down from 1
        expected = np.where(gamma == -1, 0, len(comparison.levels) - gamma)
        wrong = np.flatnonzero(found[comparison.name] != expected)
        assert not len(wrong), (
            comparison.name,
            scored.predictions.iloc[wrong[:5]][["unique_id_l", "unique_id_r"]].to_dict("records"),
            found[comparison.name][wrong[:5]].tolist(),
            expected[wrong[:5]].tolist(),
        )


def test_search_weights_and_probabilities_are_splinks(scored: Scored) -> None:
    index = _index(scored)
    weights = index.match_weights(scored.prepared, scored.left, scored.right)
    np.testing.assert_allclose(
        weights, scored.predictions["match_weight"], rtol=0, atol=WEIGHT_TOLERANCE
    )
    probability = 1.0 / (1.0 + np.exp2(-weights))
    np.testing.assert_allclose(
        probability, scored.predictions["match_probability"], rtol=0, atol=1e-12
    )


def test_a_spelling_the_index_has_never_seen_is_compared_like_any_other(
    scored: Scored,
) -> None:
    index = _index(scored)
    at = int(np.flatnonzero(scored.prepared["given_latin"].str.len().ge(4).to_numpy())[0])
    record = scored.prepared.iloc[[at]].copy()
    latin = str(record["given_latin"].iloc[0])
    typo = latin + "x"  # a spelling no indexed record holds
    assert index.vocab["latin"].get_indexer([typo])[0] < 0
    for key in ("written", "latin", "sound", "skel", "canon"):
        record[f"given_{key}"] = typo
    query, row = np.zeros(1, dtype=np.int64), np.array([at], dtype=np.int64)
    levels = pair_levels(index.words, index.encode(record), query, index.records, row)
    # as splink would: Jaro-Winkler of the two spellings, not "different" for want of a code
    assert COMPARISONS[0].levels[levels["given_name"][0] - 1] == "similar spelling"
