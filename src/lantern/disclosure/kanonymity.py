"""k-anonymity for microdata exports: Sweeney's Datafly, full-domain generalisation.

Each quasi-identifier climbs its own hierarchy (age -> 5-year band -> minor or adult ->
suppressed; country -> region -> suppressed; year -> suppressed). Datafly (Sweeney 1998):
while more records sit in classes smaller than k than the suppression allowance, generalise
the quasi-identifier with the most distinct values one level; then drop the records left in
classes smaller than k. Recoding is global (every record of the export at the same level), so
an export keeps one vocabulary per column, as CTDC's k-anonymised dataset does. It is a
heuristic: it can generalise more than an optimal full-domain search (Incognito, Flash) would,
never less than k needs. Guarantee: every combination of quasi-identifier values in the output
occurs in at least k records. Unknown stays a category ("unknown") until the top level.

Fields that are not quasi-identifiers pass through unchanged; direct identifiers must not be in
the records at all (the mart's exports carry none).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SUPPRESSED = "*"
UNKNOWN = "unknown"

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Hierarchy:
    """One quasi-identifier's generalisation steps, from the value itself to suppressed.

    ``steps[i]`` maps an original value to its level ``i + 1`` value; the level above the last
    step is ``SUPPRESSED``. ``labels`` names each level for the report (level 0 first).
    """

    field: str
    steps: tuple[Callable[[Any], Hashable], ...]
    labels: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != self.top + 1:
            raise ValueError(f"{self.field}: {self.top + 1} level labels needed")

    @property
    def top(self) -> int:
        """The level at which every value is suppressed."""
        return len(self.steps) + 1

    def generalise(self, value: Any, level: int) -> Hashable:
        if level >= self.top:
            return SUPPRESSED
        if value is None or value == "":
            return UNKNOWN
        return value if level == 0 else self.steps[level - 1](value)


def age_hierarchy(field: str = "age", band: int = 5, adult_at: int = 18) -> Hierarchy:
    """Age in years -> a band of ``band`` years -> minor or adult -> suppressed."""

    def banded(age: Any) -> str:
        low = int(age) // band * band
        return f"{low}-{low + band - 1}"

    def minor(age: Any) -> str:
        return "minor" if int(age) < adult_at else "adult"

    return Hierarchy(field, (banded, minor), ("age", "age band", "minor or adult", "suppressed"))


def mapped_hierarchy(field: str, *maps: tuple[str, Mapping[Hashable, Hashable]]) -> Hierarchy:
    """A value -> one level per (label, mapping) -> suppressed, e.g. country -> region.

    Each mapping maps the original value; an unmapped value is refused rather than guessed.
    """

    def step(label: str, mapping: Mapping[Hashable, Hashable]) -> Callable[[Any], Hashable]:
        def apply(value: Any) -> Hashable:
            if value not in mapping:
                raise ValueError(f"{field}: the {label} of {value!r} is not known")
            return mapping[value]

        return apply

    labels = (field, *(label for label, _ in maps), "suppressed")
    return Hierarchy(field, tuple(step(label, m) for label, m in maps), labels)


def suppress_only(field: str) -> Hierarchy:
    """A value -> suppressed (e.g. the year of identification)."""
    return Hierarchy(field, (), (field, "suppressed"))


@dataclass(frozen=True)
class Report:
    """What k-anonymisation did: the level each quasi-identifier reached and who was dropped."""

    k: int
    levels: dict[str, str]
    records_in: int
    suppressed: int
    allowance: int
    method: str = "Datafly (Sweeney 1998): full-domain generalisation, then record suppression"


@dataclass(frozen=True)
class AnonymisedRecords:
    records: list[dict[str, Any]]
    report: Report
    levels: dict[str, int] = field(default_factory=dict)


def _keys(
    records: list[Record], hierarchies: list[Hierarchy], levels: dict[str, int]
) -> list[tuple[Hashable, ...]]:
    return [
        tuple(h.generalise(r.get(h.field), levels[h.field]) for h in hierarchies) for r in records
    ]


def k_anonymise(
    records: Iterable[Record],
    hierarchies: Iterable[Hierarchy],
    k: int = 11,
    max_suppressed: float = 0.05,
) -> AnonymisedRecords:
    """Generalise and, as a last resort, drop records until each combination occurs k times.

    ``max_suppressed`` is the share of records Datafly may drop instead of generalising further;
    if fewer than k records come in, all are dropped (nothing can hide among fewer than k).
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0 <= max_suppressed <= 1:
        raise ValueError("the suppression allowance is a share between 0 and 1")
    rows = list(records)
    qis = list(hierarchies)
    if len({h.field for h in qis}) != len(qis):
        raise ValueError("each quasi-identifier needs exactly one hierarchy")
    allowance = math.floor(max_suppressed * len(rows))
    levels = {h.field: 0 for h in qis}
    while True:
        keys = _keys(rows, qis, levels)
        sizes = Counter(keys)
        small = sum(n for n in sizes.values() if n < k)
        climbable = [h for h in qis if levels[h.field] < h.top]
        if small <= allowance or not climbable:
            break
        widest = max(climbable, key=lambda h: len({key[qis.index(h)] for key in keys}))
        levels[widest.field] += 1
    kept = []
    for row, key in zip(rows, keys, strict=True):
        if sizes[key] >= k:
            out = dict(row)
            out.update({h.field: value for h, value in zip(qis, key, strict=True)})
            kept.append(out)
    report = Report(
        k=k,
        levels={h.field: h.labels[levels[h.field]] for h in qis},
        records_in=len(rows),
        suppressed=len(rows) - len(kept),
        allowance=allowance,
    )
    return AnonymisedRecords(kept, report, dict(levels))
