"""How many children did no agency record? MSE on the mart's linked capture histories.

Every figure leaves here with its provenance: which lists (agencies), which period, which
stratum, which linkage run, which method, the interval and how it was made, and the warnings
an honest reader needs (``Provenance``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq

from lantern.estimation import CaptureTable, Estimate, estimate
from lantern.estimation.strata import StratifiedEstimate, combine
from lantern.linkage.quality import WARN_BELOW_RECALL, LinkageQuality
from lantern.monitoring import mart

STRATA = {
    "sex": "sex",
    "age_group": "age_group",
    "form": "primary_form",
    "citizenship": "citizenship",
}
MIN_LISTS = 3


class EstimateRequestError(ValueError):
    """The request cannot be estimated (the message says why, for the person asking)."""


@dataclass(frozen=True)
class EstimateRequest:
    start: dt.date | None = None
    end: dt.date | None = None
    agencies: tuple[str, ...] = ()
    method: str = "stepwise"
    bootstrap: int = 0
    seed: int = 1
    level: float = 0.95
    stratify_by: str | None = None

    def __post_init__(self) -> None:
        if self.stratify_by and self.stratify_by not in STRATA:
            raise EstimateRequestError(
                f"stratify_by must be one of {', '.join(STRATA)}, not {self.stratify_by!r}"
            )
        if self.start and self.end and self.start > self.end:
            raise EstimateRequestError("the period starts after it ends")
        if not 0 <= self.bootstrap <= 2000:
            raise EstimateRequestError("bootstrap replicates must be from 0 to 2,000")
        if not 0.5 <= self.level < 1:
            raise EstimateRequestError("level must be from 0.5 to 0.99")


@dataclass(frozen=True)
class Provenance:
    source: str
    lists: tuple[str, ...]
    period: str
    stratum: str
    linkage: str
    method: str
    scope: str
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "lists": list(self.lists),
            "period": self.period,
            "stratum": self.stratum,
            "linkage": self.linkage,
            "method": self.method,
            "scope": self.scope,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class MartEstimate:
    total: Estimate | StratifiedEstimate
    strata: dict[str, Estimate]
    table: CaptureTable
    provenance: Provenance

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.total.to_dict(),
            "strata": {k: v.to_dict() for k, v in self.strata.items()},
            "provenance": self.provenance.to_dict(),
        }


def _where(req: EstimateRequest) -> tuple[str, list[Any]]:
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if req.start:
        clauses.append("registration_month >= ?")
        params.append(req.start.replace(day=1))
    if req.end:
        clauses.append("registration_month <= ?")
        params.append(req.end)
    if req.agencies:
        clauses.append("agency IN (" + ",".join("?" * len(req.agencies)) + ")")
        params.extend(req.agencies)
    return " AND ".join(clauses), params


#: An estimate that moves by more than this factor when the uncertain links are accepted is
#: flagged as depending on the record linkage.
SENSITIVE_RATIO = 1.25


def _linkage_sensitivity(path: Path, req: EstimateRequest) -> tuple[int, float] | None:
    """Children and estimate (same selection and method, no bootstrap) with the uncertain
    links accepted; None when the mart predates the loose key or no estimate exists there."""
    if "person_key_loose" not in pq.read_schema(path).names:
        return None
    _, tables = histories(path, req, child_key="person_key_loose")
    try:
        found = [estimate(table, method=req.method, level=req.level) for table in tables.values()]
    except (ValueError, ArithmeticError):
        return None
    children = int(sum(int(np.sum(table.counts)) for table in tables.values()))
    return children, float(sum(e.estimate for e in found))


def histories(
    path: Path, req: EstimateRequest, child_key: str = "person_key"
) -> tuple[tuple[str, ...], dict[str, CaptureTable]]:
    """Capture tables per stratum ('' when not stratified) from the mart, via DuckDB.

    A child recorded in two strata (say, aged 14 by one agency and 15 by another) is counted
    in the stratum of their first registration. ``child_key`` is the column that says which records
    are one child (``person_key_loose`` for the linkage sensitivity).
    """
    where, params = _where(req)
    src = f"read_parquet('{path.as_posix()}')"
    con = duckdb.connect()
    try:
        lists = tuple(
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT agency FROM {src} WHERE {where} ORDER BY agency", params
            ).fetchall()
        )
        if len(lists) < MIN_LISTS:
            raise EstimateRequestError(
                f"{len(lists)} agencies recorded children in this selection; multiple systems "
                f"estimation needs at least {MIN_LISTS} lists"
            )
        stratum = STRATA[req.stratify_by] if req.stratify_by else "''"
        rows = con.execute(
            f"""
            SELECT coalesce(nullif(arg_min({stratum}, registration_month), ''), 'unknown') AS s,
                   list(DISTINCT agency) AS agencies
            FROM {src} WHERE {where} GROUP BY {child_key}
            """,
            params,
        ).fetchall()
    finally:
        con.close()
    index = {a: i for i, a in enumerate(lists)}
    per: dict[str, dict[tuple[int, ...], int]] = {}
    for s, agencies in rows:
        bits = [0] * len(lists)
        for a in agencies:
            bits[index[a]] = 1
        key = tuple(bits)
        bucket = per.setdefault(s if req.stratify_by else "", {})
        bucket[key] = bucket.get(key, 0) + 1
    return lists, {
        s: CaptureTable.from_histories(lists, list(h.items())) for s, h in sorted(per.items())
    }


def estimate_from_mart(req: EstimateRequest, path: Path | None = None) -> MartEstimate:
    info = mart.info(path.parent if path else None)
    if info is None:
        raise EstimateRequestError("the mart has not been built yet: run `lantern mart build`")
    lists, tables = histories(info.path, req)
    options: dict[str, Any] = {"method": req.method, "level": req.level}
    if req.bootstrap:
        options.update(bootstrap=req.bootstrap, seed=req.seed, interval="bca")
    strata: dict[str, Estimate] = {}
    try:
        for name, table in tables.items():
            strata[name] = estimate(table, **options)
    except (ValueError, ArithmeticError) as exc:  # no MLE / not identifiable: never a number
        raise EstimateRequestError(str(exc)) from exc
    total: Estimate | StratifiedEstimate
    if req.stratify_by:
        total = combine(strata, req.level)
        table = CaptureTable(lists, np.sum([t.counts for t in tables.values()], axis=0))
    else:
        total, table = strata.pop(""), tables[""]
    warnings = list(getattr(total, "warnings", ()))
    for name, e in strata.items():
        warnings += [f"{name}: {w}" for w in e.warnings]
    linked = (
        f"linkage run #{info.link_run}: {info.cases:,} agency records are "
        f"{info.children:,} children"
        if info.link_run
        else "records NOT linked across agencies"
    )
    quality = LinkageQuality.from_dict(info.link_quality) if info.link_quality else None
    if quality is not None and quality.expected_recall < WARN_BELOW_RECALL:
        warnings.insert(
            0,
            f"{quality.summary()}: records of one child left unlinked count as different "
            "children seen once each, so the dark figure and the estimate are overstated",
        )
    if not info.link_run:
        warnings.insert(
            0,
            "records have not been linked across agencies (run `lantern link`): the same child "
            "recorded by two agencies counts twice, overlaps are missed and the estimate is "
            "biased upward",
        )
    warnings.append(
        "agencies do not find children at random: where some children are much harder to find "
        "than others the estimate is biased downward; read it as a lower bound"
    )
    if info.link_run:
        moved = _linkage_sensitivity(info.path, req)
        if moved is not None:
            children, loose = moved
            linked += (
                f"; accepting the uncertain links too (p >= {mart.LOOSE_LINK}): "
                f"{children:,} children, estimate {loose:,.0f}"
            )
            if max(loose, total.estimate) > SENSITIVE_RATIO * min(loose, total.estimate):
                warnings.insert(
                    0,
                    f"the estimate depends on the record linkage: {total.estimate:,.0f} with the "
                    f"links made, {loose:,.0f} when the uncertain links (p >= "
                    f"{mart.LOOSE_LINK}) are accepted too",
                )
    period = f"{req.start or 'start of records'} to {req.end or 'latest records'}"
    method = strata_method = ""
    first = next(iter(strata.values()), None) if req.stratify_by else total
    if isinstance(first, Estimate):
        strata_method = first.method
        interval = first.interval.method if first.interval else "no interval"
        method = f"{strata_method}; interval: {interval}"
    prov = Provenance(
        source=f"Lantern mart built {info.built_at} from the case store",
        lists=lists,
        period=period,
        stratum=f"by {req.stratify_by}, estimated separately and summed"
        if req.stratify_by
        else "all children",
        linkage=linked,
        method=method,
        scope="children these agencies could have recorded in the period; not extrapolated "
        "beyond the places and populations they reach",
        warnings=tuple(dict.fromkeys(warnings)),
    )
    return MartEstimate(total=total, strata=strata, table=table, provenance=prov)
