"""What search before create scores with: the model's comparisons, their levels and parameters.

The comparisons are those of :mod:`lantern.recordlinkage.model` that a single query can
carry (names, birth, sex, citizenship, home place, identity), with the same levels in the
same order, so m-probabilities of a trained splink model line up with them level by level
(:func:`splink_m_probabilities`). Until a model is trained, and for u, the priors here stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Records a value's frequency leaves out: the candidate (a query is not in the index, so one
#: fewer than batch linkage's ``model.TF_LEAVE_OUT``).
SEARCH_TF_LEAVE_OUT = 1
#: Random pairs that u-probabilities are estimated from.
U_SAMPLE_PAIRS = 200_000


@dataclass(frozen=True, slots=True)
class _Comparison:
    """A comparison of the model: its name (splink's output column), field label and levels."""

    name: str
    label: str
    levels: tuple[str, ...]  # non-null levels, strongest first, as in lantern.recordlinkage.model
    m_prior: tuple[float, ...]


COMPARISONS: tuple[_Comparison, ...] = (
    _Comparison(
        "given_name",
        "given name",
        (
            "same as written",
            "same romanised",
            "same sound",
            "same canonical name",
            "same consonant skeleton",
            "similar spelling",
            "swapped with family name, same romanised",
            "swapped with family name",
            "nickname matches given name",
            "somewhat similar spelling",
            "different",
        ),
        (0.45, 0.15, 0.1, 0.03, 0.12, 0.05, 0.03, 0.02, 0.03, 0.05, 0.05),
    ),
    _Comparison(
        "family_name",
        "family name",
        (
            "same as written",
            "same romanised",
            "same sound",
            "same consonant skeleton",
            "similar spelling",
            "swapped with given name, same romanised",
            "swapped with given name",
            "somewhat similar spelling",
            "different",
        ),
        (0.45, 0.15, 0.1, 0.12, 0.05, 0.03, 0.02, 0.05, 0.05),
    ),
    _Comparison(
        "birth",
        "birth",
        (
            "same documented date",
            "documented dates one character apart",
            "within a year",
            "within 2.5 years",
            "within 5 years",
            "different",
        ),
        (0.3, 0.05, 0.4, 0.15, 0.05, 0.05),
    ),
    _Comparison("sex", "sex", ("same", "different"), (0.95, 0.05)),
    _Comparison("citizenship", "citizenship", ("shared", "different"), (0.95, 0.05)),
    _Comparison(
        "place",
        "home place",
        ("same district", "same province", "same country", "different"),
        (0.6, 0.2, 0.15, 0.05),
    ),
    _Comparison(
        "identity",
        "identity number",
        ("same", "one character apart", "different"),
        (0.85, 0.1, 0.05),
    ),
)
#: u a level has among unrelated children before the index says otherwise: rough values for a
#: national register, worth :data:`U_PRIOR_PAIRS` random pairs. A large index outweighs them;
#: a new installation with a few records leans on them instead of on a handful of pairs.
U_PRIOR: dict[str, tuple[float, ...]] = {
    "given_name": (0.002, 0.001, 0.001, 0.001, 0.003, 0.004, 0.0005, 0.002, 0.001, 0.03, 0.955),
    "family_name": (0.004, 0.002, 0.002, 0.006, 0.004, 0.0005, 0.002, 0.03, 0.95),
    "birth": (0.0002, 0.0005, 0.1, 0.15, 0.25, 0.4993),
    "sex": (0.5, 0.5),
    "citizenship": (0.5, 0.5),
    "place": (0.02, 0.1, 0.5, 0.38),
    "identity": (0.0001, 0.0001, 0.9998),
}
U_PRIOR_PAIRS = 1000.0

#: Levels whose u is replaced by the frequency of the agreed value (term-frequency adjustment).
TF_LEVELS: dict[str, dict[int, str]] = {
    "given_name": {1: "given_latin", 2: "given_latin", 3: "given_sound"},
    "family_name": {1: "family_latin", 2: "family_latin", 3: "family_sound"},
    "place": {1: "city"},
}


@dataclass(frozen=True, slots=True)
class ModelParameters:
    """m and u of every non-null level, and lambda, the prior that two records match."""

    m: dict[str, FloatArray]
    u: dict[str, FloatArray]
    prior: float

    def weights(self) -> dict[str, FloatArray]:
        """log2 Bayes factor of each level, with a leading 0 for the null level."""
        return {
            c.name: np.concatenate(([0.0], np.log2(self.m[c.name] / self.u[c.name])))
            for c in COMPARISONS
        }


def splink_m_probabilities(model: Mapping[str, Any] | None) -> dict[str, FloatArray]:
    """m of each comparison from a splink model (JSON), where its levels line up with ours.

    A comparison whose number of levels differs (the model was changed since) keeps its
    priors: a wrong alignment would be worse than a prior.
    """
    found: dict[str, FloatArray] = {}
    by_name = {c.get("output_column_name"): c for c in (model or {}).get("comparisons", [])}
    for comparison in COMPARISONS:
        levels = [
            level
            for level in by_name.get(comparison.name, {}).get("comparison_levels", [])
            if not level.get("is_null_level")
        ]
        m = [level.get("m_probability") for level in levels]
        if len(m) == len(comparison.levels) and all(isinstance(v, int | float) for v in m):
            found[comparison.name] = np.clip(np.asarray(m, dtype=float), 1e-6, 1.0)
    return found
