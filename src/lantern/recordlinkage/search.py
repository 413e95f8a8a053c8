"""Search before create: the likely existing records of a child, in milliseconds, at national scale.

While a caseworker registers a child, the records the store already holds of that child are
found the way batch linkage finds them, but for one record at a time: the pipeline's blocking
keys (:data:`lantern.recordlinkage.blocking.BLOCKING_KEYS`) become inverted indexes (sorted
integer keys over factorised columns, so a lookup is a binary search, not a scan), and the
candidates are scored with the Fellegi-Sunter comparisons of :mod:`lantern.recordlinkage.model`
(m from the last linkage run's model when it has the same levels, else the model's priors; u
estimated from random pairs of the index; names, birth date and home place term-frequency
adjusted, so agreeing on a rare name counts for more than agreeing on a common one). Every
candidate comes with a side by side comparison of the fields that agree and disagree.

The comparisons and their parameters are :mod:`~lantern.recordlinkage.search_parameters`, the
levels :mod:`~lantern.recordlinkage.search_levels`, a query's preparation
:mod:`~lantern.recordlinkage.search_query`. Pure: no Django, no database.
:meth:`SearchIndex.match_many` scores many queries in one vectorised pass (family tracing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from lantern.recordlinkage.blocking import BLOCKING_KEYS
from lantern.recordlinkage.search_levels import (
    ABSENT,
    COLUMN_VOCABULARY,
    NULL,
    VOCABULARIES,
    Encoded,
    as_text,
    flat_columns,
    pair_levels,
)
from lantern.recordlinkage.search_parameters import (
    COMPARISONS,
    SEARCH_TF_LEAVE_OUT,
    TF_COLUMNS,
    TF_LEVELS,
    U_PRIOR,
    U_PRIOR_PAIRS,
    U_SAMPLE_PAIRS,
    FrequencyLevel,
    ModelParameters,
    splink_m_probabilities,
)
from lantern.recordlinkage.search_query import prepare_one

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: A lookup block larger than this is skipped for that key (finer keys still find its records).
DEFAULT_SEARCH_CAP = 1000
#: Candidates below this probability are not worth a caseworker's attention.
DEFAULT_MIN_PROBABILITY = 0.05


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


class SearchIndex:
    """Prepared records, indexed on the blocking keys, scored with the linkage model.

    Build once per process (a million records take tens of seconds, most of it name keys in
    :func:`~lantern.recordlinkage.features.prepare_records`); each search is then a few binary
    searches and one vectorised scoring of at most a few thousand candidates.
    """

    def __init__(
        self,
        prepared: pd.DataFrame,
        model: Mapping[str, Any] | None = None,
        block_cap: int = DEFAULT_SEARCH_CAP,
        seed: int = 1,
        *,
        parameters: ModelParameters | None = None,
        term_frequencies: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        """Index ``prepared`` records. m come from ``model`` (a splink model's JSON) where its
        levels line up, u from random pairs of the index; ``parameters`` and
        ``term_frequencies`` (value -> tf by column, as splink's lookups) replace both, e.g.
        to score exactly as a given splink model does."""
        if block_cap < 1:
            raise ValueError("block_cap must be at least 1")
        self.block_cap = block_cap
        self.unique_ids = prepared["unique_id"].to_numpy(dtype=object)
        self.size = len(self.unique_ids)
        consent = prepared.get("tracing_consent", pd.Series(None, index=prepared.index))
        self.tracing_consent = consent.eq(True).to_numpy(dtype=bool)
        flat = flat_columns(prepared)
        self.vocab: dict[str, pd.Index] = {}
        self.words: dict[str, npt.NDArray[np.object_]] = {}
        codes: dict[str, IntArray] = {}
        for name, columns in VOCABULARIES.items():
            stacked = np.concatenate([as_text(flat[c]) for c in columns])
            labels, uniques = pd.factorize(stacked, use_na_sentinel=True)
            self.vocab[name] = pd.Index(uniques, dtype=object)
            self.words[name] = np.asarray(uniques, dtype=object)
            for i, column in enumerate(columns):
                codes[column] = labels[i * self.size : (i + 1) * self.size].astype(np.int64)
        self.records = Encoded(codes, prepared["birth_year"].to_numpy(dtype=float, na_value=np.nan))
        self._keys = [
            key for key in BLOCKING_KEYS if not key.explode and self._indexable(key.columns)
        ]
        self._blocks = [self._block(key.columns) for key in self._keys]
        # finding a child by one name: each name field, looked up by either name of a query
        self._broad = {column: self._block((column,)) for column in ("given_skel", "family_skel")}
        self.parameters = parameters or self._parameters(model, seed)
        self._weights = self.parameters.weights()
        self.term_frequency = (
            self._index_frequencies()
            if term_frequencies is None
            else self._given_frequencies(term_frequencies)
        )

    # --- building -------------------------------------------------------------------------

    @staticmethod
    def _indexable(columns: Sequence[str]) -> bool:
        # single-name keys make blocks of thousands at national scale; finer keys replace them
        if not all(column in COLUMN_VOCABULARY for column in columns):
            return False
        return len(columns) > 1 or columns[0] in ("name_key", "identity")

    def _composite(self, encoded: Encoded, columns: Sequence[str]) -> IntArray:
        """One int64 key per record over ``columns``; -1 where any part is unknown or absent."""
        key = np.zeros(encoded.size, dtype=np.int64)
        valid = np.ones(encoded.size, dtype=bool)
        for column in columns:
            part = encoded[column]
            valid &= part >= 0
            key = key * (len(self.vocab[COLUMN_VOCABULARY[column]]) + 1) + np.maximum(part, 0)
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

    def encode(self, prepared: pd.DataFrame) -> Encoded:
        """Prepared query records in this index's code space (unseen values are absent)."""
        return self._encode(
            flat_columns(prepared), prepared["birth_year"].to_numpy(dtype=float, na_value=np.nan)
        )

    def _encode(self, flat: Mapping[str, Any], birth_year: FloatArray) -> Encoded:
        codes: dict[str, IntArray] = {}
        for column, vocabulary in COLUMN_VOCABULARY.items():
            text = as_text(flat[column])
            unknown = np.array([value is None for value in text], dtype=bool)
            found = self.vocab[vocabulary].get_indexer(np.where(unknown, "", text))
            codes[column] = np.where(unknown, NULL, np.where(found < 0, ABSENT, found))
        return Encoded(codes, birth_year, raw=dict(flat))

    # --- candidates -----------------------------------------------------------------------

    def _lookup(self, queries: Encoded, broad: bool = False) -> tuple[IntArray, IntArray]:
        """(query position, index row) of every blocked pair, each pair once. ``broad`` adds
        every record holding one of the query's names in either name field (blocks up to the
        cap): a caseworker's search by a single name, or by names cut differently."""
        found_q: list[IntArray] = []
        found_r: list[IntArray] = []
        lookups = [
            (key.columns, key.cap_share, block)
            for key, block in zip(self._keys, self._blocks, strict=True)
        ]
        if broad:
            lookups += [
                ((asked,), 1.0, block)
                for block in self._broad.values()
                for asked in ("given_skel", "family_skel")
            ]
        for columns, cap_share, (values, starts, counts, rows) in lookups:
            wanted = self._composite(queries, columns)
            asked = np.flatnonzero(wanted >= 0)
            if not len(asked) or not len(values):
                continue
            position = np.minimum(np.searchsorted(values, wanted[asked]), len(values) - 1)
            hit = values[position] == wanted[asked]
            size = counts[position]
            keep = hit & (size <= self.block_cap * cap_share)
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
        encoded: Encoded,
        limit: int,
        min_probability: float,
        eligible: npt.NDArray[np.bool_] | None,
        broad: bool = False,
    ) -> pd.DataFrame:
        query, row = self._lookup(encoded, broad)
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
        *,
        broad: bool = False,
    ) -> list[Candidate]:
        """The likely existing records of one child (a record-format dict), best first;
        ``broad`` also looks up each of its names alone (see :meth:`_lookup`)."""
        encoded = self._encode_one(record)
        found = self._match(encoded, limit, min_probability, eligible, broad)
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

    def rows_born_on(self, day: str) -> IntArray:
        """The rows whose documented date of birth is ``day`` (ISO), by the index's codes."""
        code = int(self.vocab["dob"].get_indexer([day])[0])
        if code < 0:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.records["dob"] == code).astype(np.int64)

    def compare(self, record: Mapping[str, Any], unique_id: str) -> list[FieldComparison]:
        """The side-by-side comparison of a record-format dict with one indexed record."""
        rows = np.flatnonzero(self.unique_ids == unique_id)
        if not len(rows):
            raise KeyError(f"{unique_id!r} is not in the index")
        return self._compare(self._encode_one(record), 0, int(rows[0]))

    def _encode_one(self, record: Mapping[str, Any]) -> Encoded:
        one = prepare_one(record)
        citizenship = one["citizenship"] or []
        flat: dict[str, Any] = {column: [one.get(column)] for column in COLUMN_VOCABULARY}
        flat["cit1"] = [citizenship[0] if citizenship else None]
        flat["cit2"] = [citizenship[1] if len(citizenship) > 1 else None]
        return self._encode(flat, np.array([one["birth_year"]], dtype=float))

    # --- scoring --------------------------------------------------------------------------

    def match_weights(self, queries: pd.DataFrame, query: IntArray, row: IntArray) -> FloatArray:
        """Match weight (log2 odds) of each pair: prepared ``queries`` at positions ``query``
        against the index's records at ``row``."""
        return self._match_weight(self.encode(queries), query, row)

    def _match_weight(self, queries: Encoded, query: IntArray, row: IntArray) -> FloatArray:
        levels = self._levels(queries, query, row)
        weight = np.full(len(query), np.log2(self.parameters.prior / (1 - self.parameters.prior)))
        for comparison in COMPARISONS:
            level = levels[comparison.name]
            weight += self._weights[comparison.name][level]
            for adjusted in TF_LEVELS.get(comparison.name, ()):
                at = level == adjusted.level
                if at.any():
                    left = queries[adjusted.column][query[at]]
                    right = self.records[adjusted.column][row[at]]
                    weight[at] += self._tf_adjustment(comparison.name, adjusted, left, right)
        return weight

    def _tf_adjustment(
        self, comparison: str, adjusted: FrequencyLevel, left: IntArray, right: IntArray
    ) -> FloatArray:
        """Splink's term-frequency adjustment: ``weight * (log2(u_base) - log2(tf))``, tf the
        more common of the two values (unknown on one side: the other's; on both: none)."""
        frequency = self.term_frequency[adjusted.column]
        tf = np.fmax(
            np.where(left >= 0, frequency[np.maximum(left, 0)], np.nan),
            np.where(right >= 0, frequency[np.maximum(right, 0)], np.nan),
        )
        base = self.parameters.u[comparison][adjusted.base - 1]
        with np.errstate(invalid="ignore"):
            bits = adjusted.weight * (np.log2(base) - np.log2(tf))
        return np.where(np.isnan(tf), 0.0, bits)

    def _index_frequencies(self) -> dict[str, FloatArray]:
        """Each value's tf, by column and code, from this index: scaled so that agreeing on a
        value weighs ``log2(U / share)``, U the chance two records agree on the column at all
        (the u of its exact-match level and of every level above, each implying it: the same
        as written is the same romanised) and ``share`` the value's share of the index with
        the candidate left out (a name held only by the child being searched for is rare).
        Batch linkage counts U from the values' shares instead
        (:func:`lantern.recordlinkage.model.register_term_frequencies`); here the u are blended
        with priors, so a store of a few records does not make it 1."""
        found: dict[str, FloatArray] = {}
        for column, (comparison, base) in TF_COLUMNS.items():
            codes = self.records[column]
            counts = np.bincount(
                codes[codes >= 0], minlength=len(self.vocab[COLUMN_VOCABULARY[column]])
            )
            share = np.maximum(counts - SEARCH_TF_LEAVE_OUT, 1) / max(int((codes >= 0).sum()), 1)
            u = self.parameters.u[comparison]
            found[column] = share * u[base - 1] / u[:base].sum()
        return found

    def _given_frequencies(
        self, tables: Mapping[str, Mapping[str, float]]
    ) -> dict[str, FloatArray]:
        """Given tf lookups (value -> tf, by column) over this index's codes; NaN if absent."""
        found: dict[str, FloatArray] = {}
        for column in TF_COLUMNS:
            vocabulary = self.vocab[COLUMN_VOCABULARY[column]]
            table = tables.get(column, {})
            found[column] = np.full(len(vocabulary), np.nan)
            at = vocabulary.get_indexer(list(table))
            found[column][at[at >= 0]] = np.asarray(list(table.values()), dtype=float)[at >= 0]
        return found

    def _levels(self, a: Encoded, ia: IntArray, ib: IntArray) -> dict[str, npt.NDArray[np.intp]]:
        """The level (0 = unknown, 1 = strongest) of every comparison for pairs (a[ia], b[ib])."""
        return pair_levels(self.words, a, ia, self.records, ib)

    def _display(self, encoded: Encoded, at: int) -> dict[str, str | None]:
        def text(column: str) -> str | None:
            if encoded.raw is not None:
                value = encoded.raw[column][at]
                return None if value is None or value != value else str(value)
            code = int(encoded[column][at])
            return str(self.words[COLUMN_VOCABULARY[column]][code]) if code >= 0 else None

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

    def _compare(self, queries: Encoded, at: int, row: int) -> list[FieldComparison]:
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
