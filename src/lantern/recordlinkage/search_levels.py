"""The comparison levels of search before create, vectorised over pairs of encoded records.

Records are integer codes over shared vocabularies (columns compared with each other share
one), so most levels are integer comparisons; string similarity is computed once per distinct
pair of values. Each function gives the level of every pair: 0 unknown, 1 the strongest, as
the levels of :data:`lantern.recordlinkage.search_parameters.COMPARISONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jellyfish
import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Words = Mapping[str, npt.NDArray[np.object_]]

# Vocabularies: columns that are compared with each other share one code space.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "written": ("given_written", "family_written"),
    "latin": ("given_latin", "family_latin"),
    "sound": ("given_sound", "family_sound"),
    "skel": ("given_skel", "family_skel"),
    "canon": ("given_canon", "nickname_latin"),
    "name_key": ("name_key",),
    "dob": ("dob",),
    "birth_year_int": ("birth_year_int",),
    "sex": ("sex",),
    "country": ("country",),
    "state": ("state",),
    "city": ("city",),
    "identity": ("identity",),
    "citizenship": ("cit1", "cit2"),
}
COLUMN_VOCABULARY = {column: name for name, columns in VOCABULARIES.items() for column in columns}
NULL = -1  # unknown
ABSENT = -2  # known, but no indexed record has this value: equals nothing


class Encoded:
    """Records as integer codes over the index's vocabularies, plus birth-year estimates."""

    def __init__(
        self,
        codes: dict[str, IntArray],
        birth_year: FloatArray,
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.codes = codes
        self.birth_year = birth_year
        self.size = len(birth_year)
        self.raw = raw  # queries keep what was typed, for the side-by-side view

    def __getitem__(self, column: str) -> IntArray:
        return self.codes[column]


def flat_columns(prepared: pd.DataFrame) -> dict[str, Any]:
    """Prepared columns as object arrays, citizenship split into its first two codes."""
    citizenship = prepared["citizenship"].to_numpy(dtype=object)
    first = np.array([c[0] if c is not None and len(c) else None for c in citizenship], object)
    second = np.array([c[1] if c is not None and len(c) > 1 else None for c in citizenship], object)
    columns: dict[str, Any] = {"cit1": first, "cit2": second}
    for column in COLUMN_VOCABULARY:
        if column not in columns:
            columns[column] = prepared[column].to_numpy(dtype=object)
    return columns


def as_text(values: Any) -> npt.NDArray[np.object_]:
    """Values as text, unknown as None (NaN and pandas' NA too)."""
    return np.array(
        [None if v is None or v is pd.NA or v != v else str(v) for v in values], dtype=object
    )


def pair_levels(
    words: Words, a: Encoded, ia: IntArray, b: Encoded, ib: IntArray
) -> dict[str, npt.NDArray[np.intp]]:
    """The level (0 = unknown, 1 = strongest) of every comparison for pairs (a[ia], b[ib]);
    ``words`` are the vocabularies' values by code (fuzzy levels compare the text)."""
    return {
        "given_name": _name_levels(words, a, ia, b, ib, "given", "family"),
        "family_name": _name_levels(words, a, ia, b, ib, "family", "given"),
        "birth": _birth_levels(words, a, ia, b, ib),
        "sex": _exact_levels(a["sex"][ia], b["sex"][ib]),
        "citizenship": _citizenship_levels(a, ia, b, ib),
        "place": _place_levels(a, ia, b, ib),
        "identity": _identity_levels(words, a, ia, b, ib),
    }


def _known(x: IntArray) -> npt.NDArray[np.bool_]:
    return x != NULL


def _same(x: IntArray, y: IntArray) -> npt.NDArray[np.bool_]:
    return (x >= 0) & (x == y)


def _exact_levels(x: IntArray, y: IntArray) -> npt.NDArray[np.intp]:
    return np.select([~(_known(x) & _known(y)), _same(x, y)], [0, 1], default=2)


def _text(words: Words, encoded: Encoded, column: str, at: IntArray) -> npt.NDArray[np.object_]:
    """The values of ``column`` at ``at`` as text: the index's by code, a query's as it gave
    them where the index holds no such value (a new spelling is compared like any other)."""
    codes = encoded[column][at]
    vocabulary = words[COLUMN_VOCABULARY[column]]
    values = np.full(len(codes), None, dtype=object)
    coded = codes >= 0
    values[coded] = vocabulary[codes[coded]]
    absent = codes == ABSENT
    if absent.any() and encoded.raw is not None:
        values[absent] = as_text(np.asarray(encoded.raw[column], dtype=object)[at[absent]])
    return values


def _pairwise(
    x: npt.NDArray[np.object_],
    y: npt.NDArray[np.object_],
    wanted: npt.NDArray[np.bool_],
    function: Callable[[str, str], float],
) -> FloatArray:
    """``function`` of the two values of each wanted pair, computed once per distinct pair."""
    out = np.full(len(x), np.nan)
    if not wanted.any():
        return out
    pairs = pd.DataFrame({"x": x[wanted], "y": y[wanted]})
    distinct = pairs.drop_duplicates()
    scores = [function(v, w) for v, w in zip(distinct["x"], distinct["y"], strict=True)]
    lookup = pd.Series(scores, index=pd.MultiIndex.from_frame(distinct), dtype=float)
    out[wanted] = lookup.reindex(pd.MultiIndex.from_frame(pairs)).to_numpy()
    return out


def _name_levels(
    words: Words, a: Encoded, ia: IntArray, b: Encoded, ib: IntArray, side: str, other: str
) -> npt.NDArray[np.intp]:
    latin_a, latin_b = a[f"{side}_latin"][ia], b[f"{side}_latin"][ib]
    known = _known(latin_a) & _known(latin_b)
    written = _same(a[f"{side}_written"][ia], b[f"{side}_written"][ib])
    latin = _same(latin_a, latin_b)
    sounds = _same(a[f"{side}_sound"][ia], b[f"{side}_sound"][ib])
    skel = _same(a[f"{side}_skel"][ia], b[f"{side}_skel"][ib])
    canon = _same(a["given_canon"][ia], b["given_canon"][ib]) if side == "given" else None
    settled = written | latin | sounds | skel | (canon if canon is not None else False)
    column = f"{side}_latin"
    jw = _pairwise(
        _text(words, a, column, ia),
        _text(words, b, column, ib),
        known & ~settled,
        jellyfish.jaro_winkler_similarity,
    )
    swapped_latin = _swapped(a, ia, b, ib, side, other, "latin")
    swapped = _swapped(a, ia, b, ib, side, other, "skel")
    conditions = [~known, written, latin, sounds]
    if canon is not None:
        nickname = _same(a["nickname_latin"][ia], b["given_canon"][ib]) | _same(
            a["given_canon"][ia], b["nickname_latin"][ib]
        )
        conditions += [canon, skel, jw >= 0.9, swapped_latin, swapped, nickname, jw >= 0.75]
    else:
        conditions += [skel, jw >= 0.9, swapped_latin, swapped, jw >= 0.75]
    return np.select(conditions, list(range(len(conditions))), default=len(conditions))


def _swapped(
    a: Encoded, ia: IntArray, b: Encoded, ib: IntArray, side: str, other: str, key: str
) -> npt.NDArray[np.bool_]:
    """a's ``side`` name is b's ``other`` name, and neither holds one name in both fields
    (``lantern.recordlinkage.name_comparisons._swapped``)."""
    mine, theirs = a[f"{side}_{key}"][ia], b[f"{other}_{key}"][ib]
    return (
        _same(mine, theirs) & (mine != a[f"{other}_{key}"][ia]) & (b[f"{side}_{key}"][ib] != theirs)
    )


def _one_apart(x: str, y: str) -> float:
    return float(jellyfish.levenshtein_distance(x, y))


def _birth_levels(
    words: Words, a: Encoded, ia: IntArray, b: Encoded, ib: IntArray
) -> npt.NDArray[np.intp]:
    year_a, year_b = a.birth_year[ia], b.birth_year[ib]
    gap = np.abs(year_a - year_b)
    known = ~np.isnan(gap)
    dob_a, dob_b = a["dob"][ia], b["dob"][ib]
    same = _same(dob_a, dob_b)
    close = known & (gap <= 1) & _known(dob_a) & _known(dob_b) & ~same
    distance = _pairwise(_text(words, a, "dob", ia), _text(words, b, "dob", ib), close, _one_apart)
    with np.errstate(invalid="ignore"):
        return np.select(
            [~known, same, distance <= 1, gap <= 1.05, gap <= 2.5, gap <= 5],
            [0, 1, 2, 3, 4, 5],
            default=6,
        )


def _citizenship_levels(a: Encoded, ia: IntArray, b: Encoded, ib: IntArray) -> npt.NDArray[np.intp]:
    a1, a2, b1, b2 = a["cit1"][ia], a["cit2"][ia], b["cit1"][ib], b["cit2"][ib]
    known = _known(a1) & _known(b1)
    shared = _same(a1, b1) | _same(a1, b2) | _same(a2, b1) | _same(a2, b2)
    return np.select([~known, shared], [0, 1], default=2)


def _place_levels(a: Encoded, ia: IntArray, b: Encoded, ib: IntArray) -> npt.NDArray[np.intp]:
    unknown = np.ones(len(ia), dtype=bool)
    same = {}
    for column in ("city", "state", "country"):
        x, y = a[column][ia], b[column][ib]
        unknown &= ~(_known(x) & _known(y))
        same[column] = _same(x, y)
    return np.select(
        [unknown, same["city"], same["state"], same["country"]], [0, 1, 2, 3], default=4
    )


def _identity_levels(
    words: Words, a: Encoded, ia: IntArray, b: Encoded, ib: IntArray
) -> npt.NDArray[np.intp]:
    x, y = a["identity"][ia], b["identity"][ib]
    known = _known(x) & _known(y)
    same = _same(x, y)
    distance = _pairwise(
        _text(words, a, "identity", ia), _text(words, b, "identity", ib), known & ~same, _one_apart
    )
    return np.select([~known, same, distance <= 1], [0, 1, 2], default=3)
