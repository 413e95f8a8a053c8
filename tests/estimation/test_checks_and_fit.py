"""Existence / identifiability verdicts (CSV 2021 Tables 2-3) and the core fit vs statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from lantern.estimation import (
    EstimateDoesNotExist,
    NotIdentifiable,
    Verdict,
    check_model,
    estimate,
    hierarchical_models,
    parse_model,
)
from lantern.estimation.fit import Fit, fit_model, full_design, mle_exists_lp
from tests.estimation._reference import table

# README: all three two-list terms -> not identifiable; AB alone, or AB with AC or BC -> the MLE
# does not exist; main effects, or AC and/or BC without AB -> both checks pass.
ARTIFICIAL_3 = {
    "main": Verdict.OK,
    "A:C": Verdict.OK,
    "B:C": Verdict.OK,
    "A:C+B:C": Verdict.OK,
    "A:B": Verdict.NO_MLE,
    "A:B+A:C": Verdict.NO_MLE,
    "A:B+B:C": Verdict.NO_MLE,
    "A:B+A:C+B:C": Verdict.NOT_IDENTIFIABLE,
}


@pytest.mark.parametrize(("model", "verdict"), ARTIFICIAL_3.items())
def test_artificial_3_verdicts(model: str, verdict: Verdict) -> None:
    t = table("Artificial_3")
    m = parse_model(model, t.lists)
    assert check_model(m, t.counts) == verdict
    fitted = fit_model(m, t.counts)
    assert (fitted == verdict) if verdict else isinstance(fitted, Fit)


def test_failed_checks_raise_with_the_model_named() -> None:
    t = table("Artificial_3")
    with pytest.raises(EstimateDoesNotExist, match=r"\[12,3\].*does not exist"):
        estimate(t, "fixed", model="A:B")
    with pytest.raises(NotIdentifiable, match=r"\[12,13,23\].*not identifiable"):
        estimate(t, "fixed", model="[12,13,23]")


def test_fast_existence_shortcut_agrees_with_the_lp_on_every_model() -> None:
    """The fit's positivity certificate must never call a model valid that the LP rejects."""
    t = table("UKdat_5")
    for m in hierarchical_models(5, 3)[::7]:
        res = fit_model(m, t.counts)
        assert isinstance(res, Fit) == (check_model(m, t.counts) == Verdict.OK)


def test_lp_detects_a_zero_margin_face() -> None:
    X = np.array([[1.0, 1, 0], [1, 0, 1], [1, 1, 1]])
    assert mle_exists_lp(X, np.array([3.0, 2, 1]))
    assert not mle_exists_lp(X, np.array([3.0, 2, 0]))


@pytest.mark.parametrize(("name", "model"), [("Kosovo", "[123,14,34]"), ("UKdat_5", "[12,25,34]")])
def test_fit_matches_statsmodels_glm(name: str, model: str) -> None:
    t = table(name)
    m = parse_model(model, t.lists)
    ours = fit_model(m, t.counts)
    assert isinstance(ours, Fit)
    X = full_design(t.k)[:, list(m.parameters)].astype(float)
    ref = sm.GLM(t.counts.astype(float), X, family=sm.families.Poisson()).fit(tol=1e-12)
    np.testing.assert_allclose(ours.beta, ref.params, rtol=1e-7, atol=1e-9)
    assert ours.intercept_var == pytest.approx(ref.cov_params()[0, 0], rel=1e-6)
    assert ours.loglik == pytest.approx(ref.llf, rel=1e-9)


def test_minus_infinity_pairs_drop_their_cells() -> None:
    t = table("Artificial_3")
    res = fit_model(parse_model("A:C+B:C", t.lists), t.counts)
    assert isinstance(res, Fit)
    assert len(res.minus_infinity) == 2
    # cells holding A and C, or B and C, are fixed at zero
    for cell in (0b101, 0b110, 0b111):
        assert res.fitted[cell - 1] == 0


def test_catalogue_sizes() -> None:
    # Rcapture: 1,024 five-list models at order 2 and 32,768 six-list models (README).
    assert len(hierarchical_models(3, 2)) == 8
    assert len(hierarchical_models(4, 2)) == 64
    assert len(hierarchical_models(5, 2)) == 1024
    # r-reference: 113 candidate four-list models at order 3 on Kosovo, where all pass.
    assert len(hierarchical_models(4, 3)) == 113
