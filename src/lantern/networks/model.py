"""The splink model for perpetrator records: comparisons, blocking, training rules, priors.

Built as :mod:`lantern.recordlinkage.model` builds the children's: every level starts from a
prior m-probability (and here a prior u-probability too, measured on simulated worlds), so a
register too small to train on (:data:`MIN_RECORDS_TO_TRAIN`) is still scored sensibly, and a
larger one's EM starts near a sensible model. Disagreement levels keep their prior m: one
person's records disagree on a phone (a new SIM) or a place more often than EM, trained on
the pairs it can see, would believe.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

#: Prior share of record pairs that match (lambda is then fitted to the scored pairs).
START_PRIOR = 1e-3
#: Share of a name's term-frequency adjustment applied (as for children's names).
NAME_TF_WEIGHT = 0.5
#: Fewer records than this: the priors stand (u and m are not estimated from so few pairs).
MIN_RECORDS_TO_TRAIN = 300
#: EM sessions: blocked on what mostly pairs one person's records.
EM_RULES: tuple[str, ...] = (
    "l.phone = r.phone",
    "l.given_skel = r.given_skel AND l.family_skel = r.family_skel",
    "l.case_key = r.case_key AND l.role = r.role",
)
#: An EM session needs at least this many blocked pairs to be worth running.
EM_MIN_PAIRS = 30


def _level(level: Any, m: float, u: float, label: str | None = None, fixed: bool = False) -> Any:
    options: dict[str, Any] = {"m_probability": m, "u_probability": u}
    if fixed:
        options["fix_m_probability"] = True
    if label:
        options["label_for_charts"] = label
    return level.configure(**options)


def _tf(level: Any, column: str) -> Any:
    return level.configure(tf_adjustment_column=column, tf_adjustment_weight=NAME_TF_WEIGHT)


def _given() -> cl.CustomComparison:
    """The given name as written, romanised, by sound, skeleton, or swapped with the family."""
    swapped = "given_skel_l = family_skel_r AND family_skel_l = given_skel_r"
    return cl.CustomComparison(
        [
            cll.NullLevel("given_latin"),
            _level(
                _tf(cll.ExactMatchLevel("given_written"), "given_latin"), 0.4, 1e-3, "as written"
            ),
            _level(_tf(cll.ExactMatchLevel("given_latin"), "given_latin"), 0.2, 1e-3, "romanised"),
            _level(cll.ExactMatchLevel("given_sound"), 0.1, 1.5e-3, "same sound"),
            _level(_tf(cll.ExactMatchLevel("given_skel"), "given_skel"), 0.1, 5e-3, "skeleton"),
            _level(cll.JaroWinklerLevel("given_latin", 0.9), 0.05, 4e-3),
            _level(cll.CustomLevel(swapped), 0.03, 1e-4, "given and family swapped"),
            _level(cll.JaroWinklerLevel("given_latin", 0.75), 0.05, 0.04),
            _level(cll.ElseLevel(), 0.07, 0.94, fixed=True),
        ],
        output_column_name="given_name",
    )


def _family() -> cl.CustomComparison:
    swapped = "family_skel_l = given_skel_r AND given_skel_l = family_skel_r"
    return cl.CustomComparison(
        [
            cll.NullLevel("family_latin"),
            _level(
                _tf(cll.ExactMatchLevel("family_written"), "family_latin"), 0.5, 5e-3, "as written"
            ),
            _level(
                _tf(cll.ExactMatchLevel("family_latin"), "family_latin"), 0.2, 4e-3, "romanised"
            ),
            _level(_tf(cll.ExactMatchLevel("family_skel"), "family_skel"), 0.1, 6e-3, "skeleton"),
            _level(cll.JaroWinklerLevel("family_latin", 0.88), 0.05, 2e-3),
            _level(cll.CustomLevel(swapped), 0.03, 1e-4, "swapped with given"),
            _level(cll.ElseLevel(), 0.12, 0.98, fixed=True),
        ],
        output_column_name="family_name",
    )


def _alias() -> cl.CustomComparison:
    """Aliases agree, or one record's alias is the other's given name; silent otherwise.

    The crossed level keeps its prior m: EM sees few such pairs and may drive it to 0, which
    would make an alias written as a name proof of two people.
    """
    crossed = "(alias_skel_l = given_skel_r OR given_skel_l = alias_skel_r)"
    unknown = f"(alias_skel_l IS NULL OR alias_skel_r IS NULL) AND NOT coalesce({crossed}, false)"
    return cl.CustomComparison(
        [
            cll.CustomLevel(unknown).configure(is_null_level=True, label_for_charts="unknown"),
            _level(_tf(cll.ExactMatchLevel("alias_latin"), "alias_latin"), 0.55, 0.1, "same alias"),
            _level(cll.ExactMatchLevel("alias_skel"), 0.15, 0.05, "alias, same skeleton"),
            _level(cll.CustomLevel(crossed), 0.1, 0.05, "alias written as the name", fixed=True),
            _level(cll.ElseLevel(), 0.2, 0.8, fixed=True),
        ],
        output_column_name="alias",
    )


def _simple(column: str, levels: list[tuple[Any, float, float]]) -> cl.CustomComparison:
    """An identifier or attribute: the disagreement level keeps its prior m."""
    last = len(levels) - 1
    return cl.CustomComparison(
        [
            cll.NullLevel(column),
            *(_level(level, m, u, fixed=i == last) for i, (level, m, u) in enumerate(levels)),
        ],
        output_column_name=column,
    )


def _place() -> cl.CustomComparison:
    unknown = " AND ".join(
        f"({c}_l IS NULL OR {c}_r IS NULL)" for c in ("city", "state", "country")
    )
    return cl.CustomComparison(
        [
            cll.CustomLevel(unknown).configure(is_null_level=True, label_for_charts="unknown"),
            _level(cll.ExactMatchLevel("city").configure(tf_adjustment_column="city"), 0.45, 0.1),
            _level(cll.ExactMatchLevel("state"), 0.2, 0.2),
            _level(cll.ExactMatchLevel("country"), 0.2, 0.45),
            _level(cll.ElseLevel(), 0.15, 0.25, fixed=True),
        ],
        output_column_name="place",
    )


def _case() -> cl.CustomComparison:
    """One case (or one linked child): the same role there is one person, another role not."""
    other_cases = "case_key_l IS NULL OR case_key_r IS NULL OR case_key_l <> case_key_r"
    return cl.CustomComparison(
        [
            cll.CustomLevel(other_cases).configure(
                is_null_level=True, label_for_charts="other cases"
            ),
            _level(cll.CustomLevel("role_l = role_r"), 0.9, 0.04, "same case, same role", True),
            _level(cll.ElseLevel(), 0.1, 0.96, "same case, other role", fixed=True),
        ],
        output_column_name="case",
    )


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """All comparisons of the perpetrator-record model."""
    exact = cll.ExactMatchLevel
    return [
        _given(),
        _family(),
        _alias(),
        _simple(
            "phone",
            [
                (exact("phone"), 0.6, 1e-4),
                (cll.LevenshteinLevel("phone", 1), 0.05, 1e-4),
                (cll.ElseLevel(), 0.35, 0.9998),
            ],
        ),
        _simple(
            "vehicle",
            [
                (exact("vehicle"), 0.8, 1e-3),
                (cll.LevenshteinLevel("vehicle", 1), 0.05, 5e-4),
                (cll.ElseLevel(), 0.15, 0.9985),
            ],
        ),
        _place(),
        _simple("role", [(exact("role"), 0.9, 0.33), (cll.ElseLevel(), 0.1, 0.67)]),
        _simple("sex", [(exact("sex"), 0.97, 0.6), (cll.ElseLevel(), 0.03, 0.4)]),
        _simple(
            "age",
            [
                (cll.AbsoluteDifferenceLevel("age", 3), 0.6, 0.15),
                (cll.AbsoluteDifferenceLevel("age", 8), 0.3, 0.2),
                (cll.ElseLevel(), 0.1, 0.65),
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
    """Splink settings for deduplicating perpetrator records across and within agencies."""
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
