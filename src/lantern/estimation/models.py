"""Hierarchical log-linear models of a capture-history table, and their catalogue.

A term is a bitmask of lists (``0b011`` = the interaction of lists 1 and 2). A model always
holds the intercept and every main effect; ``LogLinearModel.terms`` lists its interactions,
closed downwards (hierarchical), as Silverman, Chan and Vincent (2024) and Rcapture require.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_CATALOGUE = 200_000


def bits(term: int) -> tuple[int, ...]:
    """0-based list indices in a term, ascending."""
    return tuple(i for i in range(term.bit_length()) if (term >> i) & 1)


def _term_key(term: int) -> tuple[int, tuple[int, ...]]:
    return (term.bit_count(), bits(term))


@dataclass(frozen=True)
class LogLinearModel:
    """Intercept, all K main effects and the interaction ``terms`` (hierarchically closed)."""

    k: int
    terms: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        closed = _closure(self.terms)
        if closed != set(self.terms):
            raise ValueError(f"model is not hierarchical: {self.render()} needs {closed}")
        if any(t >= 1 << self.k or t.bit_count() < 2 for t in self.terms):
            raise ValueError("interaction terms must involve 2 or more of the K lists")
        object.__setattr__(self, "terms", tuple(sorted(set(self.terms), key=_term_key)))

    @classmethod
    def hierarchical(cls, k: int, generators: Sequence[int]) -> LogLinearModel:
        """The smallest hierarchical model containing ``generators``."""
        return cls(k, tuple(_closure(t for t in generators if t.bit_count() >= 2)))

    @property
    def parameters(self) -> tuple[int, ...]:
        """Every parameter as a term: intercept 0, main effects, interactions."""
        return (0, *(1 << i for i in range(self.k)), *self.terms)

    @property
    def order(self) -> int:
        return max((t.bit_count() for t in self.terms), default=1)

    def plus(self, term: int) -> LogLinearModel:
        return LogLinearModel.hierarchical(self.k, (*self.terms, term))

    def generators(self) -> tuple[int, ...]:
        """Maximal terms (the Rcapture / MultipleSystemsEstimation name of the model)."""
        all_terms = [1 << i for i in range(self.k)] + list(self.terms)
        maximal = [t for t in all_terms if not any(t != u and (t & u) == t for u in all_terms)]
        return tuple(sorted(maximal, key=bits))

    def render(self) -> str:
        """Rcapture / MultipleSystemsEstimation notation, lists numbered from 1: ``[12,13,4]``."""
        sep = "." if self.k >= 10 else ""
        return (
            "[" + ",".join(sep.join(str(i + 1) for i in bits(g)) for g in self.generators()) + "]"
        )

    def named_terms(self, lists: Sequence[str]) -> list[tuple[str, ...]]:
        return [tuple(lists[i] for i in bits(t)) for t in self.terms]

    def render_sparsemse(self, lists: Sequence[str], minus_infinity: Sequence[int] = ()) -> str:
        """SparseMSE notation (``LA:NG+NG:GO``, ``main``); pairs fitted at minus infinity
        are shown apart as ``[-inf: A:B]``."""
        live = [t for t in self.terms if t not in set(minus_infinity)]
        text = "+".join(":".join(lists[i] for i in bits(t)) for t in live) or "main"
        if minus_infinity:
            dead = "+".join(":".join(lists[i] for i in bits(t)) for t in minus_infinity)
            text += f" [-inf: {dead}]"
        return text


def _closure(terms: Sequence[int] | Iterator[int]) -> set[int]:
    out: set[int] = set()
    for t in terms:
        idx = bits(t)
        for r in range(2, len(idx) + 1):
            for sub in combinations(idx, r):
                out.add(sum(1 << i for i in sub))
    return out


def parse_model(text: str, lists: Sequence[str]) -> LogLinearModel:
    """Parse ``[12,23]`` (list numbers) or ``A:B+B:C`` / ``main`` (list names)."""
    k = len(lists)
    s = text.strip()
    gens: list[int] = []
    if s.startswith("[") and s.endswith("]"):
        for part in filter(None, (p.strip() for p in s[1:-1].split(","))):
            digits = part.split(".") if k >= 10 else list(part)
            try:
                idx = [int(d) - 1 for d in digits]
            except ValueError:
                raise ValueError(f"model {text!r}: {part!r} is not a list-number term") from None
            if any(not 0 <= i < k for i in idx):
                raise ValueError(f"model {text!r}: term {part!r} names a list outside 1..{k}")
            gens.append(sum(1 << i for i in idx))
    elif s != "main":
        for part in filter(None, (p.strip() for p in s.split("+"))):
            names = part.split(":")
            unknown = [n for n in names if n not in lists]
            if unknown:
                raise ValueError(f"model {text!r}: unknown list(s) {unknown}")
            gens.append(sum(1 << lists.index(n) for n in names))
    return LogLinearModel.hierarchical(k, gens)


def catalogue_size_bound(k: int, max_order: int) -> int:
    """Upper bound on the catalogue: 2 ** (number of interaction terms of order <= max_order)."""
    from math import comb

    return 2 ** sum(comb(k, r) for r in range(2, max_order + 1))


def hierarchical_models(k: int, max_order: int) -> list[LogLinearModel]:
    """Every hierarchical model with all main effects and interactions up to ``max_order``.

    Enumerated as downward-closed sets, deciding terms in order of size so that a term is only
    offered once all its sub-terms are in: 1,024 models for five lists at order 2, 32,768 for
    six. Raises ValueError when the catalogue would exceed MAX_CATALOGUE models.
    """
    max_order = min(max_order, k - 1) if k > 1 else 1
    candidates = [
        sum(1 << i for i in c) for r in range(2, max_order + 1) for c in combinations(range(k), r)
    ]
    if len(candidates) > 24 and catalogue_size_bound(k, min(max_order, 2)) > MAX_CATALOGUE:
        raise ValueError(
            f"the catalogue of hierarchical models for {k} lists up to order {max_order} is too "
            "large to search exhaustively; use --method stepwise or a lower --max-order"
        )
    parents = {t: [t & ~(1 << i) for i in bits(t)] for t in candidates}
    out: list[LogLinearModel] = []
    chosen: set[int] = set()

    def walk(pos: int) -> None:
        if len(out) > MAX_CATALOGUE:
            raise ValueError(
                f"more than {MAX_CATALOGUE} hierarchical models for {k} lists up to order "
                f"{max_order}; use --method stepwise or a lower --max-order"
            )
        if pos == len(candidates):
            out.append(LogLinearModel(k, tuple(chosen)))
            return
        t = candidates[pos]
        walk(pos + 1)
        if all(p.bit_count() < 2 or p in chosen for p in parents[t]):
            chosen.add(t)
            walk(pos + 1)
            chosen.discard(t)

    walk(0)
    return out
