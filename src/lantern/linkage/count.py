"""``lantern count``'s path, from agency records to one figure: link, draw, estimate, pool.

Plain functions over the two pure cores (no Django, no store): :mod:`lantern.recordlinkage`
links the records and draws clusterings from the pair probabilities, and
:mod:`lantern.estimation` estimates every draw's capture-history table and pools them. It
sits here because a pure core may not import another (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lantern.estimation import (
    RECOMMENDED,
    CaptureTable,
    Estimate,
    estimate,
    recommended_method,
)
from lantern.estimation.pooled import pool
from lantern.estimation.visibility import VisibilityRange, visibility_range
from lantern.recordlinkage import (
    WARN_BELOW_RECALL,
    LinkageOptions,
    LinkageResult,
    link_records,
)
from lantern.recordlinkage.population import (
    POPULATION_COLUMNS,
    POPULATIONS,
    Population,
    child_flags,
    describe,
    kept,
    record_flags,
)
from lantern.recordlinkage.uncertainty import (
    history_counts,
    history_masks,
    pair_rows,
    sample_clusterings,
)

#: Clusterings drawn from the pair probabilities.
DEFAULT_DRAWS = 20
#: lcmcr's schedule on each draw: the draws are many and each adds its own chains, so each runs
#: shorter than a lone estimate (4 chains x 5,000 burn-in + 250 x 20; measured in the doc).
DRAW_LCMCR: dict[str, int] = {"chains": 2, "burnin": 5000, "samples": 250, "thin": 20}


@dataclass(frozen=True)
class CountResult:
    """The figure with its linkage draws, the single clustering's estimate for comparison, and
    who was counted."""

    estimate: Estimate
    single: Estimate | None
    lists: tuple[str, ...]
    table: CaptureTable  # the run's own clustering (links at the threshold)
    draw_tables: list[CaptureTable]
    population: Population
    linkage: dict[str, Any]
    warnings: tuple[str, ...] = field(default=())
    #: [the interval's low, Mth Gamma3.5's highest high over the draws] (high None: no upper
    #: limit); None when Gamma3.5 cannot be fitted (a warning says why). Never the figure.
    visibility: VisibilityRange | None = None

    def to_dict(self) -> dict[str, Any]:
        e = self.estimate
        return {
            "observed": e.observed,
            "estimate": e.estimate,
            "dark_figure": e.dark_figure,
            "interval": e.interval.to_dict() if e.interval else None,
            "method": e.method,
            "lists": list(self.lists),
            "linkage": self.linkage,
            "population": self.population.to_dict(),
            "single_clustering": None
            if self.single is None
            else {
                "observed": self.single.observed,
                "estimate": self.single.estimate,
                "interval": self.single.interval.to_dict() if self.single.interval else None,
            },
            "visibility_range": None if self.visibility is None else self.visibility.to_dict(),
            "settings": e.settings,
            "warnings": list(self.warnings),
        }


def population_flags(records: pd.DataFrame | pa.Table | Path, keys: pd.DataFrame) -> np.ndarray:
    """Each linked record's population flags, in the order of ``keys`` (agency, record id).

    A file is read again for the columns the population needs (linkage reads others)."""
    wanted = {"agency", "source_record_id", *POPULATION_COLUMNS}
    if isinstance(records, Path) and records.suffix.lower() == ".csv":
        frame = pd.read_csv(
            records, dtype=str, keep_default_na=False, usecols=lambda c: c in wanted
        )
    elif isinstance(records, Path):
        names = set(pq.read_schema(records).names)
        frame = pq.read_table(records, columns=[c for c in names if c in wanted]).to_pandas()
    elif isinstance(records, pa.Table):
        frame = records.to_pandas()
    else:
        frame = records
    frame = frame.astype({"agency": str, "source_record_id": str})
    frame = frame.drop_duplicates(["agency", "source_record_id"]).set_index(
        ["agency", "source_record_id"]
    )
    flags = pd.Series(record_flags(frame), index=frame.index)
    index = pd.MultiIndex.from_frame(keys[["agency", "source_record_id"]].astype(str))
    return flags.reindex(index).fillna(0).to_numpy(dtype=np.int64)


def _table(
    labels: np.ndarray,
    agency_index: np.ndarray,
    flags: np.ndarray,
    lists: tuple[str, ...],
    population: str,
) -> CaptureTable:
    keep = kept(child_flags(labels, flags), population)
    masks = history_masks(labels, agency_index)[keep]
    return CaptureTable(lists, history_counts(masks, len(lists)))


def estimator(method: str, seed: int, level: float) -> Callable[[CaptureTable], Estimate]:
    """The estimate of one table by ``method`` (lcmcr runs the shorter per-draw schedule)."""
    options: dict[str, Any] = {"method": method, "level": level}
    if method == "lcmcr":
        options.update(DRAW_LCMCR, seed=seed)
    return lambda table: estimate(table, **options)


def count_linked(
    records: pd.DataFrame | pa.Table | Path,
    result: LinkageResult,
    method: str = RECOMMENDED,
    draws: int = DEFAULT_DRAWS,
    seed: int = 1,
    level: float = 0.95,
    population: str = "children",
) -> CountResult:
    """Estimate from a linkage run: every clustering drawn, estimated, then pooled."""
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {', '.join(POPULATIONS)}, got {population!r}")
    keys = result.clusters
    lists = tuple(sorted(keys["agency"].unique()))
    if method == RECOMMENDED:
        method = recommended_method(len(lists))
    agency_index = pd.Index(lists).get_indexer(keys["agency"]).astype(np.int64)
    flags = population_flags(records, keys)
    unique_ids = (keys["agency"].astype(str) + "|" + keys["source_record_id"].astype(str)).tolist()
    own = np.unique(keys["cluster_id"].to_numpy(), return_inverse=True)[1].astype(np.int64)
    table = _table(own, agency_index, flags, lists, population)
    people = describe(child_flags(own, flags), everyone=population == "all")
    left, right, prob, same, different = pair_rows(result.pairs, unique_ids)
    rng = np.random.default_rng(seed)
    labels = sample_clusterings(
        len(keys), left, right, prob, draws, rng, result.options.cohesion, same, different
    )
    tables = [_table(row, agency_index, flags, lists, population) for row in labels]
    found, failed = [], 0
    for i, t in enumerate(tables):
        try:
            found.append(estimator(method, seed + i, level)(t))
        except (ValueError, ArithmeticError):
            failed += 1
    warnings: list[str] = []
    if not found:
        raise ValueError(
            f"no estimate exists on any of the {draws} clusterings drawn from the linkage "
            f"({method}); try another --method"
        )
    if failed:
        warnings.append(f"{failed} of {draws} linkage draws gave no estimate and were left out")
    pooled, _ = pool(found, level, rng)
    try:
        single: Estimate | None = estimator(method, seed, level)(table)
    except (ValueError, ArithmeticError):
        single = None
    quality = result.quality()
    linkage = {
        "records": len(keys),
        "children_found": int(keys["cluster_id"].nunique()),
        "expected_recall": round(quality.expected_recall, 4),
        "expected_precision": round(quality.expected_precision, 4),
        "threshold": result.options.threshold,
        "draws": draws,
        "children_over_draws": [min(t.observed for t in tables), max(t.observed for t in tables)],
    }
    ci = pooled.interval
    if single is not None and ci is not None and not ci.low <= single.estimate <= ci.high:
        warnings.append(
            f"the run's own clustering alone gives {single.estimate:,.0f}, outside the "
            "interval: the figure depends on the uncertain links, which the interval carries"
        )
    if quality.expected_recall < WARN_BELOW_RECALL:
        warnings.append(
            f"the linkage expects its links to cover {quality.expected_recall:.0%} of the "
            "pairs that belong together; the draws link the uncertain pairs by their "
            "probabilities, so read the interval, not the run's own clustering"
        )
    warnings.extend(pooled.warnings)
    # the same histories as the figure: every clustering drawn (see visibility_range on why
    # the low is the pooled interval's and the high the highest draw's)
    visibility, visibility_warnings = (
        visibility_range(tables, ci.low, ci.high, level, pooled.method)
        if ci is not None
        else (None, ["no interval: no range under varying visibility"])
    )
    warnings.extend(visibility_warnings)
    return CountResult(
        estimate=pooled,
        single=single,
        lists=lists,
        table=table,
        draw_tables=tables,
        population=people,
        linkage=linkage,
        warnings=tuple(dict.fromkeys(warnings)),
        visibility=visibility,
    )


def count_records(
    records: pd.DataFrame | pa.Table | Path,
    options: LinkageOptions | None = None,
    **kwargs: Any,
) -> tuple[CountResult, LinkageResult]:
    """Link the records, then :func:`count_linked`."""
    result = link_records(records, options or LinkageOptions())
    return count_linked(records, result, **kwargs), result


def report(result: CountResult, seconds: float) -> str:
    """The folder's report.md: the figure, how it was made and whom it counts."""
    e, p, link = result.estimate, result.population, result.linkage
    assert e.interval is not None
    lines = [
        "# How many children did no agency record?",
        "",
        f"**{e.estimate:,.0f}** children ({e.interval.level:.0%} interval "
        f"{e.interval.low:,.0f} to {e.interval.high:,.0f}); {e.observed:,} of them recorded "
        "by at least one agency.",
        "",
        *_visibility_lines(result.visibility),
        f"- Method: {e.method} ({e.settings.get('description', '')}); interval: "
        f"{e.interval.method}.",
        f"- Lists: {', '.join(result.lists)}.",
        f"- Linkage: {link['records']:,} records, {link['children_found']:,} people in the "
        f"run's own clustering (links at p >= {link['threshold']}); expected recall "
        f"{link['expected_recall']:.0%}, precision {link['expected_precision']:.0%}; "
        f"{link['draws']} clusterings drawn from the pair probabilities hold "
        f"{link['children_over_draws'][0]:,} to {link['children_over_draws'][1]:,} people "
        "counted.",
        f"- Population: {p.definition}. Of {p.people:,} linked people, {p.counted:,} counted"
        + (
            f"; left out {p.adults:,} adults and {p.not_victims:,} screened not victims; "
            if p.counted < p.people
            else f", {p.adults:,} adults and {p.not_victims:,} screened not victims among them; "
        )
        + f"{p.age_unknown:,} of unknown age.",
    ]
    if result.single is not None and result.single.interval is not None:
        s = result.single
        assert s.interval is not None
        lines.append(
            f"- The run's own clustering alone: {s.estimate:,.0f} ({s.interval.low:,.0f} to "
            f"{s.interval.high:,.0f}), as if every link were certain."
        )
    lines.append(f"- Run time: {seconds:.0f} s.")
    if result.warnings:
        lines += ["", "## Read with care", "", *(f"- {w}" for w in result.warnings)]
    lines += [
        "",
        "Files: capture_histories.csv (the run's own clustering), "
        "capture_histories_draws.csv (every draw), count.json.",
        "",
    ]
    return "\n".join(lines)


def _visibility_lines(v: VisibilityRange | None) -> list[str]:
    """The report's paragraph on the range under varying visibility (none without it)."""
    if v is None:
        return []
    if v.high is None:
        reach = (
            "these records set no upper limit on the number; range under varying visibility: "
            f"{v.low:,.0f} and up"
        )
    else:
        reach = (
            f"the number could be as high as **{v.high:,.0f}**; range under varying "
            f"visibility: {v.low:,.0f} to {v.high:,.0f}"
        )
    return [
        f"If some children are much harder for every agency to find than others, {reach} "
        f"({v.method}; {v.basis}). It does not correct for agencies that refer children to "
        "each other.",
        "",
    ]
