"""The splink model for child records: comparisons, blocking and training rules.

Every comparison reads columns made by :mod:`lantern.recordlinkage.features`. Names are compared
in :mod:`lantern.recordlinkage.name_comparisons`, with term-frequency adjustment, so that two
records agreeing on a rare name count for more than two agreeing on a common one. Birth
compares a documented date exactly but an estimate only within bands, because stated ages and
guessed dates of trafficked children are often wrong.

Blocking uses only the capped keys of :data:`lantern.recordlinkage.blocking.BLOCKING_KEYS`, so the
number of pairs grows linearly with the data, never quadratically.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.linker import Linker

from lantern.recordlinkage.blocking import BLOCKING_KEYS
from lantern.recordlinkage.name_comparisons import (
    joined_name_comparison,
    name_comparison,
    prior_level,
)

logger = logging.getLogger(__name__)

#: How many random pairs u-probabilities are estimated from (bounded, whatever N).
U_MAX_PAIRS = 1_000_000
#: At most this many blocked pairs feed each EM session.
EM_MAX_PAIRS = 250_000


def _birth_comparison() -> cl.CustomComparison:
    """Exact documented dates, then bands on the decimal birth-year estimate.

    The same date is adjusted by how common it is: registers write a guessed birth date as
    1 January of the estimated year (or another placeholder day) without saying it was
    guessed, so many children share it and agreeing on it says little, while agreeing on an
    ordinary day says much more than an average date's u would allow. (On the outside record
    sets of benchmarks/bench_linkage_plain.py, cluster F1 0.741 -> 0.772 heavy, 0.922 -> 0.927
    light; FEBRL and the simulation unchanged or better.)
    """
    return cl.CustomComparison(
        [
            cll.NullLevel("birth_year"),
            prior_level(
                cll.ExactMatchLevel("dob").configure(tf_adjustment_column="dob"),
                0.3,
                "same documented date",
            ),
            prior_level(
                cll.And(
                    cll.LevenshteinLevel("dob", 1), cll.AbsoluteDifferenceLevel("birth_year", 1)
                ),
                0.05,
                "documented dates one character apart",
            ),
            prior_level(cll.AbsoluteDifferenceLevel("birth_year", 1.05), 0.4),
            prior_level(cll.AbsoluteDifferenceLevel("birth_year", 2.5), 0.15),
            prior_level(cll.AbsoluteDifferenceLevel("birth_year", 5), 0.05),
            prior_level(cll.ElseLevel(), 0.05),
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
            cll.CustomLevel(unknown).configure(is_null_level=True, label_for_charts="unknown"),
            prior_level(cll.ExactMatchLevel("city").configure(tf_adjustment_column="city"), 0.6),
            prior_level(cll.ExactMatchLevel("state"), 0.2),
            prior_level(cll.ExactMatchLevel("country"), 0.15),
            prior_level(cll.ElseLevel(), 0.05),
        ],
        output_column_name="place",
    )


def _registration_comparison() -> cl.CustomComparison:
    """Days between registrations: one child's records cluster in time (referrals, rescues).

    Weak alone, it separates two children of one common name registered a year apart; EM
    learns how much it is worth, so an installation whose children return years later (re-
    trafficking) learns a flatter curve.
    """
    return cl.CustomComparison(
        [
            cll.NullLevel("registered"),
            prior_level(cll.AbsoluteDifferenceLevel("registered", 7), 0.15, "within a week"),
            prior_level(cll.AbsoluteDifferenceLevel("registered", 30), 0.3, "within a month"),
            prior_level(cll.AbsoluteDifferenceLevel("registered", 91), 0.25, "within a quarter"),
            prior_level(cll.AbsoluteDifferenceLevel("registered", 365), 0.25, "within a year"),
            # fixed: where no child returns after a year, EM drives it to 0 (splink then
            # refuses the model), and one returning child would be unlinkable ever after
            prior_level(cll.ElseLevel(), 0.05, "over a year apart", fixed=True),
        ],
        output_column_name="registered",
    )


def _simple(
    column: str,
    levels: list[tuple[Any, float]],
    fixed: bool = False,
    unknown: str | None = None,
) -> cl.CustomComparison:
    """An identifier's comparison. Its last level (disagreement) keeps its prior m: a child's
    records that EM trains on rarely disagree on an identifier, so EM drives that m to 0
    (splink then refuses the model), though a wrong or forged identifier is never impossible.

    ``unknown``: SQL for when the comparison says nothing (default: either side is null).
    """
    null = (
        cll.CustomLevel(unknown).configure(is_null_level=True, label_for_charts="unknown")
        if unknown
        else cll.NullLevel(column)
    )
    last = len(levels) - 1
    return cl.CustomComparison(
        [
            null,
            *(
                prior_level(level, m, fixed=fixed or i == last)
                for i, (level, m) in enumerate(levels)
            ),
        ],
        output_column_name=column,
    )


def comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    """All comparisons of the child-record model."""
    return [
        name_comparison("given", "family"),
        name_comparison("family", "given"),
        joined_name_comparison(),
        _birth_comparison(),
        # an agency records a child's sex wrongly about once in fifty records
        _simple("sex", [(cll.ExactMatchLevel("sex"), 0.98), (cll.ElseLevel(), 0.02)], fixed=True),
        _simple(
            "citizenship",
            [(cll.ArrayIntersectLevel("citizenship", 1), 0.95), (cll.ElseLevel(), 0.05)],
        ),
        _place_comparison(),
        _registration_comparison(),
        _simple(
            "street",
            [
                (cll.ExactMatchLevel("street").configure(tf_adjustment_column="street"), 0.8),
                (cll.JaroWinklerLevel("street", 0.88), 0.15),
                (cll.ElseLevel(), 0.05),
            ],
        ),
        _simple(
            "postcode",
            [
                (cll.ExactMatchLevel("postcode"), 0.85),
                (cll.LevenshteinLevel("postcode", 1), 0.1),
                (cll.ElseLevel(), 0.05),
            ],
        ),
        _simple(
            "identity",
            [
                (cll.ExactMatchLevel("identity"), 0.85),
                (cll.LevenshteinLevel("identity", 1), 0.1),
                (cll.ElseLevel(), 0.05),
            ],
        ),
        *_circumstance_comparisons(),
    ]


def _days_apart(column: str, unless_both_know: str | None = None) -> cl.CustomComparison:
    """Days between two records' dates of one journey step (agencies shift dates a little).

    ``unless_both_know``: an earlier step's date column; where both records know it, this
    step says nothing more (a child exploited the day after recruitment is so for all the
    children recruited with her: two dates of one journey would count one event twice).
    """
    unknown = f"{column}_l IS NULL OR {column}_r IS NULL"
    if unless_both_know:
        unknown += f" OR ({unless_both_know}_l IS NOT NULL AND {unless_both_know}_r IS NOT NULL)"
    return _simple(
        column,
        [
            (cll.AbsoluteDifferenceLevel(column, 3), 0.6),
            (cll.AbsoluteDifferenceLevel(column, 31), 0.15),
            (cll.AbsoluteDifferenceLevel(column, 366), 0.1),
            (cll.ElseLevel(), 0.15),
        ],
        unknown=unknown,
    )


def _shared(column: str, codes: int) -> Any:
    """Records share at least ``codes`` codes (code lists are sets of bits, see prepare)."""
    return cll.CustomLevel(
        f"bit_count({column}_l & {column}_r) >= {codes}", base_dialect_str="duckdb"
    )


def _shared_codes(column: str) -> cl.CustomComparison:
    """Codes two records share (vulnerabilities, means of control): more shared, more alike."""
    return _simple(
        column,
        [
            (_shared(column, 3), 0.45),
            (_shared(column, 2), 0.25),
            (_shared(column, 1), 0.2),
            (cll.ElseLevel(), 0.1),
        ],
    )


def _circumstance_comparisons() -> list[cl.CustomComparison]:
    """What happened to the child, as each agency wrote it: when recruited and first exploited,
    where, in what form, at what age, how recruited, by whom, how controlled, and why
    vulnerable. Each is weak alone, but two children of one common name rarely agree on many.
    Exploitation is often progressive, so a later record may know more forms than an earlier
    one: forms agree when they share one."""
    exact = cll.ExactMatchLevel
    return [
        _days_apart("recruited"),
        _days_apart("exploited", unless_both_know="recruited"),
        _simple(
            "destination",
            [(exact("destination"), 0.85), (cll.ElseLevel(), 0.15)],
        ),
        _simple("forms", [(_shared("forms", 1), 0.9), (cll.ElseLevel(), 0.1)]),
        _simple(
            "age_trafficked",
            [
                (exact("age_trafficked"), 0.7),
                (cll.AbsoluteDifferenceLevel("age_trafficked", 1), 0.2),
                (cll.ElseLevel(), 0.1),
            ],
        ),
        _simple("recruitment_method", [(exact("recruitment_method"), 0.9), (cll.ElseLevel(), 0.1)]),
        _simple("relationship", [(exact("relationship"), 0.9), (cll.ElseLevel(), 0.1)]),
        _shared_codes("control"),
        _shared_codes("vulnerabilities"),
    ]


def blocking_rules() -> list[Any]:
    """One rule per capped blocking key."""
    return [
        block_on(key.name, arrays_to_explode=[key.name]) if key.explode else block_on(key.name)
        for key in BLOCKING_KEYS
    ]


def settings(probability_two_random_records_match: float = 1e-4) -> SettingsCreator:
    """Splink settings for deduplicating child records across and within agencies."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["agency", "source_record_id", "row_id"],
        # from the priors EM settles within a few iterations; 8 instead of 20 changed cluster
        # F1 by < 0.002 on six simulated worlds and saves seconds per session at 1M records
        max_iterations=8,
        em_convergence=1e-3,
    )


#: EM sessions, each blocking on fields that mostly pair records of the same child. Splink
#: leaves out of a session the comparisons its rule uses, and averages each m-probability over
#: the sessions that estimated it; levels no session reaches keep their prior.
EM_RULES: tuple[str, ...] = (
    "l.identity = r.identity",  # trains names, birth, sex, place, registration
    # the same full name born the same year: trains sex, citizenship, place, registration.
    # Written on birth_year, not its integer band, so that splink leaves birth out of it.
    "l.name_key = r.name_key AND round(l.birth_year) = round(r.birth_year)",
    "l.dob = r.dob",  # trains names, sex, place, registration
)
#: The columns each EM rule blocks on (to count its pairs before running it).
EM_RULE_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("identity",),
    ("name_key", "birth_year_int"),
    ("dob",),
)
#: An EM session needs at least this many blocked pairs to be worth running.
EM_MIN_PAIRS = 50


def blocked_pairs(frame: pd.DataFrame, columns: Sequence[str]) -> int:
    """How many pairs blocking on equal ``columns`` makes (nulls never agree)."""
    sizes = frame.dropna(subset=list(columns)).groupby(list(columns)).size().to_numpy()
    return int((sizes.astype(np.int64) * (sizes - 1) // 2).sum())


def em_rule_pairs(connection: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    """Pairs each of :data:`EM_RULES` would block, counted in SQL (no frame in memory)."""
    counts = []
    for columns in EM_RULE_COLUMNS:
        known = " AND ".join(f"{column} IS NOT NULL" for column in columns)
        found = connection.execute(
            f"SELECT coalesce(sum(n * (n - 1) // 2), 0)::BIGINT FROM (SELECT count(*) AS n "
            f"FROM {table} WHERE {known} GROUP BY {', '.join(columns)})"
        ).fetchall()[0]
        counts.append(int(found[0]))
    return counts


def train(linker: Linker, rule_pairs: Sequence[int], seed: int = 1) -> None:
    """Estimate u by bounded random sampling and m by EM (lambda: :func:`match_prior`).

    Each EM session runs on a sample of at most ``EM_MAX_PAIRS`` blocked pairs and starts from
    the prior m-probabilities of the comparisons, so the cost is bounded whatever N is.
    ``rule_pairs`` are the blocked pairs of each of :data:`EM_RULES`; a rule with too few is
    skipped.
    """
    training = linker.training
    training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed, num_chunks=1)
    for rule, pairs in zip(EM_RULES, rule_pairs, strict=True):
        if pairs < EM_MIN_PAIRS:
            continue
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
            )
        except ValueError as error:
            # splink refuses an m EM drove to 0 (a level no match shows in these records);
            # the session's m are dropped and the other sessions' and the priors stand
            if "below the minimum allowed" not in str(error):
                raise
            logger.warning("EM session %r not used: %s", rule, error)


#: Records a value's term frequency leaves out: the two being compared. Splink counts a value
#: over all records, so a name held only by the two records of one child (recorded by two
#: agencies) counts as held by two children, and agreeing on it is penalised as if it were
#: shared; the u of agreeing on a value is the chance that *another* record holds it.
TF_LEAVE_OUT = 2


def term_frequency_bases(linker: Linker) -> dict[str, float]:
    """The u splink measures each term-frequency column's adjustment from, by column.

    Splink adjusts a level by ``log2(u_base / tf)``, where ``u_base`` is the u of the exact
    level on the same column. When that level sits below another (the romanised name below
    the name as written), its u counts only the pairs the level above missed, far fewer than
    agree on the column, and every agreement is penalised as if the value were common.
    """
    bases: dict[str, float] = {}
    for comparison in linker._settings_obj.comparisons:
        levels = comparison.comparison_levels
        for level in levels:
            if level._has_tf_adjustments and not level.is_null_level:
                column = level._tf_adjustment_input_column.unquote().name
                bases[column] = float(level._u_probability_corresponding_to_exact_match(levels))
    return bases


def register_term_frequencies(
    linker: Linker, connection: duckdb.DuckDBPyConnection, table: str
) -> None:
    """Term-frequency lookups of ``table``, registered in place of splink's own counts.

    Each value's count leaves out :data:`TF_LEAVE_OUT` records (never below one record), and
    the lookup is scaled so that agreeing on a value weighs ``log2(U / tf)``, U being the
    chance that two random records agree on the column at all (the sum of squared shares):
    a rare value counts for more than an average one, a common one for less, whatever level
    splink's ``u_base`` comes from (:func:`term_frequency_bases`). Call it after training.
    """
    db_api = linker._db_api
    for column, base in term_frequency_bases(linker).items():
        lookup = connection.sql(
            f"WITH counts AS (SELECT {column}, count(*)::DOUBLE AS n FROM {table} "
            f"WHERE {column} IS NOT NULL GROUP BY {column}), "
            f"whole AS (SELECT sum(n) AS total, sum(n * n) AS squares FROM counts) "
            f"SELECT {column}, greatest(n - {TF_LEAVE_OUT}, 1) / total "
            f"* ({base!r} * total * total / squares) AS tf_{column} FROM counts, whole"
        ).to_arrow_table()
        if lookup.num_rows == 0:  # no record holds a value: the level never applies
            continue
        registered = db_api.register(
            lookup.to_pandas() if db_api.sql_dialect.sql_dialect_str == "spark" else lookup
        )
        linker.table_management.register_term_frequency_lookup(registered, column)


def log2_odds(probability: float) -> float:
    """Match weight of a probability (log2 of its odds)."""
    return float(np.log2(probability / (1.0 - probability)))


def match_prior(
    evidence: np.ndarray, total_pairs: int, start: float = 1e-4, tolerance: float = 1e-9
) -> float:
    """The share of all record pairs that match (lambda), by EM on lambda alone.

    ``evidence`` is each scored pair's summed log2 Bayes factor (match weight without the
    prior). Given m and u, lambda's EM update is the expected number of matches over all
    pairs: the mean posterior. Pairs not scored (not blocked, or with evidence below zero)
    contribute almost nothing. This needs no deterministic rule whose recall must be guessed,
    which fails on sparse records where few pairs share a date of birth or an identity number.
    """
    if total_pairs <= 0 or len(evidence) == 0:
        return start
    prior = start
    for _ in range(200):
        posterior = 1.0 / (1.0 + np.exp2(-(evidence + log2_odds(prior))))
        updated = float(np.clip(posterior.sum() / total_pairs, 1e-12, 0.5))
        if abs(updated - prior) <= tolerance * max(prior, 1e-12) * 1e3:
            return updated
        prior = updated
    return prior
