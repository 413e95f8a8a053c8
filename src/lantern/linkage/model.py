"""The splink model for child records: comparisons, blocking and training rules.

Every comparison reads columns made by :mod:`lantern.linkage.prepare`. Names are compared
from the strongest agreement down (as written, romanised, nickname-canonical, consonant
skeleton, fuzzy), with a level for names written in each other's field (order swaps) and
term-frequency adjustment, so that two records agreeing on a rare name count for more than
two agreeing on a common one. Birth compares a documented date exactly but an estimate only
within bands, because stated ages and guessed dates of trafficked children are often wrong.

Blocking uses only the capped keys of :data:`lantern.linkage.prepare.BLOCKING_KEYS`, so the
number of pairs grows linearly with the data, never quadratically.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.linker import Linker

from lantern.linkage.prepare import BLOCKING_KEYS

#: How many random pairs u-probabilities are estimated from (bounded, whatever N).
U_MAX_PAIRS = 1_000_000
#: At most this many blocked pairs feed each EM session.
EM_MAX_PAIRS = 500_000


def _name_comparison(field: str, other: str) -> cl.CustomComparison:
    """Given or family name: exact levels carry term-frequency adjustment on the romanised key."""
    latin = f"{field}_latin"
    levels: list[Any] = [
        cll.NullLevel(latin),
        cll.ExactMatchLevel(f"{field}_written").configure(
            tf_adjustment_column=latin, label_for_charts="same as written"
        ),
        cll.ExactMatchLevel(latin).configure(
            tf_adjustment_column=latin, label_for_charts="same romanised"
        ),
    ]
    if field == "given":
        levels.append(
            cll.ExactMatchLevel("given_canon").configure(label_for_charts="same canonical name")
        )
    levels += [
        cll.ExactMatchLevel(f"{field}_skel").configure(label_for_charts="same consonant skeleton"),
        cll.JaroWinklerLevel(latin, 0.9),
        cll.CustomLevel(
            f"{field}_skel_l = {other}_skel_r", label_for_charts=f"swapped with {other} name"
        ),
    ]
    if field == "given":
        levels.append(
            cll.CustomLevel(
                "(nickname_latin_l = given_canon_r OR given_canon_l = nickname_latin_r)",
                label_for_charts="nickname matches given name",
            )
        )
    levels += [cll.JaroWinklerLevel(latin, 0.75), cll.ElseLevel()]
    return cl.CustomComparison(levels, output_column_name=f"{field}_name")


def _birth_comparison() -> cl.CustomComparison:
    """Exact documented dates, then bands on the decimal birth-year estimate."""
    return cl.CustomComparison(
        [
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="same documented date"),
            cll.And(cll.LevenshteinLevel("dob", 1), cll.AbsoluteDifferenceLevel("birth_year", 1)),
            cll.AbsoluteDifferenceLevel("birth_year", 1.05),
            cll.AbsoluteDifferenceLevel("birth_year", 2.5),
            cll.AbsoluteDifferenceLevel("birth_year", 5),
            cll.ElseLevel(),
        ],
        output_column_name="birth",
    )


def _place_comparison() -> cl.CustomComparison:
    """Home place from district down to country; unknown only when nothing is known."""
    unknown = " AND ".join(
        f"({column}_l IS NULL OR {column}_r IS NULL)" for column in ("city", "state", "country")
    )
    return cl.CustomComparison(
        [
            cll.CustomLevel(unknown, label_for_charts="place unknown").configure(
                is_null_level=True
            ),
            cll.ExactMatchLevel("city").configure(tf_adjustment_column="city"),
            cll.ExactMatchLevel("state"),
            cll.ExactMatchLevel("country"),
            cll.ElseLevel(),
        ],
        output_column_name="place",
    )


def comparisons() -> list[cl.CustomComparison | Any]:
    """All comparisons of the child-record model."""
    return [
        _name_comparison("given", "family"),
        _name_comparison("family", "given"),
        _birth_comparison(),
        cl.ExactMatch("sex"),
        cl.ArrayIntersectAtSizes("citizenship", [1]),
        _place_comparison(),
        cl.CustomComparison(
            [
                cll.NullLevel("street"),
                cll.ExactMatchLevel("street").configure(tf_adjustment_column="street"),
                cll.JaroWinklerLevel("street", 0.88),
                cll.ElseLevel(),
            ],
            output_column_name="street",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("postcode"),
                cll.ExactMatchLevel("postcode"),
                cll.LevenshteinLevel("postcode", 1),
                cll.ElseLevel(),
            ],
            output_column_name="postcode",
        ),
        cl.CustomComparison(
            [
                cll.NullLevel("identity"),
                cll.ExactMatchLevel("identity"),
                cll.LevenshteinLevel("identity", 1),
                cll.ElseLevel(),
            ],
            output_column_name="identity",
        ),
    ]


def blocking_rules() -> list[Any]:
    """One rule per capped blocking key."""
    return [block_on(key.name) for key in BLOCKING_KEYS]


def settings(probability_two_random_records_match: float = 1e-4) -> SettingsCreator:
    """Splink settings for deduplicating child records across and within agencies."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["agency", "source_record_id"],
        max_iterations=20,
        em_convergence=1e-3,
    )


def train(linker: Linker, seed: int = 1) -> None:
    """Estimate the model: lambda from near-certain rules, u by bounded random sampling, m by EM.

    EM runs twice, each on a sample of at most ``EM_MAX_PAIRS`` blocked pairs: blocking on
    both name skeletons trains everything but names; blocking on birth year and home district
    trains the names. Splink leaves out of each session the comparisons its rule uses.
    """
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("blk_name", "dob"), block_on("blk_identity")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed)
    for rule in (block_on("given_skel", "family_skel"), block_on("birth_year_int", "city")):
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )
