"""What search before create scores with: the model's comparisons, their levels and parameters.

The comparisons are those of :mod:`lantern.recordlinkage.model` that a single query can
carry (names, birth, sex, citizenship, home place, identity), with the same levels in the
same order, so m-probabilities of a trained splink model line up with them level by level
(:func:`splink_m_probabilities`). Until a model is trained, and for u, the priors here stand.
The term-frequency adjusted levels and their weights are the model's too (:data:`TF_LEVELS`):
tests/recordlinkage/test_search_matches_splink.py holds the scores equal to splink's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from lantern.recordlinkage.name_comparisons import NAME_TF_WEIGHT

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


@dataclass(frozen=True, slots=True)
class FrequencyLevel:
    """A level adjusted by how common the agreed value is, as splink adjusts it: by
    ``weight * (log2(u_base) - log2(tf))``, ``u_base`` the u of the comparison's exact-match
    level on ``column`` (level ``base``) and ``tf`` the frequency of the more common of the two
    records' values in ``column`` (they differ on a swap). Levels count from 1, the strongest."""

    level: int
    column: str
    base: int
    weight: float = 1.0


def _name_frequency_levels(side: str) -> tuple[FrequencyLevel, ...]:
    """The adjusted levels of a name comparison, as
    :func:`~lantern.recordlinkage.name_comparisons.name_comparison` sets them."""
    latin, skel, w = f"{side}_latin", f"{side}_skel", NAME_TF_WEIGHT
    canon = (FrequencyLevel(4, "given_canon", 4, w),) if side == "given" else ()
    skel_level = 5 if side == "given" else 4  # the given name has the canonical level above
    return (
        FrequencyLevel(1, latin, 2, w),
        FrequencyLevel(2, latin, 2, w),
        FrequencyLevel(3, f"{side}_sound", 3, w),
        *canon,
        FrequencyLevel(skel_level, skel, skel_level, w),
        FrequencyLevel(skel_level + 2, latin, 2, w),  # swapped with the other name, romanised
        FrequencyLevel(skel_level + 3, skel, skel_level, w),  # swapped, by skeleton
    )


#: The term-frequency adjusted levels of each comparison (the model's, level for level).
TF_LEVELS: dict[str, tuple[FrequencyLevel, ...]] = {
    "given_name": _name_frequency_levels("given"),
    "family_name": _name_frequency_levels("family"),
    "birth": (FrequencyLevel(1, "dob", 1),),
    "place": (FrequencyLevel(1, "city", 1),),
}
#: Each adjusted column and the exact-match level on it, by comparison.
TF_COLUMNS: dict[str, tuple[str, int]] = {
    f.column: (name, f.base) for name, levels in TF_LEVELS.items() for f in levels
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
            c.name: np.concatenate(
                (
                    [0.0],
                    np.log2(
                        np.maximum(self.m[c.name], _CLAMP) / np.maximum(self.u[c.name], _CLAMP)
                    ),
                )
            )
            for c in COMPARISONS
        }

    @classmethod
    def from_splink(cls, model: Mapping[str, Any]) -> ModelParameters:
        """m, u and lambda of a trained splink model (its JSON), whose comparisons of these
        names have these levels; a level without m or u, or levels that do not line up, raise
        ``ValueError`` (a wrong alignment would score silently wrong)."""
        levels = _splink_levels(model)
        m, u = {}, {}
        for comparison in COMPARISONS:
            found = levels.get(comparison.name, [])
            values = [(level.get("m_probability"), level.get("u_probability")) for level in found]
            if len(values) != len(comparison.levels) or not all(
                isinstance(v, int | float) for pair in values for v in pair
            ):
                raise ValueError(f"the model's {comparison.name!r} levels do not line up")
            m[comparison.name] = np.array([v[0] for v in values], dtype=float)
            u[comparison.name] = np.array([v[1] for v in values], dtype=float)
        return cls(m=m, u=u, prior=float(model["probability_two_random_records_match"]))


#: Splink's floor on m and u before their ratio is taken.
_CLAMP = 1e-300


def _splink_levels(model: Mapping[str, Any] | None) -> dict[str, list[Mapping[str, Any]]]:
    """The non-null levels of each comparison of a splink model (JSON), strongest first."""
    return {
        comparison.get("output_column_name"): [
            level
            for level in comparison.get("comparison_levels", [])
            if not level.get("is_null_level")
        ]
        for comparison in (model or {}).get("comparisons", [])
    }


def splink_m_probabilities(model: Mapping[str, Any] | None) -> dict[str, FloatArray]:
    """m of each comparison from a splink model (JSON), where its levels line up with ours.

    A comparison whose number of levels differs (the model was changed since) keeps its
    priors: a wrong alignment would be worse than a prior.
    """
    found: dict[str, FloatArray] = {}
    levels = _splink_levels(model)
    for comparison in COMPARISONS:
        m = [level.get("m_probability") for level in levels.get(comparison.name, [])]
        if len(m) == len(comparison.levels) and all(isinstance(v, int | float) for v in m):
            found[comparison.name] = np.clip(np.asarray(m, dtype=float), 1e-6, 1.0)
    return found
