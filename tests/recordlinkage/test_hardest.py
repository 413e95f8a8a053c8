"""The simulation's hardest scenario: what linkage can and cannot do on it.

The records now carry what an intake form asks first (family name where the tradition has
one, sex, age, home district) in every agency, under all the corruption (scripts,
romanisation variants, typos, swaps, nicknames, misstated ages). The issue's targets (cluster
F1 >= 0.99, pairwise recall >= 0.97) are still NOT reached and not asserted: on this seed the
linker reaches cluster F1 0.52 and pairwise recall 0.34 at p >= 0.9 (README, "Third push";
0.41 and 0.25 before it). The same comparisons with m-probabilities taken from the truth reach
the same recall at p >= 0.9, and a gradient-boosted classifier trained on the truth with richer
features reaches 0.52 overall (seed 11), so the remaining gap is mostly in what the records
hold, not in training. Asserted: the measured figures with a margin, and what multiple systems
estimation needs from a linker on such data: it must not merge different children (an
over-merge undercounts the hidden population), and the links it does make must mostly be right.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lantern.recordlinkage.metrics import cluster_accuracy, pairwise_accuracy
from lantern.recordlinkage.pipeline import LinkageResult, link_records
from lantern.recordlinkage.quality import WARN_BELOW_RECALL
from lantern.simulation import SimulationConfig, World, simulate

CONFIG = SimulationConfig(seed=7, children=5000, agencies=5, scenario="hardest")


@pytest.fixture(scope="module")
def world() -> World:
    return simulate(CONFIG)


@pytest.fixture(scope="module")
def linked(world: World) -> tuple[LinkageResult, pd.Series]:
    truth = world.truth.to_pandas()
    ids = (truth["agency"] + "|" + truth["source_record_id"]).to_numpy()
    return link_records(world.records.to_pandas()), pd.Series(
        truth["true_person_id"].to_numpy(), index=ids
    )


def _clusters(result: LinkageResult) -> pd.Series:
    clusters = result.clusters
    ids = (clusters["agency"] + "|" + clusters["source_record_id"]).to_numpy()
    return pd.Series(clusters["cluster_id"].to_numpy(), index=ids)


def test_hardest_scenario_does_not_merge_different_children(
    linked: tuple[LinkageResult, pd.Series],
) -> None:
    result, truth = linked
    clusters = _clusters(result)
    frame = pd.DataFrame({"cluster": clusters, "person": truth.reindex(clusters.index)})
    people_per_cluster = frame.groupby("cluster")["person"].transform("nunique")
    # records placed with a record of another child
    assert (people_per_cluster > 1).mean() <= 0.02
    # the count MSE starts from stays close to the true number of recorded children
    assert clusters.nunique() >= 0.97 * truth.nunique()


def test_hardest_scenario_links_are_mostly_right(
    linked: tuple[LinkageResult, pd.Series],
) -> None:
    result, truth = linked
    accuracy = cluster_accuracy(_clusters(result), truth)
    assert accuracy.predicted_pairs > 0  # it links something
    # fewer wrong than right pairs among those it placed together
    assert accuracy.precision >= 0.5
    # measured 0.621 (0.52 before frequencies measured from the whole column's agreement and
    # the journey compared; 0.41 before word blocking, scripts read as spoken and frequencies
    # without the pair; 0.34 before that, 0.001 at first): a margin below the measurement
    assert accuracy.f1 >= 0.56


def test_hardest_scenario_pairwise_recall_at_the_review_threshold(
    linked: tuple[LinkageResult, pd.Series],
) -> None:
    result, truth = linked
    links = pairwise_accuracy(result.pairs, truth, threshold=0.9)
    assert links.precision >= 0.9
    # measured 0.448 (0.34, 0.25 before); the 0.97 is not reached
    assert links.recall >= 0.40


def test_hardest_scenario_run_knows_it_found_too_few_links(
    linked: tuple[LinkageResult, pd.Series],
) -> None:
    # without the truth, the run's own model says how much it found: close to what the truth
    # says (measured: expected recall 0.53 against 0.45, precision 0.99 against 0.97), and low
    # enough that an estimate built on it is flagged as overstated
    result, truth = linked
    quality = result.quality()
    links = pairwise_accuracy(result.pairs, truth, threshold=0.9)
    assert quality.links == links.predicted_pairs
    assert abs(quality.expected_recall - links.recall) <= 0.15
    assert abs(quality.expected_precision - links.precision) <= 0.05
    assert quality.expected_recall < WARN_BELOW_RECALL


def test_hardest_records_carry_what_an_intake_form_asks_first(world: World) -> None:
    records = world.records.to_pandas().merge(
        world.truth.to_pandas(), on=["agency", "source_record_id"]
    )
    people = world.people.to_pandas().set_index("true_person_id")
    has_family = people["family_name"].reindex(records["true_person_id"]).fillna("").ne("")
    filled = records.fillna("").ne("")
    by_agency = records["agency"]
    share = pd.DataFrame(
        {
            "family": filled["prs_SecondName"][has_family.to_numpy()]
            .groupby(by_agency[has_family.to_numpy()])
            .mean(),
            "sex": filled["prs_Gender"].groupby(by_agency).mean(),
            "age": (filled["ext_StatedAge"] | filled["prs_Birthdate"]).groupby(by_agency).mean(),
            "district": filled["prs_MailingCity"].groupby(by_agency).mean(),
        }
    )
    # every agency, even a hotline of quality 0.6 under the scenario's noise
    assert (share["family"] >= 0.85).all(), share
    assert (share["sex"] >= 0.9).all(), share
    assert (share["age"] >= 0.85).all(), share
    assert (share["district"] >= 0.7).all(), share
    # but the thin paperwork stays thin: journeys and traffickers are mostly missing
    assert filled["per_Actors"].mean() < 0.5
