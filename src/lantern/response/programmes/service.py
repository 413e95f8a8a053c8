"""The national plan, its programmes and targets: what a coordinator records, and progress.

Plain functions taking the user: the policy decides (``("programme", "view" | "manage")``),
records are fetched through its scoped getters, every change is audited by id (the titles are
public policy text, but audit entries never copy free text). Errors are ``lantern.errors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.services.common import now, require, text
from lantern.directory import service as directory
from lantern.directory.models import Organisation
from lantern.edges import areas as area_codes
from lantern.errors import Invalid, NotFound
from lantern.monitoring.statistics.table import UNIT_KEYS
from lantern.response.programmes import indicators
from lantern.response.programmes.models import (
    Direction,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    NationalPlan,
    Programme,
    Target,
)
from lantern.response.programmes.progress import Assessment, Point, assess

RESOURCE = "programme"


def _may_manage(user: Any) -> None:
    require(user, RESOURCE, "manage", _("manage the national plan and its programmes"))


def _organisation(user: Any, pk: Any, field: str, kept: list[Any]) -> Organisation:
    return directory.approved_organisations(user, [pk], field, kept)[0]


def named(row: NationalPlan | Programme | None) -> list[Any]:
    """The organisations ``row`` already names (kept on a change even if no longer approved)."""
    if row is None or row.pk is None:
        return []
    return [row.responsible_id, *row.partners.values_list("pk", flat=True)]


def unapproved(row: NationalPlan | Programme) -> list[Organisation]:
    """The bodies ``row`` names (responsible first, then partners) that are no longer approved
    in the directory: flagged for the coordinator on its pages and in the API."""
    return directory.not_approved([row.responsible, *row.partners.all()])


def _dates(start: dt.date, end: dt.date, field: str) -> None:
    if end < start:
        raise Invalid(_("%(field)s: before the start") % {"field": field}, field)


# --- the plan ---------------------------------------------------------------------------------


def plans(user: Any) -> QuerySet[NationalPlan]:
    return policy.scoped(user, "plan", "view").select_related("responsible")


def save_plan(
    user: Any,
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    responsible: int,
    partners: list[int] | None = None,
    next_review: dt.date | None = None,
    plan: NationalPlan | None = None,
    source: str = "",
) -> NationalPlan:
    """Record the national plan of action, or change ``plan``."""
    _may_manage(user)
    _dates(starts_on, ends_on, "ends_on")
    kept = named(plan)
    lead = _organisation(user, responsible, "responsible", kept)
    others = directory.approved_organisations(user, partners or [], "partners", kept)
    with transaction.atomic():
        row = plan or NationalPlan(created_by=user, created_at=now())
        row.title = text(title, "title", required=True, max_length=200)
        row.starts_on, row.ends_on, row.next_review = starts_on, ends_on, next_review
        row.responsible = lead
        row.save()
        row.partners.set(others)
        audit.record(
            user,
            "update" if plan else "create",
            "plan",
            row.pk,
            ["title", "starts_on", "ends_on", "responsible", "partners", "next_review"],
            source=source,
        )
    return row


# --- programmes -------------------------------------------------------------------------------


def programmes(user: Any) -> QuerySet[Programme]:
    rows = policy.scoped(user, RESOURCE, "view")
    return rows.select_related("plan", "responsible").prefetch_related("targets")


def get_programme(user: Any, pk: Any, action: str = "view") -> Programme:
    row: Programme = policy.get_or_404(user, RESOURCE, action, pk)
    return row


def _review_dates(values: list[dt.date], start: dt.date) -> list[str]:
    out = sorted({d.isoformat() for d in values})
    if out and out[0] < start.isoformat():
        raise Invalid(_("review_dates: a review before the programme starts"), "review_dates")
    return out


def save_programme(
    user: Any,
    *,
    plan: int,
    title: str,
    goal: str = "",
    areas: list[str] | None = None,
    starts_on: dt.date,
    deadline: dt.date,
    responsible: int,
    partners: list[int] | None = None,
    review_dates: list[dt.date] | None = None,
    programme: Programme | None = None,
    source: str = "",
) -> Programme:
    """Record a time-bound programme of the plan (or change ``programme``)."""
    _may_manage(user)
    parent = policy.scoped_get(user, "plan", "view", plan)
    if parent is None:
        raise Invalid(_("plan: no such national plan"), "plan")
    _dates(starts_on, deadline, "deadline")
    kept = named(programme)
    lead = _organisation(user, responsible, "responsible", kept)
    others = directory.approved_organisations(user, partners or [], "partners", kept)
    places = area_codes.clean_many(areas or [], "areas")
    with transaction.atomic():
        row = programme or Programme(created_by=user, created_at=now())
        row.plan = parent
        row.title = text(title, "title", required=True, max_length=200)
        row.goal = text(goal, "goal", max_length=2000)
        row.areas = places
        row.unmatched_areas = []  # areas chosen now replace the text an earlier version kept
        row.starts_on, row.deadline = starts_on, deadline
        row.responsible = lead
        row.review_dates = _review_dates(review_dates or [], starts_on)
        row.updated_at = now()
        row.save()
        row.partners.set(others)
        audit.record(
            user,
            "update" if programme else "create",
            "programme",
            row.pk,
            ["plan", "title", "goal", "areas", "starts_on", "deadline", "responsible"],
            source=source,
        )
    return row


# --- targets and indicators -------------------------------------------------------------------


def get_target(user: Any, pk: Any, action: str = "view") -> Target:
    """A target of a programme the user may ``action`` (NotFound otherwise)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = 0
    if not 0 < key <= policy.MAX_ID:  # beyond a database integer: names nothing
        raise NotFound("No such target")
    visible = policy.scoped(user, RESOURCE, action)
    row = (
        Target.objects.filter(programme__in=visible, pk=key)
        .select_related("programme", "indicator")
        .first()
    )
    if row is None:
        raise NotFound("No such target")
    return row


def add_target(
    user: Any,
    programme: Programme,
    *,
    statement: str,
    direction: str,
    baseline_value: float,
    baseline_year: int,
    target_value: float,
    target_date: dt.date,
    indicator_kind: str,
    indicator_name: str = "",
    unit: str = "children",
    filters: list[tuple[str, str]] | None = None,
    source: str = "",
) -> Target:
    """A target of ``programme``, with the indicator that measures it: computed from the
    statistics (``unit`` counted under ``filters``, by year) or entered with its source."""
    _may_manage(user)
    get_programme(user, programme.pk, "manage")
    if direction not in Direction.values:
        raise Invalid(_("direction: reduce or increase"), "direction")
    if indicator_kind not in IndicatorKind.values:
        raise Invalid(_("indicator_kind: computed or entered"), "indicator_kind")
    if baseline_value < 0 or target_value < 0:
        raise Invalid(_("target_value: a figure cannot be negative"), "target_value")
    if target_date.year <= baseline_year:
        raise Invalid(_("target_date: after the baseline year"), "target_date")
    wrong_way = (
        target_value >= baseline_value
        if direction == Direction.DECREASE
        else target_value <= baseline_value
    )
    if wrong_way:
        raise Invalid(
            _("target_value: a target to reduce is below the baseline, one to increase above"),
            "target_value",
        )
    computed = indicator_kind == IndicatorKind.COMPUTED
    if computed and unit not in UNIT_KEYS:
        raise Invalid(_("unit: children or cases"), "unit")
    cleaned = indicators.clean_filters(list(filters or [])) if computed else []
    statement = text(statement, "statement", required=True, max_length=300)
    with transaction.atomic():
        indicator = Indicator.objects.create(
            programme=programme,
            name=text(indicator_name, "indicator_name", max_length=200) or statement,
            kind=indicator_kind,
            unit=unit if computed else "",
            filters=cleaned,
        )
        row = Target.objects.create(
            programme=programme,
            statement=statement,
            indicator=indicator,
            direction=direction,
            baseline_value=baseline_value,
            baseline_year=baseline_year,
            target_value=target_value,
            target_date=target_date,
        )
        audit.record(
            user,
            "create",
            "target",
            row.pk,
            ["statement", "direction", "baseline", "target", "indicator"],
            reason=f"programme {programme.pk}, indicator {indicator.pk} ({indicator_kind})",
            source=source,
        )
    return row


def enter_value(
    user: Any,
    target: Target,
    *,
    year: int,
    value: float,
    source_text: str,
    low: float | None = None,
    high: float | None = None,
    source: str = "",
) -> IndicatorValue:
    """A figure for an entered indicator, with the source it comes from; its uncertainty as
    the source gives it (low and high) or none."""
    _may_manage(user)
    get_target(user, target.pk, "manage")
    if target.indicator.kind != IndicatorKind.ENTERED:
        raise Invalid(
            _("value: this indicator is computed from the statistics; nothing is entered"),
            "value",
        )
    if (low is None) != (high is None):
        raise Invalid(_("high: give both bounds of the interval, or neither"), "high")
    if low is not None and high is not None and not low <= value <= high:
        raise Invalid(_("low: the interval must contain the value"), "low")
    if not 1900 <= year <= 2200:
        raise Invalid(_("year: not a year"), "year")
    row = IndicatorValue.objects.create(
        indicator=target.indicator,
        year=year,
        value=value,
        low=low,
        high=high,
        source=text(source_text, "source_text", required=True, max_length=300),
        entered_by=user,
        entered_at=now(),
    )
    audit.record(
        user,
        "create",
        "indicator_value",
        row.pk,
        ["year", "value", "low", "high", "source"],
        source=source,
    )
    return row


@dataclass(frozen=True)
class Progress:
    """A target's figures by year and the rule's judgement of the latest complete one."""

    target: Target
    points: list[Point]
    assessment: Assessment
    error: str = ""  # why no figure could be computed (the mart is not built, ...)


def progress(user: Any, target: Target) -> Progress:
    """Progress against ``target``: its indicator's figures and whether it is on track."""
    get_target(user, target.pk)
    error = ""
    try:
        points = indicators.series(target.indicator)
    except Invalid as exc:
        points, error = [], str(exc.reason)
    judged = assess(
        points,
        decrease=target.direction == Direction.DECREASE,
        baseline_year=target.baseline_year,
        baseline=target.baseline_value,
        target_year=target.target_date.year,
        target=target.target_value,
    )
    return Progress(target, points, judged, error)


def rule_text() -> str:
    """The on-track rule, in the reader's words (the page and the API state it)."""
    return _(
        "The expected figure for a year lies on the straight line from the baseline to the "
        "target. A target is met when the latest complete year has reached the target value; "
        "on track when that year is no worse than the line; behind when it is worse and so is "
        "its whole uncertainty interval; uncertain when it is worse but its interval reaches "
        "the line. The current year is shown but not judged: its count is not complete."
    )
