"""Naming traditions: large, heavy-tailed, deterministic name registers built from name parts.

Real children are told apart by their names because a country's register holds thousands of
given names with a Zipf-like frequency, not a dozen. Lists of a few curated names cannot give
that, so each tradition in ``data/names.yaml`` composes names from its own elements (Thai,
Lao, Khmer and Burmese syllables, Sanskrit stems and endings, Arabic ism and nasab, Albanian
forefathers' names with ``-aj``) and keeps each element's native spelling beside its
romanisations, so the native form and every Latin form of a composed name stay consistent.
Everything here is a pure function of the data file: no seed, no state.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from lantern.simulation.romanise import recase


class NamingError(ValueError):
    """A naming tradition in ``data/names.yaml`` is malformed."""


@dataclass(frozen=True)
class NameEntry:
    """One name: its native spelling and the romanisations agencies use for it."""

    native: str
    latin: tuple[str, ...]


#: Separators of a compose pattern: (native join, Latin join).
SEPARATORS: Final[dict[str, tuple[str, str]]] = {"+": ("", ""), " ": (" ", " "), "~": ("", " ")}
#: At most this many Latin forms per composed name (usual form first).
MAX_FORMS = 5
#: Default Zipf-Mandelbrot parameters (s, q) of a list without its own.
DEFAULT_ZIPF: Final[tuple[float, float]] = (1.0, 25.0)


def fold(text: str) -> str:
    """Latin text without diacritics (Mădălina -> Madalina), as most records write it."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def entry(item: Any, latin_script: bool, where: str) -> NameEntry:
    """One name or part: ``[native, usual, variants...]``, or a bare string in Latin script."""
    if isinstance(item, str):
        if not latin_script:
            raise NamingError(f"{where}: {item!r} needs a native and a Latin form")
        item = [item, fold(item), item]
    if not isinstance(item, list) or len(item) < 2 or not all(isinstance(x, str) for x in item):
        raise NamingError(f"{where}: {item!r} needs a native and a Latin form")
    return NameEntry(native=item[0], latin=tuple(dict.fromkeys(item[1:])))


def _pattern(text: str, parts: Mapping[str, Sequence[NameEntry]], where: str) -> list[Any]:
    tokens = re.split(r"([+ ~])", text)
    names, seps = tokens[0::2], tokens[1::2]
    for name in names:
        if name not in parts:
            raise NamingError(f"{where}: pattern {text!r} names unknown part {name!r}")
    return [names, seps]


def _join(chosen: Sequence[NameEntry], seps: Sequence[str], latin_script: bool) -> NameEntry:
    """A composed name: natives joined, the usual Latin forms joined, and a few variants."""
    native = chosen[0].native
    for sep, part in zip(seps, chosen[1:], strict=True):
        native += SEPARATORS[sep][0] + part.native

    def latin(pick: Sequence[str]) -> str:
        text = pick[0]
        for sep, form in zip(seps, pick[1:], strict=True):
            text += SEPARATORS[sep][1] + form
        return recase(text)

    usual = [p.latin[0] for p in chosen]
    forms = [latin(usual)]
    if latin_script:
        native = recase(native)
        forms = [fold(native), native]
    for i, part in enumerate(chosen):
        if len(part.latin) > 1:
            forms.append(latin([*usual[:i], part.latin[1], *usual[i + 1 :]]))
    if "~" in seps:
        forms.append(recase(forms[0].replace(" ", "").lower()))
    return NameEntry(native=native, latin=tuple(dict.fromkeys(forms))[:MAX_FORMS])


def name_list(
    spec: Any, parts: Mapping[str, Sequence[NameEntry]], latin_script: bool, where: str
) -> tuple[tuple[NameEntry, ...], tuple[float, float]]:
    """The names of one list (commonest first) and its Zipf-Mandelbrot parameters (s, q).

    Curated ``names`` come first; composed names follow in order of commonness (the product
    of their parts' weights 1/(rank + 2), later patterns rarer), until ``size`` distinct
    names, distinct both in native script and in usual romanisation, are found.
    """
    if isinstance(spec, list):  # a plain list of curated names
        spec = {"names": spec}
    if not isinstance(spec, dict):
        raise NamingError(f"{where}: expected a list of names or a mapping")
    curated = [entry(x, latin_script, where) for x in spec.get("names") or []]
    patterns = [_pattern(str(p), parts, where) for p in spec.get("compose") or []]
    size = int(spec.get("size", len(curated)))
    zipf = spec.get("zipf") or {}
    s, q = float(zipf.get("s", DEFAULT_ZIPF[0])), float(zipf.get("q", DEFAULT_ZIPF[1]))
    if size < 1 or s <= 0 or q < 0:
        raise NamingError(f"{where}: size must be positive, zipf s > 0 and q >= 0")

    out: list[NameEntry] = []
    seen_native: set[str] = set()
    seen_latin: set[str] = set()

    def keep(e: NameEntry) -> None:
        key = e.latin[0].casefold()
        if e.native not in seen_native and key not in seen_latin and len(out) < size:
            out.append(e)
            seen_native.add(e.native)
            seen_latin.add(key)

    for e in curated:
        keep(e)
    candidates: list[tuple[float, int, int, tuple[int, ...]]] = []
    for p_i, (names, _) in enumerate(patterns):
        ranks = [range(len(parts[n])) for n in names]
        for order, combo in enumerate(product(*ranks)):
            weight = 1.0 / (p_i + 1)
            for r in combo:
                weight /= r + 2
            candidates.append((-weight, p_i, order, combo))
    candidates.sort()
    for _, p_i, _, combo in candidates:
        if len(out) >= size:
            break
        names, seps = patterns[p_i]
        keep(_join([parts[n][r] for n, r in zip(names, combo, strict=True)], seps, latin_script))
    if not out:
        raise NamingError(f"{where}: no names")
    return tuple(out), (s, q)


def parts_of(raw: Any, latin_script: bool, where: str) -> dict[str, tuple[NameEntry, ...]]:
    """The name elements of a tradition, by part name."""
    if not isinstance(raw, dict):
        raise NamingError(f"{where}: parts must be a mapping of part name to entries")
    return {
        str(k): tuple(entry(x, latin_script, f"{where} part {k}") for x in v)
        for k, v in raw.items()
    }


def zipf_cumulative(n: int, s: float, q: float) -> NDArray[np.float64]:
    """Cumulative Zipf-Mandelbrot probabilities of ranks 1..n, weight (rank + q) ** -s."""
    w = (np.arange(1, n + 1, dtype=np.float64) + q) ** -s
    cum = np.cumsum(w)
    return cum / cum[-1]


def villages(spec: Any, parts: Mapping[str, Sequence[NameEntry]], where: str) -> tuple[str, ...]:
    """Locality names of a tradition (Latin), e.g. ``Ban Nongkham``; empty when not given."""
    if not spec:
        return ()
    fmt = str(spec.get("format", "{}"))
    names, _ = name_list(
        {"compose": spec["compose"], "size": int(spec.get("size", 400))}, parts, False, where
    )
    return tuple(fmt.format(e.latin[0]) for e in names)
