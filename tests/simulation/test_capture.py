"""Agencies record children as configured: independent lists where MSE's assumptions hold,
positively dependent lists where referrals or shared catchability break them.

Tolerances are stated in standard errors (4 SE: a false alarm about 1 in 16,000 per check);
seeds are fixed, so results are reproducible.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from lantern.simulation import SimulationConfig, World, simulate
from lantern.simulation.scenario import load_scenario

TOL_SE = 4.0


def _log_odds_ratio(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> tuple[float, float]:
    """Log odds ratio of two lists over the whole true population, and its standard error."""
    n11 = float(np.sum(a & b)) + 0.5
    n10 = float(np.sum(a & ~b)) + 0.5
    n01 = float(np.sum(~a & b)) + 0.5
    n00 = float(np.sum(~a & ~b)) + 0.5
    return math.log(n11 * n00 / (n10 * n01)), math.sqrt(1 / n11 + 1 / n10 + 1 / n01 + 1 / n00)


def test_independent_capture_rates_match_configured_probabilities(independent: World) -> None:
    configured = [a.capture for a in load_scenario("mekong").agencies[:5]]
    n = independent.recorded.shape[0]
    for a, p in enumerate(configured):
        rate = independent.recorded[:, a].mean()
        se = math.sqrt(p * (1 - p) / n)
        assert abs(rate - p) < TOL_SE * se, (a, rate, p)
    # Homogeneous: every child has the same chance with an agency.
    assert np.allclose(independent.capture_probability, np.array(configured)[None, :])


def test_independent_lists_have_odds_ratios_near_one(independent: World) -> None:
    for a, b in itertools.combinations(range(independent.recorded.shape[1]), 2):
        log_or, se = _log_odds_ratio(independent.recorded[:, a], independent.recorded[:, b])
        assert abs(log_or) < TOL_SE * se, (a, b, math.exp(log_or))


def test_referrals_make_linked_lists_overlap_more_than_chance(dependent: World) -> None:
    # south_asia: police-kathmandu (0) refers to ngo-shelter-kathmandu (1) with p = 0.45.
    log_or, se = _log_odds_ratio(dependent.recorded[:, 0], dependent.recorded[:, 1])
    assert log_or > TOL_SE * se
    assert math.exp(log_or) > 2.0
    # Unlinked pair (hotline 2, border desk 3) stays independent.
    log_or, se = _log_odds_ratio(dependent.recorded[:, 2], dependent.recorded[:, 3])
    assert abs(log_or) < TOL_SE * se


def test_referred_children_were_recorded_by_a_referring_agency(dependent: World) -> None:
    # Police (0), the Birgunj desk (3) and labour inspection (4) refer to the NGO shelter (1).
    referred_to_ngo = dependent.referred[:, 1]
    assert referred_to_ngo.sum() > 100
    assert dependent.recorded[np.ix_(referred_to_ngo, [0, 3, 4])].any(axis=1).all()
    # The hotline (2) refers to nobody among these agencies but police; the desk gets no one.
    assert not dependent.referred[:, 3].any()


def test_heterogeneous_catchability_creates_positive_dependence() -> None:
    world = simulate(
        SimulationConfig(
            seed=6, children=6000, agencies=3, scenario="south_asia", capture="heterogeneous"
        )
    )
    # Realised capture rates agree with the per-child model probabilities ...
    for a in range(3):
        p = world.capture_probability[:, a]
        se = math.sqrt(float(np.sum(p * (1 - p)))) / len(p)
        assert abs(world.recorded[:, a].mean() - p.mean()) < TOL_SE * se
    # ... which vary a lot between children,
    assert np.std(world.capture_probability[:, 0]) > 0.05
    # and no referrals happen, yet the two Kathmandu lists overlap more than chance.
    assert not world.referred.any()
    log_or, se = _log_odds_ratio(world.recorded[:, 0], world.recorded[:, 1])
    assert log_or > TOL_SE * se


def test_reception_desk_records_only_children_passing_its_point_when_routes_matter(
    realistic: World,
) -> None:
    people = realistic.people.to_pandas()
    desk = realistic.agencies.index("border-desk-birgunj")
    direct = realistic.recorded[:, desk] & ~realistic.referred[:, desk]
    passed = (people["transit_1"] == "birgunj") | (people["transit_2"] == "birgunj")
    assert passed[direct].mean() > 0.95
    assert passed.mean() < 0.5


def test_labour_inspection_finds_labour_exploitation(realistic: World) -> None:
    people = realistic.people.to_pandas()
    li = realistic.agencies.index("labour-inspection-nepal")
    kinds = people["exploitation_kinds"]
    labour = kinds.isin(["carpet_factory", "brick_kiln"]).to_numpy()
    sexual = (kinds == "csec").to_numpy()  # configured odds multipliers 3.0 against 0.2
    direct = realistic.recorded[:, li] & ~realistic.referred[:, li]
    assert direct[labour].mean() > 5 * direct[sexual].mean()
