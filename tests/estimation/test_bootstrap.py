"""BCa bootstrap against the R runs (1,000 replicates each, as in r-reference.csv)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from lantern.estimation import estimate
from tests.estimation._reference import close, rows, table

BCA = [r for r in rows() if "BCa" in r["method"]]
# Rows whose bootstrap distribution is smooth enough that two independent 1,000-replicate runs
# agree to 3% at the 95% ends; on the others (a choice between far-apart models in the tails)
# five of our seeds alone spread by 5-10%, so R's single run is held to 10% there.
STABLE = {
    ("Korea", "stepwise", ""),
    ("Kosovo", "stepwise", ""),
    ("UKdat_4", "stepwise", ""),
    ("Kosovo", "bic", "maxorder=3"),
    ("Kosovo", "bic", "maxorder=2"),
    ("UKdat_5", "bic", "maxorder=3"),
    ("UKdat_4", "bic", "maxorder=3"),
}


def _setup(row: dict[str, str]) -> tuple[str, dict[str, Any], str]:
    if row["package"].startswith("SparseMSE"):
        return "stepwise", {}, ""
    order = int(re.search(r"maxorder=(\d)", row["settings"]).group(1))  # type: ignore[union-attr]
    ntop = re.search(r"ntopmodels=(\w+)", row["settings"]).group(1)  # type: ignore[union-attr]
    kw = {"max_order": order, **({} if ntop == "Inf" else {"ntop": int(ntop)})}
    return "bic", kw, f"maxorder={order}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "row", BCA, ids=lambda r: f"{r['dataset']}-{r['package'][:9]}-{r['settings'][:10]}"
)
def test_bca_against_r(row: dict[str, str]) -> None:
    method, kw, tag = _setup(row)
    est = estimate(table(row["dataset"]), method, bootstrap=1000, seed=1234, **kw)
    assert close(est.estimate, float(row["estimate"]), 0.005)
    assert est.interval is not None and est.interval.method.startswith("BCa")
    found = re.search(r"ahat=(-?[0-9.]+)", row["notes"])
    if found:  # the jackknife is deterministic: acceleration must agree to SparseMSE's digits
        assert est.settings["acceleration"] == pytest.approx(float(found.group(1)), abs=5e-5)
    tol = 0.03 if (row["dataset"], method, tag) in STABLE else 0.10
    assert close(est.interval.low, float(row["lo95"]), tol)
    assert close(est.interval.high, float(row["hi95"]), tol)


def test_bootstrap_is_reproducible_and_widens_a_conditional_interval() -> None:
    t = table("Korea")
    a = estimate(t, "stepwise", bootstrap=200, seed=7)
    b = estimate(t, "stepwise", bootstrap=200, seed=7)
    normal = estimate(t, "stepwise")
    assert a.interval == b.interval
    assert a.interval is not None and normal.interval is not None
    # model choice flips between main effects (~142) and b:c (~269) across replicates
    assert a.interval.low < normal.interval.low
