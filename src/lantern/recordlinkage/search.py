"""Search before create: the likely existing records of a child, in milliseconds, at national scale.

While a caseworker registers a child, the records the store already holds of that child are
found the way batch linkage finds them, but for one record at a time: the pipeline's blocking
keys (:data:`lantern.linkage.prepare.BLOCKING_KEYS`) become inverted indexes (sorted integer
keys over factorised columns, so a lookup is a binary search, not a scan), and the candidates
are scored with the Fellegi-Sunter comparisons of :mod:`lantern.linkage.model` (m from the
last linkage run's model when it has the same levels, else the model's priors; u estimated
from random pairs of the index; names and home place term-frequency adjusted, so agreeing on
a rare name counts for more than agreeing on a common one). Every candidate comes with a side
by side comparison of the fields that agree and disagree.

Pure: no Django, no database. :meth:`SearchIndex.match_many` scores many queries in one
vectorised pass (tracing requests; see :mod:`lantern.linkage.tracing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jellyfish
import numpy as np
import numpy.typing as npt
import pandas as pd

from lantern.linkage.names import canonical_given, name_keys, order_free_key, romanise, sound
from lantern.linkage.prepare import BLOCKING_KEYS, RecordFormatError, _citizenship, _identity

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: A lookup block larger than this is skipped for that key (finer keys still find its records).
DEFAULT_SEARCH_CAP = 1000
#: Candidates below this probability are not worth a caseworker's attention.
DEFAULT_MIN_PROBABILITY = 0.05
#: Records a value's frequency leaves out: the candidate (a query is not in the index, so one
#: fewer than batch linkage's ``model.TF_LEAVE_OUT``).
SEARCH_TF_LEAVE_OUT = 1
#: Random pairs that u-probabilities are estimated from.
U_SAMPLE_PAIRS = 200_000

# Vocabularies: columns that are compared with each other share one code space.
_VOCABULARIES: dict[str, tuple[str, ...]] = {
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
_COLUMN_VOCABULARY = {column: name for name, columns in _VOCABULARIES.items() for column in columns}
_NULL = -1  # unknown
_ABSENT = -2  # known, but no indexed record has this value: equals nothing


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """One field of the side-by-side comparison: the query's value beside the candidate's.

    ``agrees`` is whether this field counts for (True) or against (False) a match in the
    model; None when either side is unknown, because unknown is never a disagreement.
    """

    field: str
    left: str | None
    right: str | None
    agrees: bool | None
    level: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record that may be the same child, with its match probability and the evidence."""

    unique_id: str
    probability: float
    match_weight: float
    comparison: list[FieldComparison] = field(default_factory=list)
    row: int = -1  # position in the index, for the caller's own keys of the record


@dataclass(frozen=True, slots=True)
class _Comparison:
    """A comparison of the model: its name (splink's output column), field label and levels."""

    name: str
    label: str
    levels: tuple[str, ...]  # non-null levels, strongest first, as in lantern.linkage.model
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
_TF_LEVELS: dict[str, dict[int, str]] = {
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


class _Encoded:
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


def _flat_columns(prepared: pd.DataFrame) -> dict[str, Any]:
    """Prepared columns as object arrays, citizenship split into its first two codes."""
    citizenship = prepared["citizenship"].to_numpy(dtype=object)
    first = np.array([c[0] if c is not None and len(c) else None for c in citizenship], object)
    second = np.array([c[1] if c is not None and len(c) > 1 else None for c in citizenship], object)
    columns: dict[str, Any] = {"cit1": first, "cit2": second}
    for column in _COLUMN_VOCABULARY:
        if column not in columns:
            columns[column] = prepared[column].to_numpy(dtype=object)
    return columns


def _as_text(values: Any) -> npt.NDArray[np.object_]:
    """Values as text, unknown as None (NaN and pandas' NA too)."""
    return np.array(
        [None if v is None or v is pd.NA or v != v else str(v) for v in values], dtype=object
    )


class SearchIndex:
    """Prepared records, indexed on the blocking keys, scored with the linkage model.

    Build once per process (a million records take tens of seconds, most of it name keys in
    :func:`~lantern.linkage.prepare.prepare_records`); each search is then a few binary
    searches and one vectorised scoring of at most a few thousand candidates.
    """

    def __init__(
        self,
        prepared: pd.DataFrame,
        model: Mapping[str, Any] | None = None,
        block_cap: int = DEFAULT_SEARCH_CAP,
        seed: int = 1,
    ) -> None:
        if block_cap < 1:
            raise ValueError("block_cap must be at least 1")
        self.block_cap = block_cap
        self.unique_ids = prepared["unique_id"].to_numpy(dtype=object)
        self.size = len(self.unique_ids)
        consent = prepared.get("tracing_consent", pd.Series(None, index=prepared.index))
        self.tracing_consent = consent.eq(True).to_numpy(dtype=bool)
        flat = _flat_columns(prepared)
        self.vocab: dict[str, pd.Index] = {}
        self.words: dict[str, npt.NDArray[np.object_]] = {}
        codes: dict[str, IntArray] = {}
        for name, columns in _VOCABULARIES.items():
            stacked = np.concatenate([_as_text(flat[c]) for c in columns])
            labels, uniques = pd.factorize(stacked, use_na_sentinel=True)
            self.vocab[name] = pd.Index(uniques, dtype=object)
            self.words[name] = np.asarray(uniques, dtype=object)
            for i, column in enumerate(columns):
                codes[column] = labels[i * self.size : (i + 1) * self.size].astype(np.int64)
        self.records = _Encoded(
            codes, prepared["birth_year"].to_numpy(dtype=float, na_value=np.nan)
        )
        self.frequency: dict[str, FloatArray] = {}
        for column in {c for levels in _TF_LEVELS.values() for c in levels.values()}:
            vocabulary = _COLUMN_VOCABULARY[column]
            counts = np.bincount(
                codes[column][codes[column] >= 0], minlength=len(self.vocab[vocabulary])
            )
            # the candidate itself is left out of its value's count (TF_LEAVE_OUT's reason:
            # a value held only by the records of the child being searched for is rare)
            known = max(int((codes[column] >= 0).sum()), 1)
            self.frequency[column] = np.maximum(counts - SEARCH_TF_LEAVE_OUT, 1) / known
        self._keys = [
            key for key in BLOCKING_KEYS if not key.explode and self._indexable(key.columns)
        ]
        self._blocks = [self._block(key.columns) for key in self._keys]
        self.parameters = self._parameters(model, seed)
        self._weights = self.parameters.weights()
        # the chance two records agree on a column at all: the u of every level from the top
        # down to the last adjusted on it (each implies those below: the same as written is
        # the same romanised). Batch linkage counts it from the values' shares instead; here
        # the u are blended with priors, so a store of a few records does not make it 1
        self.agreement: dict[str, float] = {}
        for name, adjusted in _TF_LEVELS.items():
            for level, column in adjusted.items():
                self.agreement[column] = float(self.parameters.u[name][:level].sum())

    # --- building -------------------------------------------------------------------------

    @staticmethod
    def _indexable(columns: Sequence[str]) -> bool:
        # single-name keys make blocks of thousands at national scale; finer keys replace them
        if not all(column in _COLUMN_VOCABULARY for column in columns):
            return False
        return len(columns) > 1 or columns[0] in ("name_key", "identity")

    def _composite(self, encoded: _Encoded, columns: Sequence[str]) -> IntArray:
        """One int64 key per record over ``columns``; -1 where any part is unknown or absent."""
        key = np.zeros(encoded.size, dtype=np.int64)
        valid = np.ones(encoded.size, dtype=bool)
        for column in columns:
            part = encoded[column]
            valid &= part >= 0
            key = key * (len(self.vocab[_COLUMN_VOCABULARY[column]]) + 1) + np.maximum(part, 0)
        return np.where(valid, key, -1)

    def _block(self, columns: Sequence[str]) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        key = self._composite(self.records, columns)
        rows = np.flatnonzero(key >= 0)
        order = np.argsort(key[rows], kind="stable")
        rows = rows[order]
        values, starts, counts = np.unique(key[rows], return_index=True, return_counts=True)
        return values, starts.astype(np.int64), counts.astype(np.int64), rows.astype(np.int64)

    def _parameters(self, model: Mapping[str, Any] | None, seed: int) -> ModelParameters:
        """m from the model (else priors); u from random pairs of this index."""
        m = {c.name: np.asarray(c.m_prior, dtype=float) for c in COMPARISONS}
        m.update(splink_m_probabilities(model))
        u: dict[str, FloatArray] = {}
        rng = np.random.default_rng(seed)
        pairs = min(U_SAMPLE_PAIRS, max(self.size * (self.size - 1) // 2, 1))
        left = rng.integers(0, max(self.size, 1), size=pairs)
        right = rng.integers(0, max(self.size, 1), size=pairs)
        distinct = left != right
        levels = self._levels(self.records, left[distinct], right[distinct])
        for comparison in COMPARISONS:
            counts = np.bincount(levels[comparison.name], minlength=len(comparison.levels) + 1)
            prior_u = np.asarray(U_PRIOR[comparison.name], dtype=float)
            blended = counts[1:] + U_PRIOR_PAIRS * prior_u / prior_u.sum()
            u[comparison.name] = blended / blended.sum()
        prior = (model or {}).get("probability_two_random_records_match")
        if not isinstance(prior, int | float) or not 0 < prior < 1:
            prior = 1.0 / max(self.size, 2)  # about one earlier record per child
        return ModelParameters(m=m, u=u, prior=float(prior))

    # --- encoding queries -----------------------------------------------------------------

    def encode(self, prepared: pd.DataFrame) -> _Encoded:
        """Prepared query records in this index's code space (unseen values are absent)."""
        return self._encode(
            _flat_columns(prepared), prepared["birth_year"].to_numpy(dtype=float, na_value=np.nan)
        )

    def _encode(self, flat: Mapping[str, Any], birth_year: FloatArray) -> _Encoded:
        codes: dict[str, IntArray] = {}
        for column, vocabulary in _COLUMN_VOCABULARY.items():
            text = _as_text(flat[column])
            unknown = np.array([value is None for value in text], dtype=bool)
            found = self.vocab[vocabulary].get_indexer(np.where(unknown, "", text))
            codes[column] = np.where(unknown, _NULL, np.where(found < 0, _ABSENT, found))
        return _Encoded(codes, birth_year, raw=dict(flat))

    # --- candidates -----------------------------------------------------------------------

    def _lookup(self, queries: _Encoded) -> tuple[IntArray, IntArray]:
        """(query position, index row) of every blocked pair, each pair once."""
        found_q: list[IntArray] = []
        found_r: list[IntArray] = []
        for key, (values, starts, counts, rows) in zip(self._keys, self._blocks, strict=True):
            wanted = self._composite(queries, key.columns)
            asked = np.flatnonzero(wanted >= 0)
            if not len(asked) or not len(values):
                continue
            position = np.minimum(np.searchsorted(values, wanted[asked]), len(values) - 1)
            hit = values[position] == wanted[asked]
            size = counts[position]
            keep = hit & (size <= self.block_cap * key.cap_share)
            asked, position, size = asked[keep], position[keep], size[keep]
            if not len(asked):
                continue
            total = int(size.sum())
            offsets = np.arange(total) - np.repeat(np.cumsum(size) - size, size)
            found_q.append(np.repeat(asked, size))
            found_r.append(rows[np.repeat(starts[position], size) + offsets])
        if not found_q:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        combined = np.concatenate(found_q) * self.size + np.concatenate(found_r)
        combined.sort()  # a sort, then neighbours: faster than hashing for millions of pairs
        combined = combined[np.r_[True, combined[1:] != combined[:-1]]]
        return combined // self.size, combined % self.size

    def match_many(
        self,
        queries: pd.DataFrame,
        limit: int = 10,
        min_probability: float = DEFAULT_MIN_PROBABILITY,
        eligible: npt.NDArray[np.bool_] | None = None,
    ) -> pd.DataFrame:
        """The best ``limit`` candidates of each prepared query, in one vectorised pass.

        Returns ``query`` (position in ``queries``), ``row`` (position in the index),
        ``unique_id``, ``match_weight``, ``probability`` and ``rank`` (1 = best). Only rows
        where ``eligible`` is True are considered (e.g. children who consented to tracing).
        """
        return self._match(self.encode(queries), limit, min_probability, eligible)

    def _match(
        self,
        encoded: _Encoded,
        limit: int,
        min_probability: float,
        eligible: npt.NDArray[np.bool_] | None,
    ) -> pd.DataFrame:
        query, row = self._lookup(encoded)
        if eligible is not None:
            keep = eligible[row]
            query, row = query[keep], row[keep]
        weight = self._match_weight(encoded, query, row)
        probability = 1.0 / (1.0 + np.exp2(-weight))
        keep = probability >= min_probability
        query, row, weight, probability = query[keep], row[keep], weight[keep], probability[keep]
        order = np.lexsort((-weight, query))
        query, row, weight, probability = (
            query[order],
            row[order],
            weight[order],
            probability[order],
        )
        first = np.r_[True, query[1:] != query[:-1]] if len(query) else np.zeros(0, bool)
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(query)), 0))
        rank = np.arange(len(query)) - group_start + 1
        top = rank <= limit
        return pd.DataFrame(
            {
                "query": query[top],
                "row": row[top],
                "unique_id": self.unique_ids[row[top]],
                "match_weight": weight[top],
                "probability": probability[top],
                "rank": rank[top],
            }
        )

    def candidates(
        self,
        record: Mapping[str, Any],
        limit: int = 10,
        min_probability: float = DEFAULT_MIN_PROBABILITY,
        eligible: npt.NDArray[np.bool_] | None = None,
    ) -> list[Candidate]:
        """The likely existing records of one child (a record-format dict), best first."""
        encoded = self._encode_one(record)
        found = self._match(encoded, limit, min_probability, eligible)
        return [
            Candidate(
                unique_id=str(uid),
                probability=float(p),
                match_weight=float(w),
                comparison=self._compare(encoded, 0, int(r)),
                row=int(r),
            )
            for uid, p, w, r in zip(
                found["unique_id"],
                found["probability"],
                found["match_weight"],
                found["row"],
                strict=True,
            )
        ]

    def compare(self, record: Mapping[str, Any], unique_id: str) -> list[FieldComparison]:
        """The side-by-side comparison of a record-format dict with one indexed record."""
        rows = np.flatnonzero(self.unique_ids == unique_id)
        if not len(rows):
            raise KeyError(f"{unique_id!r} is not in the index")
        return self._compare(self._encode_one(record), 0, int(rows[0]))

    def _encode_one(self, record: Mapping[str, Any]) -> _Encoded:
        one = prepare_one(record)
        citizenship = one["citizenship"] or []
        flat: dict[str, Any] = {column: [one.get(column)] for column in _COLUMN_VOCABULARY}
        flat["cit1"] = [citizenship[0] if citizenship else None]
        flat["cit2"] = [citizenship[1] if len(citizenship) > 1 else None]
        return self._encode(flat, np.array([one["birth_year"]], dtype=float))

    # --- scoring --------------------------------------------------------------------------

    def _match_weight(self, queries: _Encoded, query: IntArray, row: IntArray) -> FloatArray:
        levels = self._levels(queries, query, row)
        weight = np.full(len(query), np.log2(self.parameters.prior / (1 - self.parameters.prior)))
        for comparison in COMPARISONS:
            level = levels[comparison.name]
            weight += self._weights[comparison.name][level]
            for level_number, column in _TF_LEVELS.get(comparison.name, {}).items():
                at = level == level_number
                if at.any():
                    weight[at] += self._tf_adjustment(column, row[at])
        return weight

    def _tf_adjustment(self, column: str, rows: IntArray) -> FloatArray:
        """log2(U / frequency of the agreed value), U the chance two records agree on the
        column: a rare value counts for more than an average one (batch linkage's adjustment,
        :func:`lantern.linkage.model.register_term_frequencies`, at full weight). Measured
        from the level's own u instead, a level below another (romanised below as written)
        lost the bits the level above took."""
        frequency = self.frequency[column][self.records[column][rows]]
        return np.log2(self.agreement[column] / np.maximum(frequency, 1.0 / max(self.size, 1)))

    def _levels(self, a: _Encoded, ia: IntArray, ib: IntArray) -> dict[str, npt.NDArray[np.intp]]:
        """The level (0 = unknown, 1 = strongest) of every comparison for pairs (a[ia], b[ib])."""
        b = self.records
        return {
            "given_name": _name_levels(self, a, ia, b, ib, "given", "family"),
            "family_name": _name_levels(self, a, ia, b, ib, "family", "given"),
            "birth": _birth_levels(self, a, ia, b, ib),
            "sex": _exact_levels(a["sex"][ia], b["sex"][ib]),
            "citizenship": _citizenship_levels(a, ia, b, ib),
            "place": _place_levels(a, ia, b, ib),
            "identity": _identity_levels(self, a, ia, b, ib),
        }

    def _display(self, encoded: _Encoded, at: int) -> dict[str, str | None]:
        def text(column: str) -> str | None:
            if encoded.raw is not None:
                value = encoded.raw[column][at]
                return None if value is None or value != value else str(value)
            code = int(encoded[column][at])
            return str(self.words[_COLUMN_VOCABULARY[column]][code]) if code >= 0 else None

        birth = text("dob")
        year = encoded.birth_year[at]
        if birth is None and not np.isnan(year):
            birth = f"about {int(np.floor(year))}"
        names = {
            side: text(f"{side}_written") or text(f"{side}_latin") for side in ("given", "family")
        }
        place = ", ".join(v for v in (text("city"), text("state"), text("country")) if v)
        citizenship = "; ".join(v for v in (text("cit1"), text("cit2")) if v)
        return {
            "given_name": names["given"],
            "family_name": names["family"],
            "birth": birth,
            "sex": text("sex"),
            "citizenship": citizenship or None,
            "place": place or None,
            "identity": text("identity"),
        }

    def _compare(self, queries: _Encoded, at: int, row: int) -> list[FieldComparison]:
        one = np.array([at], dtype=np.int64)
        rows = np.array([row], dtype=np.int64)
        levels = self._levels(queries, one, rows)
        left, right = self._display(queries, at), self._display(self.records, row)
        out = []
        for comparison in COMPARISONS:
            level = int(levels[comparison.name][0])
            weight = float(self._weights[comparison.name][level])
            agrees = None if level == 0 else weight > 0
            out.append(
                FieldComparison(
                    field=comparison.label,
                    left=left[comparison.name],
                    right=right[comparison.name],
                    agrees=agrees,
                    level="unknown" if level == 0 else comparison.levels[level - 1],
                )
            )
        return out


# --- level functions (vectorised over pairs) --------------------------------------------------


def _known(x: IntArray) -> npt.NDArray[np.bool_]:
    return x != _NULL


def _same(x: IntArray, y: IntArray) -> npt.NDArray[np.bool_]:
    return (x >= 0) & (x == y)


def _exact_levels(x: IntArray, y: IntArray) -> npt.NDArray[np.intp]:
    return np.select([~(_known(x) & _known(y)), _same(x, y)], [0, 1], default=2)


def _pairwise(
    index: SearchIndex,
    vocabulary: str,
    x: IntArray,
    y: IntArray,
    wanted: npt.NDArray[np.bool_],
    function: Callable[[str, str], float],
    query_values: Sequence[str | None] | None = None,
) -> FloatArray:
    """``function`` of the two values of each wanted pair, computed once per distinct pair."""
    out = np.full(len(x), np.nan)
    if not wanted.any():
        return out
    pairs = pd.DataFrame({"x": x[wanted], "y": y[wanted]})
    distinct = pairs.drop_duplicates()
    words = index.words[vocabulary]
    left = words[distinct["x"].to_numpy()].tolist()
    right = words[distinct["y"].to_numpy()].tolist()
    scores = [function(x, y) for x, y in zip(left, right, strict=True)]
    lookup = pd.Series(scores, index=pd.MultiIndex.from_frame(distinct), dtype=float)
    out[wanted] = lookup.reindex(pd.MultiIndex.from_frame(pairs)).to_numpy()
    return out


def _name_levels(
    index: SearchIndex, a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray, side: str, other: str
) -> npt.NDArray[np.intp]:
    latin_a, latin_b = a[f"{side}_latin"][ia], b[f"{side}_latin"][ib]
    known = _known(latin_a) & _known(latin_b)
    written = _same(a[f"{side}_written"][ia], b[f"{side}_written"][ib])
    latin = _same(latin_a, latin_b)
    sounds = _same(a[f"{side}_sound"][ia], b[f"{side}_sound"][ib])
    skel = _same(a[f"{side}_skel"][ia], b[f"{side}_skel"][ib])
    canon = _same(a["given_canon"][ia], b["given_canon"][ib]) if side == "given" else None
    settled = written | latin | sounds | skel | (canon if canon is not None else False)
    # absent values (not in the index) cannot be compared by code: they are all "different"
    fuzzy = known & ~settled & (latin_a >= 0) & (latin_b >= 0)
    jw = _pairwise(index, "latin", latin_a, latin_b, fuzzy, jellyfish.jaro_winkler_similarity)
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
    a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray, side: str, other: str, key: str
) -> npt.NDArray[np.bool_]:
    """a's ``side`` name is b's ``other`` name, and neither holds one name in both fields
    (``lantern.linkage.model._swapped``)."""
    mine, theirs = a[f"{side}_{key}"][ia], b[f"{other}_{key}"][ib]
    return (
        _same(mine, theirs) & (mine != a[f"{other}_{key}"][ia]) & (b[f"{side}_{key}"][ib] != theirs)
    )


def _one_apart(x: str, y: str) -> float:
    return float(jellyfish.levenshtein_distance(x, y))


def _birth_levels(
    index: SearchIndex, a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray
) -> npt.NDArray[np.intp]:
    year_a, year_b = a.birth_year[ia], b.birth_year[ib]
    gap = np.abs(year_a - year_b)
    known = ~np.isnan(gap)
    dob_a, dob_b = a["dob"][ia], b["dob"][ib]
    same = _same(dob_a, dob_b)
    close = known & (gap <= 1) & (dob_a >= 0) & (dob_b >= 0) & ~same
    distance = _pairwise(index, "dob", dob_a, dob_b, close, _one_apart)
    with np.errstate(invalid="ignore"):
        return np.select(
            [~known, same, distance <= 1, gap <= 1.05, gap <= 2.5, gap <= 5],
            [0, 1, 2, 3, 4, 5],
            default=6,
        )


def _citizenship_levels(
    a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray
) -> npt.NDArray[np.intp]:
    a1, a2, b1, b2 = a["cit1"][ia], a["cit2"][ia], b["cit1"][ib], b["cit2"][ib]
    known = _known(a1) & _known(b1)
    shared = _same(a1, b1) | _same(a1, b2) | _same(a2, b1) | _same(a2, b2)
    return np.select([~known, shared], [0, 1], default=2)


def _place_levels(a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray) -> npt.NDArray[np.intp]:
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
    index: SearchIndex, a: _Encoded, ia: IntArray, b: _Encoded, ib: IntArray
) -> npt.NDArray[np.intp]:
    x, y = a["identity"][ia], b["identity"][ib]
    known = _known(x) & _known(y)
    same = _same(x, y)
    distance = _pairwise(index, "identity", x, y, known & ~same & (x >= 0) & (y >= 0), _one_apart)
    return np.select([~known, same, distance <= 1], [0, 1, 2], default=3)


# --- queries ----------------------------------------------------------------------------------

_SEX = {
    "Feminine": "F",
    "TransgenderFeminine": "F",
    "Masculine": "M",
    "TransgenderMasculine": "M",
    "NonConforming": "X",
}
_DAYS_PER_YEAR = 365.2425


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _date(record: Mapping[str, Any], column: str) -> dt.date | None:
    text = _text(record.get(column))
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_date(column, text)
    except ValueError:
        return _not_a_date(column, text)


def _not_a_date(column: str, text: str) -> dt.date:
    raise RecordFormatError(f"column {column!r}: {text!r} is not an ISO YYYY-MM-DD date")


def _decimal_year(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 0.5) / _DAYS_PER_YEAR


def prepare_one(record: Mapping[str, Any]) -> dict[str, Any]:
    """The prepared columns search compares, for one record-format dict, in microseconds.

    The same values as :func:`lantern.linkage.prepare.prepare_records` gives (a test holds the
    two together), without the cost of building data frames for a single row.
    """
    keys = {}
    for side, column in (("given", "prs_FirstName"), ("family", "prs_SecondName")):
        text = _text(record.get(column))
        found = name_keys(text) if text is not None else None
        keys[f"{side}_written"] = (found.written or None) if found else None
        keys[f"{side}_latin"] = (found.latin or None) if found else None
        keys[f"{side}_sound"] = (sound(found.latin) or None) if found and found.latin else None
        keys[f"{side}_skel"] = (found.skeleton or None) if found else None
    given_latin = keys["given_latin"]
    keys["given_canon"] = (canonical_given(given_latin) or None) if given_latin else None
    nickname = _text(record.get("ext_Nickname"))
    nickname_latin = name_keys(nickname).latin if nickname is not None else None
    keys["nickname_latin"] = (canonical_given(nickname_latin) or None) if nickname_latin else None
    keys["name_key"] = order_free_key(keys["given_skel"], keys["family_skel"])

    registered = _date(record, "cas_RegistrationDate") or dt.date.today()
    born = _date(record, "prs_Birthdate")
    estimated = (_text(record.get("ext_BirthdateEstimated")) or "").lower() == "yes"
    stated = _text(record.get("ext_StatedAge"))
    age: float | None = None
    if stated is not None:
        try:
            age = float(stated)
        except ValueError:
            age = None
        if age is None or not 0 <= age <= 120:
            raise RecordFormatError(f"column 'ext_StatedAge': {stated!r} is not an age in years")
    birth_year: float | None = None
    if born is not None:
        birth_year = born.year + 0.5 if estimated else _decimal_year(born)
    elif age is not None:
        birth_year = _decimal_year(registered) - age - 0.5
    citizenship = record.get("prs_Citizenship")
    if isinstance(citizenship, float) and np.isnan(citizenship):
        citizenship = None
    country = _text(record.get("prs_MailingCountry"))
    place = {column: _text(record.get(source)) for column, source in _PLACE.items()}
    return {
        **keys,
        "dob": born.isoformat() if born is not None and not estimated else None,
        "birth_year": np.nan if birth_year is None else birth_year,
        "birth_year_int": None if birth_year is None else round(birth_year),
        "sex": _SEX.get(_text(record.get("prs_Gender")) or ""),
        "citizenship": _citizenship(citizenship),
        "identity": _identity(_text(record.get("prs_IdentityNumber"))),
        "country": country.upper() if country else None,
        "state": (romanise(place["state"]) or None) if place["state"] else None,
        "city": (romanise(place["city"]) or None) if place["city"] else None,
    }


_PLACE = {"state": "prs_MailingState", "city": "prs_MailingCity"}


def prepare_query(record: Mapping[str, Any]) -> pd.DataFrame:
    """One record-format dict as a one-row prepared frame (for :meth:`SearchIndex.match_many`)."""
    return pd.DataFrame([prepare_one(record)])
