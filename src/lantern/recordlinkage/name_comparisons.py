"""How two records' names are compared: given and family name, each from the strongest agreement
down (as written, romanised, sound, nickname-canonical, consonant skeleton, fuzzy, swapped
between the fields), and the whole name, for names cut at a different point (Minn Hlaing,
Minnhlaing). Part of the splink model (:mod:`lantern.recordlinkage.model`); the search's own
levels (:mod:`lantern.recordlinkage.search_levels`) mirror the given and family name ones.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl

#: Share of a name's term-frequency adjustment applied. Frequencies are counted over records,
#: so a child recorded by several agencies inflates their own name's frequency; and a common
#: given name with a common family name is a far rarer whole name than the product suggests.
NAME_TF_WEIGHT = 0.5


def prior_level(level: Any, m: float, label: str | None = None, fixed: bool = False) -> Any:
    """A level with a prior m-probability: EM starts near a sensible model, not a random one.

    ``fixed`` keeps the prior: for levels whose m is known better than EM can learn it on
    sparse records (EM drifts them towards the non-matches it cannot tell apart).
    """
    options: dict[str, Any] = {"m_probability": m}
    if label is not None:
        options["label_for_charts"] = label
    if fixed:
        options["fix_m_probability"] = True
    return level.configure(**options)


def _swapped(field: str, other: str, key: str) -> str:
    """SQL: the left record's ``field`` name is the right one's ``other`` name, and neither
    record holds one name in both fields (Kyaw Kyaw against Min Kyaw is not a swap: its
    Kyaw already agrees where it stands)."""
    return (
        f"{field}_{key}_l = {other}_{key}_r "
        f"AND {field}_{key}_l IS DISTINCT FROM {other}_{key}_l "
        f"AND {field}_{key}_r IS DISTINCT FROM {other}_{key}_r"
    )


#: m of two records of one child whose names share nothing the levels above see.
NAME_DISAGREES = 0.05


def name_comparison(field: str, other: str) -> cl.CustomComparison:
    """Given or family name: exact levels carry term-frequency adjustment on the romanised key."""
    latin = f"{field}_latin"
    levels: list[Any] = [
        cll.NullLevel(latin),
        prior_level(
            cll.ExactMatchLevel(f"{field}_written").configure(
                tf_adjustment_column=latin, tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.45,
            "same as written",
        ),
        prior_level(
            cll.ExactMatchLevel(latin).configure(
                tf_adjustment_column=latin, tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.15,
            "same romanised",
        ),
        prior_level(
            cll.ExactMatchLevel(f"{field}_sound").configure(
                tf_adjustment_column=f"{field}_sound", tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.1,
            "same sound",
        ),
    ]
    if field == "given":
        levels.append(
            prior_level(
                cll.ExactMatchLevel("given_canon").configure(
                    tf_adjustment_column="given_canon", tf_adjustment_weight=NAME_TF_WEIGHT
                ),
                0.03,
                "same canonical name",
            )
        )
    skel = f"{field}_skel"
    levels += [
        prior_level(
            cll.ExactMatchLevel(skel).configure(
                tf_adjustment_column=skel, tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.12,
            "same consonant skeleton",
        ),
        prior_level(cll.JaroWinklerLevel(latin, 0.9), 0.05),
        # a name written in the other's field: the same romanised name is far stronger evidence
        # than the same consonant skeleton (which different names share), so it has its level
        # adjusted by frequency like the direct levels (the more common of the two records'
        # names in this field): a swapped Khin, the commonest Burmese syllable, is no evidence
        # of one child
        prior_level(
            cll.CustomLevel(_swapped(field, other, "latin")).configure(
                tf_adjustment_column=latin, tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.03,
            f"swapped with {other} name, same romanised",
        ),
        prior_level(
            cll.CustomLevel(_swapped(field, other, "skel")).configure(
                tf_adjustment_column=skel, tf_adjustment_weight=NAME_TF_WEIGHT
            ),
            0.02,
            f"swapped with {other} name",
        ),
    ]
    if field == "given":
        levels.append(
            prior_level(
                cll.CustomLevel(
                    "(nickname_latin_l = given_canon_r OR given_canon_l = nickname_latin_r)"
                ),
                0.03,
                "nickname matches given name",
            )
        )
    # fixed, as an identifier's disagreement is (:func:`_simple`): EM trains names in sessions
    # blocked on a birth date or an identity number, where two records of one child written
    # in different scripts, or cut or spelt differently, look like two children; EM then
    # drove these m to 1e-6 .. 1e-27 and one such name outweighed every other agreement
    # (-18 to -81 bits), though agencies write one child's name differently often enough
    levels += [
        prior_level(cll.JaroWinklerLevel(latin, 0.75), 0.05, fixed=True),
        prior_level(cll.ElseLevel(), NAME_DISAGREES, fixed=True),
    ]
    return cl.CustomComparison(levels, output_column_name=f"{field}_name")


#: Consonants a joined name's skeleton needs before its agreement counts as evidence.
JOINED_MIN_CONSONANTS = 5
#: Records sharing a joined skeleton that still count as a rare name (the pair and one more):
#: the skeleton drops every vowel, so a common one is shared by different children.
JOINED_RARE_RECORDS = 3
#: Jaro-Winkler similarity of the joined spellings, in either order, a joined match needs.
JOINED_MIN_SIMILARITY = 0.85
#: Letters a whole name's sound needs before agreeing on it counts (sm: Zaw Moe, Soe Maw ...).
JOINED_SOUND_LETTERS = 4
#: Letters a whole name cut elsewhere needs before one slip in it still counts as agreement.
JOINED_NEAR_LETTERS = 8


def joined_name_comparison() -> cl.CustomComparison:
    """The whole name joined, for names the two records cut differently over the fields.

    Only pairs whose per-field names do not already agree (split at another point, or one
    side with no family name) reach the joined level, so it adds evidence the name
    comparisons cannot see rather than counting their agreement twice.
    """
    joined = (
        "(joined_skel_l = joined_skel_r OR joined_skel_rev_l = joined_skel_rev_r "
        "OR joined_skel_l = joined_skel_rev_r OR joined_skel_rev_l = joined_skel_r)"
    )
    cut_differently = (
        "(family_skel_l IS DISTINCT FROM family_skel_r) "
        "AND NOT coalesce(given_skel_l = family_skel_r AND family_skel_l = given_skel_r, false)"
    )
    # a short skeleton (two or three consonants) is shared by too many different names
    long_enough = f"length(joined_skel_l) >= {JOINED_MIN_CONSONANTS}"
    # the skeleton drops every vowel: different names share one often enough among similar
    # names that the spellings must also be close (dadara chanthy / thira chan do not pass)
    spelt_alike = (
        "greatest(jaro_winkler_similarity(joined_latin_l, joined_latin_r), "
        f"jaro_winkler_similarity(joined_latin_l, joined_latin_rev_r)) >= {JOINED_MIN_SIMILARITY}"
    )
    cut_elsewhere = f"{joined} AND {cut_differently} AND {long_enough} AND {spelt_alike}"
    # the same letters, however cut (Minn Hlaing / Minn, Hlaing; Htunmoezaw / Htun, Moe Zaw):
    # short names of few consonants (Burmese, Lao) never reach the skeleton levels' length
    same_spelling = (
        "(joined_latin_l = joined_latin_r OR joined_latin_l = joined_latin_rev_r) "
        f"AND {cut_differently}"
    )
    # the same sound, however cut and however its vowels were written (So Min / Soe, Minn)
    same_sound = (
        "(joined_sound_l = joined_sound_r OR joined_sound_l = joined_sound_rev_r) "
        f"AND length(joined_sound_l) >= {JOINED_SOUND_LETTERS} AND {cut_differently}"
    )
    # one slip in a long whole name cut elsewhere (Kyaw, Thett Win / Kyaw Thet Win)
    # (an edit distance: Jaro-Winkler's prefix bonus would take Sosreypich for Sosreypich
    # Somna, a family name missing rather than a name cut elsewhere)
    nearly_same = (
        "least(levenshtein(joined_latin_l, joined_latin_r), "
        f"levenshtein(joined_latin_l, joined_latin_rev_r)) <= 1 "
        f"AND length(joined_latin_l) >= {JOINED_NEAR_LETTERS} AND {cut_differently}"
    )
    return cl.CustomComparison(
        [
            cll.NullLevel("joined_skel"),
            prior_level(cll.CustomLevel(same_spelling), 0.08, "same whole name cut elsewhere"),
            prior_level(
                cll.CustomLevel(same_sound), 0.05, "whole name cut elsewhere sounds the same"
            ),
            prior_level(
                cll.CustomLevel(
                    f"{cut_elsewhere} AND least(joined_skel_n_l, joined_skel_n_r) "
                    f"<= {JOINED_RARE_RECORDS}"
                ),
                0.08,
                "same rare name cut elsewhere",
            ),
            prior_level(cll.CustomLevel(cut_elsewhere), 0.02, "same name cut elsewhere"),
            prior_level(
                cll.CustomLevel(nearly_same), 0.02, "nearly the same whole name cut elsewhere"
            ),
            prior_level(cll.ElseLevel(), 0.75),
        ],
        output_column_name="joined_name",
    )
