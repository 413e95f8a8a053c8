"""Merging lists: more than five lists become five, so dga's model averaging can run.

dga averages over every decomposable graph, and there are 822 on five lists but about 18,000 on
six. Merging two lists into one (a child is on the merged list if on either) is standard in
multiple systems estimation: the estimate stays valid whatever the dependence between the two
merged lists, because it disappears inside the merged list, and dga's averaging covers the
dependence among the lists that remain. Which lists to merge is chosen by measurement
(docs/estimation.md, "More than five lists"): the two smallest lists, again and again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from lantern.estimation.dga import MAX_LISTS, dga
from lantern.estimation.result import Estimate
from lantern.estimation.table import CaptureTable

Rule = Literal["smallest", "dependent"]
RULES: tuple[str, ...] = ("smallest", "dependent")
#: dga's largest number of lists.
TARGET = MAX_LISTS
SEPARATOR = " + "


def merge_lists(table: CaptureTable, groups: Sequence[Sequence[int]]) -> CaptureTable:
    """The table of the merged lists: ``groups`` partitions the list indices, one group per
    new list (named by its members joined with " + ")."""
    flat = sorted(i for g in groups for i in g)
    if flat != list(range(table.k)) or any(not g for g in groups):
        raise ValueError(f"groups must partition the {table.k} lists, got {list(groups)}")
    new = np.zeros_like(table.cells)
    for j, group in enumerate(groups):
        new |= _on(table, group).astype(np.int64) << j
    counts = np.bincount(new, weights=table.counts, minlength=2 ** len(groups))[1:]
    names = tuple(SEPARATOR.join(table.lists[i] for i in group) for group in groups)
    return CaptureTable(names, counts.round().astype(np.int64))


def _on(table: CaptureTable, group: Sequence[int]) -> npt.NDArray[np.bool_]:
    mask = sum(1 << i for i in group)
    return (table.cells & mask) != 0


def _log_odds(table: CaptureTable, a: Sequence[int], b: Sequence[int]) -> float:
    """Observed log odds ratio of being on ``a`` and ``b`` (0.5 added to every cell)."""
    on_a, on_b, n = _on(table, a), _on(table, b), table.counts
    both, only_a = n[on_a & on_b].sum(), n[on_a & ~on_b].sum()
    only_b, neither = n[~on_a & on_b].sum(), n[~on_a & ~on_b].sum()
    return float(np.log((both + 0.5) * (neither + 0.5) / ((only_a + 0.5) * (only_b + 0.5))))


def merge_plan(
    table: CaptureTable, rule: str = "smallest", target: int = TARGET
) -> list[list[int]]:
    """Groups of list indices, merged pair by pair until ``target`` lists remain.

    ``smallest``: merge the two lists with the fewest children (small lists carry the least
    information on their own and the most noise in their overlaps). ``dependent``: merge the two
    lists whose overlap shows the strongest positive dependence (their dependence then no longer
    has to be modelled).
    """
    if rule not in RULES:
        raise ValueError(f"unknown merge rule {rule!r}; choose one of {', '.join(RULES)}")
    groups = [[i] for i in range(table.k)]
    while len(groups) > target:
        pairs = [(i, j) for i in range(len(groups)) for j in range(i + 1, len(groups))]
        if rule == "smallest":
            size = [int(table.counts[_on(table, g)].sum()) for g in groups]
            i, j = min(pairs, key=lambda p: (size[p[0]] + size[p[1]], p))
        else:
            i, j = max(pairs, key=lambda p: _log_odds(table, groups[p[0]], groups[p[1]]))
        groups[i] = sorted(groups[i] + groups[j])
        del groups[j]
    return groups


def merged_message(names: Sequence[str]) -> str:
    """The warning that states the merge (the page translates it by this exact shape)."""
    return (
        f"dga handles at most {TARGET} lists: the smallest lists were merged into one "
        f"({'; '.join(names)}) and a child on any of them counts as on the merged list"
    )


def dga_merged(
    table: CaptureTable, *, level: float = 0.95, max_total: float | None = None
) -> Estimate:
    """dga on the table merged down to five lists by the ``smallest`` rule, the merge stated
    in the settings and the warnings."""
    groups = merge_plan(table, "smallest")
    merged = merge_lists(table, groups)
    e = dga(merged, level=level, max_total=max_total)
    joined = [merged.lists[j] for j, g in enumerate(groups) if len(g) > 1]
    settings = e.settings | {
        "lists_given": list(table.lists),
        "merge_rule": "smallest",
        "merged_lists": [[table.lists[i] for i in g] for g in groups if len(g) > 1],
    }
    return replace(e, settings=settings, warnings=(merged_message(joined), *e.warnings))
