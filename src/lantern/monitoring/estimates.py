"""How many children did no agency record? MSE on the mart's linked capture histories.

Every figure leaves here with its provenance: which lists (agencies), which period, which
stratum, which linkage run, which method, the interval and how it was made, and the warnings
an honest reader needs (``Provenance``). The provenance is written in the reader's language
(gettext: English when no language is active); the pure estimation library speaks English only,
so its messages are translated here, at the page boundary (``estimation_message``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.parquet as pq
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.estimation import RECOMMENDED, CaptureTable, Estimate, estimate, recommended_method
from lantern.estimation.api import BAYESIAN
from lantern.estimation.dga import MAX_LISTS as DGA_MAX_LISTS
from lantern.estimation.strata import StratifiedEstimate, combine
from lantern.monitoring import mart
from lantern.monitoring.agreement import PLAIN, Agreement, Figure, judge, method_name
from lantern.monitoring.coarsen import CHILD_AGE_CATEGORIES
from lantern.monitoring.visibility import PageRange, page_range
from lantern.recordlinkage import population
from lantern.recordlinkage.quality import WARN_BELOW_RECALL, LinkageQuality

STRATA = {
    "sex": "sex",
    "age_group": "age_group",
    "form": "primary_form",
    "citizenship": "citizenship",
}
MIN_LISTS = 3
#: Who is counted: ``children`` (the default: under 18 at identification or presumed minors,
#: screened possible or actual victims) or ``all`` (every person in the mart, as before).
POPULATIONS = population.POPULATIONS
POPULATION_SCOPE: dict[str, Promise] = {
    "children": gettext_lazy(
        "Counted: children under 18 at identification or presumed minors (or whose age no "
        "agency recorded), screened possible or actual victims of trafficking by at least one "
        "agency; adults and those screened not victims are left out."
    ),
    "all": gettext_lazy(
        "Counted: every person in the records, adults and those screened not victims included."
    ),
}


class EstimateRequestError(ValueError):
    """The request cannot be estimated (the message says why, for the person asking)."""


class NoEstimate(EstimateRequestError):
    """A well-formed request the data cannot answer: no mart yet, too few lists, or no
    estimate exists on these histories."""


@dataclass(frozen=True)
class EstimateRequest:
    start: dt.date | None = None
    end: dt.date | None = None
    agencies: tuple[str, ...] = ()
    method: str = RECOMMENDED
    bootstrap: int = 0
    seed: int = 1
    level: float = 0.95
    stratify_by: str | None = None
    population: str = "children"

    def __post_init__(self) -> None:
        if self.population not in POPULATIONS:
            raise EstimateRequestError(
                f"population must be one of {', '.join(POPULATIONS)}, not {self.population!r}"
            )
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
    agreement: Agreement
    method: str = ""  # the method used (the recommended one resolved)
    explanation: str = ""  # what the method does, in plain language
    visibility: PageRange | None = None  # beside the figure: Mth Gamma3.5's high (docs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "visibility_range": self.visibility.to_dict() if self.visibility else None,
            "result": self.total.to_dict(),
            "strata": {k: v.to_dict() for k, v in self.strata.items()},
            "provenance": self.provenance.to_dict(),
            "agreement": self.agreement.to_dict(),
            "method": self.method,
            "explanation": self.explanation,
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


def _whole(value: float) -> str:
    """A count as the statistics pages show it: rounded, grouped in the reader's locale."""
    return number_format(round(value), force_grouping=True)


def _points(share: float) -> str:
    """A share as whole percentage points; the sentence carries the sign (40% / 40 %)."""
    return number_format(round(share * 100))


def _models_left_out(m: re.Match[str]) -> str:
    failed = int(m["failed"])
    return ngettext(
        "%(failed)s of %(considered)s models failed the existence or identifiability check "
        "and was left out",
        "%(failed)s of %(considered)s models failed the existence or identifiability check "
        "and were left out",
        failed,
    ) % {"failed": _whole(failed), "considered": _whole(int(m["considered"]))}


def _lists_never_overlap(m: re.Match[str]) -> str:
    return _("lists never overlap (%(lists)s): their term is fitted at minus infinity") % {
        "lists": m["lists"]
    }


def _replicates_dropped(m: re.Match[str]) -> str:
    bad = int(m["bad"])
    return ngettext(
        "%(bad)s bootstrap replicate had no valid model and was dropped",
        "%(bad)s bootstrap replicates had no valid model and were dropped",
        bad,
    ) % {"bad": _whole(bad)}


def _lists_merged(m: re.Match[str]) -> str:
    return _(
        "model averaging handles at most %(most)s lists: the smallest lists were merged into "
        "one (%(lists)s) and a child on any of them counts as on the merged list"
    ) % {"most": m["most"], "lists": m["lists"]}


#: lantern.estimation's messages (warnings, interval methods), word for word, and what the page
#: shows instead; the library is pure and English-only, so the translation happens here.
_LIBRARY_EXACT: dict[str, Promise] = {
    "interval ignores the uncertainty of choosing the model; use --bootstrap": gettext_lazy(
        "interval ignores the uncertainty of choosing the model; use --bootstrap"
    ),
    "dark figure exceeds ten times the observed: the estimate is fragile": gettext_lazy(
        "dark figure exceeds ten times the observed: the estimate is fragile"
    ),
    "normal on log dark figure, model-conditional": gettext_lazy(
        "normal on log dark figure, model-conditional"
    ),
    "profile likelihood (multinomial), model-conditional": gettext_lazy(
        "profile likelihood (multinomial), model-conditional"
    ),
    "BCa bootstrap, model choice redone in every replicate": gettext_lazy(
        "BCa bootstrap, model choice redone in every replicate"
    ),
    "equal-tailed posterior interval": gettext_lazy("equal-tailed posterior interval"),
    "equal-tailed posterior interval, averaged over graphs": gettext_lazy(
        "equal-tailed posterior interval, averaged over graphs"
    ),
    "percentile of summed stratum bootstraps": gettext_lazy(
        "percentile of summed stratum bootstraps"
    ),
    "normal, variances of stratum intervals added": gettext_lazy(
        "normal, variances of stratum intervals added"
    ),
}
_LIBRARY_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            r"(?P<failed>\d+) of (?P<considered>\d+) models failed the existence or "
            r"identifiability check and were left out"
        ),
        _models_left_out,
    ),
    (
        re.compile(
            r"lists never overlap \((?P<lists>.+)\): their term is fitted at minus infinity"
        ),
        _lists_never_overlap,
    ),
    (
        re.compile(r"(?P<bad>\d+) bootstrap replicates had no valid model and were dropped"),
        _replicates_dropped,
    ),
    (
        re.compile(
            r"dga handles at most (?P<most>\d+) lists: the smallest lists were merged into one "
            r"\((?P<lists>.+)\) and a child on any of them counts as on the merged list"
        ),
        _lists_merged,
    ),
)


def estimation_message(text: str) -> str:
    """One lantern.estimation message in the reader's language; unknown ones pass unchanged
    (a new library warning must still reach the reader, if only in English)."""
    if text in _LIBRARY_EXACT:
        return str(_LIBRARY_EXACT[text])
    for pattern, render in _LIBRARY_PATTERNS:
        if m := pattern.fullmatch(text):
            return render(m)
    return text


def _quality_warning(quality: LinkageQuality) -> str:
    """The run's own expectation of its links (``LinkageQuality.summary``, in the reader's
    language) and what it does to the estimate."""
    return ngettext(
        "the linkage model expects %(pairs)s pairs of records to belong to one child; its "
        "%(links)s link is expected to cover %(recall)s%% of them, %(precision)s%% of the "
        "links right (its own estimate, from lambda and the links' probabilities; on "
        "synthetic data it erred by up to 8 points either way): records of one child left "
        "unlinked count as different "
        "children seen once each, so the dark figure and the estimate are overstated",
        "the linkage model expects %(pairs)s pairs of records to belong to one child; its "
        "%(links)s links are expected to cover %(recall)s%% of them, %(precision)s%% of the "
        "links right (its own estimate, from lambda and the links' probabilities; on "
        "synthetic data it erred by up to 8 points either way): records of one child left "
        "unlinked count as different "
        "children seen once each, so the dark figure and the estimate are overstated",
        quality.links,
    ) % {
        "pairs": _whole(quality.expected_matching_pairs),
        "links": _whole(quality.links),
        "recall": _points(quality.expected_recall),
        "precision": _points(quality.expected_precision),
    }


#: An estimate that moves by more than this factor when the uncertain links are accepted is
#: flagged as depending on the record linkage.
SENSITIVE_RATIO = 1.25


def _linkage_sensitivity(path: Path, req: EstimateRequest) -> tuple[int, float] | None:
    """Children and estimate (same selection and method, no bootstrap) with the uncertain
    links accepted; None when the mart predates the loose key or no estimate exists there."""
    if "person_key_loose" not in pq.read_schema(path).names:
        return None
    tables = histories(path, req, child_key="person_key_loose")[1]
    try:
        found = [
            estimate(table, **_options(req, bootstrap=False, comparison=True))
            for table in tables.values()
        ]
    except (ValueError, ArithmeticError):
        return None
    children = int(sum(int(np.sum(table.counts)) for table in tables.values()))
    return children, float(sum(e.estimate for e in found))


def _flags() -> str:
    """Each child's population flags (:mod:`lantern.recordlinkage.population`'s bits, OR-ed over
    their records in the selection), from the mart's age category and screening; whether the
    child is counted is then decided by ``population.counted``, the one definition, as on
    records: one record placing the child under 18 or as a presumed minor is enough, and so is
    no record giving any age; one record screening them a possible or actual victim is enough,
    and so is no record screening them "not a victim". Every record of a counted child counts
    in their capture history: the agency found the child, whatever age it wrote."""
    children = ", ".join(f"'{c}'" for c in CHILD_AGE_CATEGORIES)
    victims = ", ".join(f"'{v}'" for v in sorted(population.VICTIM_STATUSES))
    return f"""bit_or(
        (CASE WHEN age_category IN ({children}) THEN {population.SAYS_MINOR}
              WHEN coalesce(age_category, '') <> '' THEN {population.SAYS_ADULT} ELSE 0 END)
        | (CASE WHEN trafficking_status IN ({victims}) THEN {population.SAYS_VICTIM}
                WHEN trafficking_status = '{population.NOT_A_VICTIM}'
                THEN {population.SAYS_NOT_VICTIM} ELSE 0 END))"""


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
            raise NoEstimate(
                ngettext(
                    "%(lists)s agency recorded children in this selection; multiple systems "
                    "estimation needs at least %(least)s lists",
                    "%(lists)s agencies recorded children in this selection; multiple systems "
                    "estimation needs at least %(least)s lists",
                    len(lists),
                )
                % {"lists": len(lists), "least": MIN_LISTS}
            )
        stratum = STRATA[req.stratify_by] if req.stratify_by else "''"
        rows = con.execute(
            f"""
            SELECT coalesce(nullif(arg_min({stratum}, registration_month), ''), 'unknown') AS s,
                   list(DISTINCT agency) AS agencies, {_flags()} AS flags
            FROM {src} WHERE {where} GROUP BY {child_key}
            """,
            params,
        ).fetchall()
    finally:
        con.close()
    flags = np.array([int(r[2]) for r in rows], dtype=np.int64)
    keep = population.kept(flags, req.population)
    index = {a: i for i, a in enumerate(lists)}
    per: dict[str, dict[tuple[int, ...], int]] = {}
    for (s, agencies, _bits), kept in zip(rows, keep, strict=True):
        if not kept:
            continue
        bits = [0] * len(lists)
        for a in agencies:
            bits[index[a]] = 1
        key = tuple(bits)
        bucket = per.setdefault(s if req.stratify_by else "", {})
        bucket[key] = bucket.get(key, 0) + 1
    return lists, {
        s: CaptureTable.from_histories(lists, list(h.items())) for s, h in sorted(per.items())
    }


#: lcmcr's schedule for the figures only compared with the main one (looser links, all strata
#: together): a quarter of the default's iterations, so a page view stays within seconds.
COMPARISON_LCMCR: dict[str, int] = {"chains": 2, "burnin": 25_000, "samples": 500, "thin": 20}


def _options(
    req: EstimateRequest, bootstrap: bool = True, comparison: bool = False
) -> dict[str, Any]:
    """The estimator's options for the request (a seeded sampler, a bootstrap if asked)."""
    options: dict[str, Any] = {"method": req.method, "level": req.level}
    if req.method == "lcmcr":
        options["seed"] = req.seed
        if comparison:
            options.update(COMPARISON_LCMCR)
    if req.bootstrap and bootstrap:
        options.update(bootstrap=req.bootstrap, seed=req.seed, interval="bca")
    return options


#: Estimators the page runs beside the chosen one to see whether they agree (fast ones only).
COMPARED = ("dga", "stepwise")


def _figure(label: str, e: Estimate | StratifiedEstimate) -> Figure:
    ci = e.interval
    return Figure(label, e.estimate, ci.low if ci else e.estimate, ci.high if ci else e.estimate)


def _agreement(
    req: EstimateRequest,
    total: Estimate | StratifiedEstimate,
    table: CaptureTable,
    loose: float | None,
) -> Agreement:
    """The chosen figure beside the other fast methods on the whole table, the unstratified
    total when the figure is a sum of strata, and the figure with the uncertain links."""
    others: list[Figure] = []
    if req.stratify_by:
        try:
            whole = estimate(table, **_options(req, bootstrap=False, comparison=True))
            others.append(
                _figure(
                    _("%(method)s, all strata together") % {"method": method_name(req.method)},
                    whole,
                )
            )
        except (ValueError, ArithmeticError):
            pass
    for method in COMPARED:
        if method == req.method or (method == "dga" and table.k < 3):
            continue
        try:
            others.append(
                _figure(method_name(method), estimate(table, method=method, level=req.level))
            )
        except (ValueError, ArithmeticError):
            continue
    if loose is not None:
        label = _("%(method)s, uncertain links accepted") % {"method": method_name(req.method)}
        others.append(Figure(label, loose, loose, loose))
    return judge(_figure(method_name(req.method), total), others, req.level)


def _merged_plain(method: str, lists: tuple[str, ...]) -> str:
    """Why the smallest lists were merged, when model averaging had more than it handles."""
    if method != "dga" or len(lists) <= DGA_MAX_LISTS:
        return ""
    return _(
        "With more than %(most)s agencies, the agencies that recorded the fewest children are "
        "first combined into one list (a child recorded by any of them is on it), until "
        "%(most)s lists remain; how those combined agencies depend on each other then no "
        "longer matters. On simulated countries this gave a settled figure in under a second, "
        "about as close to the truth as the other methods that settle."
    ) % {"most": DGA_MAX_LISTS}


def estimate_from_mart(req: EstimateRequest, path: Path | None = None) -> MartEstimate:
    info = mart.info(path.parent if path else None)
    if info is None:
        raise NoEstimate(_("The statistics mart has not been built yet: run `lantern mart build`."))
    lists, tables = histories(info.path, req)
    if req.method == RECOMMENDED:
        req = replace(req, method=recommended_method(len(lists)))
    if req.bootstrap and req.method in BAYESIAN:
        raise EstimateRequestError(
            _("%(method)s gives a posterior interval; it takes no bootstrap")
            % {"method": method_name(req.method)}
        )
    options = _options(req)
    strata: dict[str, Estimate] = {}
    try:
        for name, table in tables.items():
            strata[name] = estimate(table, **options)
    except (ValueError, ArithmeticError) as exc:  # no MLE / not identifiable: never a number
        raise NoEstimate(str(exc)) from exc
    total: Estimate | StratifiedEstimate
    if req.stratify_by:
        total = combine(strata, req.level)
        table = CaptureTable(lists, np.sum([t.counts for t in tables.values()], axis=0))
    else:
        total, table = strata.pop(""), tables[""]
    warnings = [estimation_message(w) for w in getattr(total, "warnings", ())]
    for name, e in strata.items():
        warnings += [f"{name}: {estimation_message(w)}" for w in e.warnings]
    linked = (
        _("linkage run #%(run)s: %(records)s agency records are %(children)s children")
        % {"run": info.link_run, "records": _whole(info.cases), "children": _whole(info.children)}
        if info.link_run
        else _("records NOT linked across agencies")
    )
    quality = LinkageQuality.from_dict(info.link_quality) if info.link_quality else None
    if quality is not None and quality.expected_recall < WARN_BELOW_RECALL:
        warnings.insert(0, _quality_warning(quality))
    if not info.link_run:
        warnings.insert(
            0,
            _(
                "records have not been linked across agencies (run `lantern link`): the same "
                "child recorded by two agencies counts twice, overlaps are missed and the "
                "estimate is biased upward"
            ),
        )
    # every method, lcmcr included: visibility that varies from child to child is not
    # identifiable from the overlaps alone (Link 2003; docs/estimation.md, other generators)
    warnings.append(
        _(
            "agencies do not find children at random: where some children are much harder "
            "to find than others the estimate is biased downward; read it as a lower bound"
        )
    )
    loose_p = number_format(mart.LOOSE_LINK)
    loose_estimate: float | None = None
    if info.link_run:
        moved = _linkage_sensitivity(info.path, req)
        if moved is not None:
            children, loose = moved
            loose_estimate = loose
            linked = _(
                "%(linked)s; accepting the uncertain links too (p >= %(p)s): %(children)s "
                "children, estimate %(estimate)s"
            ) % {
                "linked": linked,
                "p": loose_p,
                "children": _whole(children),
                "estimate": _whole(loose),
            }
            if max(loose, total.estimate) > SENSITIVE_RATIO * min(loose, total.estimate):
                warnings.insert(
                    0,
                    _(
                        "the estimate depends on the record linkage: %(made)s with the links "
                        "made, %(loose)s when the uncertain links (p >= %(p)s) are accepted too"
                    )
                    % {"made": _whole(total.estimate), "loose": _whole(loose), "p": loose_p},
                )
    period = _("%(start)s to %(end)s") % {
        "start": req.start or _("start of records"),
        "end": req.end or _("latest records"),
    }
    method = ""
    first = next(iter(strata.values()), None) if req.stratify_by else total
    if isinstance(first, Estimate):
        interval = estimation_message(first.interval.method) if first.interval else _("no interval")
        method = _("%(method)s; interval: %(interval)s") % {
            "method": method_name(first.method),
            "interval": interval,
        }
    prov = Provenance(
        source=_("Lantern mart built %(built)s from the case store") % {"built": info.built_at},
        lists=lists,
        period=period,
        stratum=_("by %(stratum)s, estimated separately and summed") % {"stratum": req.stratify_by}
        if req.stratify_by
        else _("all children"),
        linkage=linked,
        method=method,
        scope=_(
            "children these agencies could have recorded in the period; not extrapolated "
            "beyond the places and populations they reach"
        )
        + " "
        + str(POPULATION_SCOPE[req.population]),
        warnings=tuple(dict.fromkeys(warnings)),
    )
    agreement = _agreement(req, total, table, loose_estimate)
    return MartEstimate(
        total=total,
        strata=strata,
        table=table,
        provenance=prov,
        agreement=agreement,
        visibility=page_range(table, agreement, req.level),
        method=req.method,
        explanation=" ".join(
            str(p) for p in (PLAIN.get(req.method, ""), _merged_plain(req.method, lists)) if p
        ),
    )
