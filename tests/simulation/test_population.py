"""The true population has the distributions its scenario configures (fixed seeds; tolerances
in standard errors or chi-square p-values, stated per test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lantern.simulation import World
from lantern.simulation.scenario import load_scenario

P_MIN = 1e-4  # a goodness-of-fit test fails only if the data are this unlikely under the config


@pytest.fixture(scope="module")
def people(realistic: World) -> pd.DataFrame:
    return realistic.people.to_pandas()


def test_sex_ratio_matches_the_scenario(people: pd.DataFrame) -> None:
    share = load_scenario("south_asia").female_share
    n = len(people)
    observed = (people["sex"] == "F").mean()
    assert abs(observed - share) < 4 * math.sqrt(share * (1 - share) / n)


def test_age_at_recruitment_follows_the_configured_weights(people: pd.DataFrame) -> None:
    weights = load_scenario("south_asia").age_weights
    ages = sorted(weights)
    expected = np.array([weights[a] for a in ages]) / sum(weights.values()) * len(people)
    observed = people["age_at_recruitment"].value_counts().reindex(ages, fill_value=0)
    assert stats.chisquare(observed.to_numpy(), expected).pvalue > P_MIN
    assert people["age_at_recruitment"].max() < 18


@pytest.mark.parametrize("sex", ["F", "M"])
def test_first_exploitation_kind_shares_match_the_config_by_sex(
    people: pd.DataFrame, sex: str
) -> None:
    scn = load_scenario("south_asia")
    group = people[people["sex"] == sex]
    weights = np.array([k.weight_f if sex == "F" else k.weight_m for k in scn.kinds])
    present = weights > 0
    first = group["exploitation_kinds"].str.split(";").str[0]
    observed = first.value_counts().reindex([k.id for k in scn.kinds], fill_value=0).to_numpy()
    assert observed[~present].sum() == 0  # e.g. no girls as camel jockeys
    expected = weights[present] / weights.sum() * len(group)
    assert stats.chisquare(observed[present], expected).pvalue > P_MIN


def test_exploitation_progresses_as_configured(people: pd.DataFrame) -> None:
    # Girls in carpet factories move on to commercial sexual exploitation with p = 0.22.
    girls = people[(people["sex"] == "F")]
    carpet = girls[girls["exploitation_kinds"].str.split(";").str[0] == "carpet_factory"]
    moved = carpet["exploitation_kinds"].str.startswith("carpet_factory;csec").mean()
    se = math.sqrt(0.22 * 0.78 / len(carpet))
    assert abs(moved - 0.22) < 4 * se
    # Boys never take that step (it is configured for girls only).
    boys = people[(people["sex"] == "M")]
    assert not boys["exploitation_kinds"].str.startswith("carpet_factory;csec").any()


def test_resale_gives_several_episodes_for_some_children(people: pd.DataFrame) -> None:
    assert (people["episodes"] > 1).mean() > 0.1
    assert people["episodes"].between(1, 3).all()


def test_every_child_is_exploited_during_the_period(realistic: World, people: pd.DataFrame) -> None:
    start = pd.Timestamp(realistic.config.start)
    assert (pd.to_datetime(people["exploitation_end"]) >= start).all()
    assert (pd.to_datetime(people["recruited_on"]) <= pd.Timestamp(realistic.config.end)).all()
    assert (people["recruited_on"] < people["exploitation_start"]).all()


def test_networks_are_heavy_tailed(people: pd.DataFrame) -> None:
    reach = people["network_ids"].str.split(";").str[0].value_counts()
    assert reach.max() > 8 * reach.median()
    assert people["organised_crime"].any()


def test_siblings_share_household_family_name_and_home(people: pd.DataFrame) -> None:
    families = people.groupby("household_id")
    sizes = families.size()
    assert (sizes > 1).sum() > 50
    multi = people[people["household_id"].isin(sizes[sizes > 1].index)]
    assert (multi.groupby("household_id")["family_name"].nunique() == 1).all()
    assert (multi.groupby("household_id")["home_district"].nunique() == 1).all()


def test_summary_strata_count_the_true_population(realistic: World, people: pd.DataFrame) -> None:
    summary = realistic.summary
    assert summary["true_children"] == len(people)
    assert summary["observed_children"] == int(people["observed"].sum())
    for stratum, cells in summary["strata"].items():
        assert sum(c["true"] for c in cells.values()) == len(people), stratum
        truth = people[stratum].value_counts().to_dict()
        assert {k: c["true"] for k, c in cells.items()} == truth
