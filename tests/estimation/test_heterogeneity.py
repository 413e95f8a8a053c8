"""Rcapture's heterogeneity models (Mh / Mth with Chao LB, Poisson2, Darroch, Gamma3.5).

Reference figures are Rcapture's own regression tests, cran/Rcapture
inst/tests/testPapersResults.R (Rivest 2011 on the diabetes data of Bruno et al. 1994 and the
R3 data of Darroch et al. 1993; Cormack, Chang and Smith 2000, Table 3b). They are asserted to
the digits Rcapture's test rounds them to (half a unit of the last digit).
"""

from __future__ import annotations

import numpy as np
import pytest

from lantern.estimation import CaptureTable, EstimateDoesNotExist, parse_model
from lantern.estimation.fit import fit_or_raise, full_design
from lantern.estimation.heterogeneity import (
    Heterogeneity,
    HeterogeneityError,
    closedp,
    fit_heterogeneity,
    heterogeneity_columns,
)
from lantern.estimation.models import LogLinearModel
from lantern.estimation.study import SETTINGS, simulate_table

H = Heterogeneity


def from_histpos(freqs: list[int]) -> CaptureTable:
    """A table in Rcapture's histpos.t order: 11..1 first, list 1 the slowest-varying bit."""
    t = int(np.log2(len(freqs) + 1))
    counts = np.zeros(2**t - 1, dtype=np.int64)
    for i, f in enumerate(freqs):
        v = 2**t - 1 - i
        mask = sum(((v >> (t - 1 - j)) & 1) << j for j in range(t))
        counts[mask - 1] = f
    return CaptureTable(tuple(f"c{j + 1}" for j in range(t)), counts)


DIABETES = from_histpos([58, 157, 18, 104, 46, 650, 12, 709, 14, 20, 7, 74, 8, 182, 10])
DARROCH_R3 = from_histpos([72, 155, 7, 71, 13, 53, 43])
CORMACK_3B = from_histpos([72, 5, 29, 54, 24, 3, 14])


def _close(value: float, expected: float, digits: int) -> bool:
    return abs(value - expected) <= 0.5 * 10.0**-digits + 1e-9


@pytest.mark.parametrize(
    ("kind", "abundance", "stderr", "deviance"),
    [
        (H.NONE, 2472, 53, 21.97),
        (H.CHAO, 2588, 75, 3.13),
        (H.POISSON2, 2573, 76, 12.88),
        (H.DARROCH, 2752, 133, 8.32),
        (H.GAMMA35, 2964, 219, 6.74),
    ],
)
def test_diabetes_with_rivests_interactions_matches_rcapture(
    kind: Heterogeneity, abundance: int, stderr: int, deviance: float
) -> None:
    model = parse_model("[13,24,34]", DIABETES.lists)
    f = fit_heterogeneity(DIABETES, kind, model=model)
    assert _close(f.estimate, abundance, 0)
    assert _close(f.stderr, stderr, 0)
    assert _close(f.deviance, deviance, 2)
    assert f.df == (7 if kind is H.NONE else 6)


def test_diabetes_lower_bound_drops_its_negative_eta_as_rcapture_does() -> None:
    f = fit_heterogeneity(DIABETES, H.CHAO, model=parse_model("[13,24,34]", DIABETES.lists))
    assert f.dropped == ("eta4",)
    assert len(f.tau) == 1 and f.tau[0] > 0
    assert any("eta4 set to zero" in w for w in f.warnings)


def test_darroch_r3_lower_bound_and_darroch_match_rcapture() -> None:
    model = parse_model("[12,3]", DARROCH_R3.lists)
    lb = fit_heterogeneity(DARROCH_R3, H.CHAO, model=model)
    assert (round(lb.estimate), round(lb.stderr), round(lb.deviance, 2), lb.df) == (
        681,
        78,
        3.45,
        1,
    )
    dar = fit_heterogeneity(DARROCH_R3, H.DARROCH, model=model)
    assert _close(dar.estimate, 1181.8, 1)
    assert _close(dar.stderr, 404.2, 1)


def test_mt_profile_interval_matches_rcapture() -> None:
    f = fit_heterogeneity(CORMACK_3B, H.NONE)
    assert (round(f.estimate), round(f.deviance, 1), f.df) == (209, 75.1, 3)
    assert (round(f.low), round(f.high)) == (203, 217)


def _expected_table(
    k: int, beta: list[float], kind: Heterogeneity, tau: list[float]
) -> tuple[CaptureTable, float]:
    """Cells equal to their expected values under the model (dark cell exp(beta[0]))."""
    design = full_design(k).astype(float)[:, list(LogLinearModel(k).parameters)]
    nbcap = np.array([c.bit_count() for c in range(1, 2**k)])
    eta = design @ np.asarray(beta) + heterogeneity_columns(kind, nbcap, k) @ np.asarray(tau)
    counts = np.rint(np.exp(eta)).astype(np.int64)
    table = CaptureTable(tuple(f"L{i}" for i in range(k)), counts)
    return table, table.observed + float(np.exp(beta[0]))


@pytest.mark.parametrize(
    ("kind", "tau"),
    [(H.POISSON2, [0.3]), (H.DARROCH, [0.6]), (H.GAMMA35, [4.0]), (H.CHAO, [0.5, 0.8, 0.4])],
)
def test_data_exactly_from_the_model_give_back_n_and_tau(
    kind: Heterogeneity, tau: list[float]
) -> None:
    beta = [np.log(1e6), -1.2, -1.5, -1.0, -1.8, -1.4]
    table, total = _expected_table(5, beta, kind, tau)
    f = fit_heterogeneity(table, kind)
    assert abs(f.estimate / total - 1) < 1e-4
    assert np.allclose(f.tau, tau, rtol=1e-2, atol=1e-3)
    assert f.low < total < f.high
    assert f.dropped == () and f.warnings == ()


def test_mh_on_data_from_mh_gives_back_n() -> None:
    table, total = _expected_table(4, [np.log(5e5), -1.3, -1.3, -1.3, -1.3], H.DARROCH, [0.5])
    f = fit_heterogeneity(table, H.DARROCH, common=True)
    assert f.name == "Mh Darroch" and f.df == 15 - 3
    assert abs(f.estimate / total - 1) < 1e-4


def test_without_heterogeneity_the_models_fall_back_to_mt() -> None:
    table, _ = _expected_table(5, [np.log(1e6), -1.2, -1.5, -1.0, -1.8, -1.4], H.NONE, [])
    mt = fit_or_raise(LogLinearModel(5), table.counts).total
    for kind in (H.POISSON2, H.DARROCH, H.GAMMA35):
        f = fit_heterogeneity(table, kind)
        assert abs(f.estimate / mt - 1) < 1e-4
        assert abs(f.tau[0]) < 1e-3
    drawn = simulate_table(SETTINGS[0], 20_000, np.random.default_rng(7))
    mt_drawn = fit_heterogeneity(drawn, H.NONE).estimate
    assert abs(mt_drawn / 20_000 - 1) < 0.03
    for kind in (H.POISSON2, H.DARROCH):
        assert abs(fit_heterogeneity(drawn, kind).estimate / mt_drawn - 1) < 0.05


def test_negative_tau_is_kept_and_said() -> None:
    table, _ = _expected_table(4, [np.log(1e5), -1.0, -1.2, -0.8, -1.1], H.DARROCH, [-0.3])
    f = fit_heterogeneity(table, H.DARROCH)
    assert f.tau[0] < 0
    assert any("no heterogeneity" in w for w in f.warnings)
    assert f.estimate < fit_heterogeneity(table, H.NONE).estimate


def test_two_lists_are_refused_with_a_reason() -> None:
    table = CaptureTable(("a", "b"), np.array([100, 80, 20], dtype=np.int64))
    with pytest.raises(HeterogeneityError, match="at least 3 lists"):
        fit_heterogeneity(table, H.DARROCH)
    assert [f.name for f in closedp(table)] == ["M0", "Mt"]


def test_a_zero_cell_still_fits_but_an_empty_list_has_no_estimate() -> None:
    counts = DIABETES.counts.copy()
    counts[-1] = 0  # nobody on all four lists
    f = fit_heterogeneity(DIABETES.with_counts(counts), H.POISSON2)
    assert np.isfinite(f.estimate) and f.estimate > DIABETES.observed - 10
    empty = DIABETES.counts.copy()
    empty[[c - 1 for c in range(1, 16) if c & 0b1000]] = 0  # the fourth list records no one
    with pytest.raises(EstimateDoesNotExist, match="does not exist"):
        fit_heterogeneity(DIABETES.with_counts(empty), H.DARROCH)


def test_nobody_on_two_lists_has_no_estimate() -> None:
    counts = np.zeros(7, dtype=np.int64)
    counts[[0, 1, 3]] = (40, 30, 20)
    with pytest.raises(EstimateDoesNotExist):
        fit_heterogeneity(CaptureTable(("a", "b", "c"), counts), H.CHAO)


def test_closedp_lists_rcaptures_ten_loglinear_rows() -> None:
    names = [f.name for f in closedp(DIABETES)]
    assert names[:2] == ["M0", "Mt"]
    assert names[2:6] == ["Mh Chao (LB)", "Mh Poisson2", "Mh Darroch", "Mh Gamma3.5"]
    assert names[6:] == ["Mth Chao (LB)", "Mth Poisson2", "Mth Darroch", "Mth Gamma3.5"]


def test_mh_takes_no_interactions() -> None:
    with pytest.raises(HeterogeneityError, match="no list interactions"):
        fit_heterogeneity(
            DIABETES, H.DARROCH, common=True, model=parse_model("[12]", DIABETES.lists)
        )


def test_lower_bound_with_no_one_on_every_list_drops_that_eta_instead_of_failing() -> None:
    table, _ = _expected_table(
        5, [np.log(2e4), -1.2, -1.5, -1.0, -1.8, -1.4], H.CHAO, [0.3, 0.2, 0.1]
    )
    counts = table.counts.copy()
    counts[-1] = 0  # the history on all five lists
    f = fit_heterogeneity(table.with_counts(counts), H.CHAO)
    assert "eta5" in f.dropped
    assert np.isfinite(f.estimate) and f.high > f.estimate > f.low


def test_darroch_on_all_two_list_interactions_is_refused_as_not_identifiable() -> None:
    every_pair = parse_model("[12,13,14,23,24,34]", DIABETES.lists)
    with pytest.raises(HeterogeneityError, match="sum of all two-list"):
        fit_heterogeneity(DIABETES, H.DARROCH, model=every_pair)
    assert fit_heterogeneity(DIABETES, H.GAMMA35, model=every_pair).df == 15 - 12


def test_on_logit_normal_visibility_mt_misses_and_the_models_bracket_the_truth() -> None:
    """The case the models are for: each child's visibility varies, the same way everywhere."""
    rng = np.random.default_rng(1)
    n = 20_000
    z = rng.standard_normal(n)
    base = np.array([-1.8, -1.5, -1.3, -1.1, -0.9])
    caught = rng.random((n, 5)) < 1 / (1 + np.exp(-(base + z[:, None])))
    counts = np.bincount(caught @ (1 << np.arange(5)), minlength=32)[1:]
    table = CaptureTable(tuple("abcde"), counts.astype(np.int64))
    mt = fit_heterogeneity(table, H.NONE)
    darroch = fit_heterogeneity(table, H.DARROCH)
    gamma = fit_heterogeneity(table, H.GAMMA35)
    assert mt.high < n and mt.estimate < 0.85 * n
    assert abs(darroch.estimate / n - 1) < 0.06
    assert gamma.estimate > n and darroch.tau[0] > 0 and gamma.tau[0] > 0
    assert mt.low <= n <= gamma.high
