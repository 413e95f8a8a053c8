"""What is still open on a case, read from its own records, before anyone asks to close it.

Each area of the work says what it leaves open: a child still placed (safety), a referral not
answered or not delivered, a care plan not decided or with actions still planned, a legal
proceeding not concluded, a relative's tracing request matched to the child with no family
assessment since, a follow-up visit not made or, after a return home, none made at all. Each
open item carries a key (``"placement:12"``: record ids, nothing about the child), a sentence
in the reader's language and the page where it is fixed. Nothing is stored: the checklist is
read afresh when a closure is requested and again when it is approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.cases.models import Case, LifecycleState
from lantern.cases.services.common import today
from lantern.edges.fields import label_of, taxonomy_label
from lantern.protection.careplan.models import CarePlan, CarePlanStatus
from lantern.protection.followup.models import FollowUpVisit
from lantern.protection.legal.models import LegalProceeding, ProceedingKind, ProceedingStatus
from lantern.protection.referrals.models import Referral, ReferralStatus
from lantern.protection.tracing.models import TracingRequest, TracingStatus

OPEN_PROCEEDINGS = (ProceedingStatus.OPEN, ProceedingStatus.HEARING)
OPEN_REFERRALS = (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED)
UNDECIDED_PLANS = (CarePlanStatus.DRAFT, CarePlanStatus.SUBMITTED)


@dataclass(frozen=True)
class Item:
    """One piece of work still open: what it is, and where it is fixed."""

    key: str
    what: str
    fix_url: str
    fix_label: str


@dataclass(frozen=True)
class Area:
    """An area of the checklist, with what it leaves open (none: done)."""

    code: str
    label: str
    items: list[Item] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.items


def _section(case: Case, anchor: str) -> str:
    return reverse("web:case_detail", args=[case.pk]) + "#" + anchor


def _placements(case: Case, on: dt.date) -> list[Item]:
    return [
        Item(
            f"placement:{p.pk}",
            _("The child is still placed at %(place)s (since %(start)s).")
            % {"place": p.place.name, "start": p.start.isoformat()},
            _section(case, "placement"),
            _("End the placement"),
        )
        for p in case.placements.filter(end__isnull=True).select_related("place")
    ]


def _referrals(case: Case, on: dt.date) -> list[Item]:
    rows = Referral.objects.filter(case=case, status__in=OPEN_REFERRALS)
    return [
        Item(
            f"referral:{r.pk}",
            (
                _("The referral to %(org)s has not been answered (due %(due)s).")
                if r.status == ReferralStatus.REQUESTED
                else _("The referral to %(org)s was accepted but not completed (due %(due)s).")
            )
            % {"org": r.organisation.name, "due": r.due_date.isoformat()},
            reverse("web:referral", args=[r.pk]),
            _("Open the referral"),
        )
        for r in rows.select_related("organisation").order_by("requested_at", "pk")
    ]


def _care_plan(case: Case, on: dt.date) -> list[Item]:
    items = [
        Item(
            f"care_plan:{p.pk}",
            _("Care plan version %(v)s is %(status)s and not yet decided.")
            % {"v": p.version, "status": label_of(CarePlanStatus, p.status).lower()},
            _section(case, "care-plan"),
            _("Open the care plan"),
        )
        for p in CarePlan.objects.filter(case=case, status__in=UNDECIDED_PLANS).order_by("version")
    ]
    standing = (
        CarePlan.objects.filter(case=case, status=CarePlanStatus.APPROVED)
        .order_by("-version")
        .first()
    )
    if standing is not None:
        for need, due in sorted((standing.due_dates or {}).items()):
            try:
                day = dt.date.fromisoformat(str(due))
            except ValueError:
                continue  # the care-plan service stores ISO dates only
            if day >= on:
                items.append(
                    Item(
                        f"care_plan_action:{standing.pk}:{need}",
                        _("The care plan's action “%(need)s” is planned until %(due)s.")
                        % {"need": taxonomy_label(need, "support_types"), "due": day.isoformat()},
                        _section(case, "care-plan"),
                        _("Open the care plan"),
                    )
                )
    return items


def _legal(case: Case, on: dt.date) -> list[Item]:
    rows = LegalProceeding.objects.filter(case=case, status__in=OPEN_PROCEEDINGS).order_by("pk")
    return [
        Item(
            f"legal:{lp.pk}",
            _(
                "%(kind)s is %(status)s: record it as concluded or withdrawn, or say why it "
                "continues after the case closes."
            )
            % {
                "kind": label_of(ProceedingKind, lp.kind) or lp.kind,
                "status": label_of(ProceedingStatus, lp.status).lower(),
            },
            _section(case, "legal"),
            _("Update the proceeding"),
        )
        for lp in rows
    ]


def _tracing(case: Case, on: dt.date) -> list[Item]:
    matched = TracingRequest.objects.filter(matched_case=case, status=TracingStatus.MATCHED)
    items = []
    for req in matched.order_by("pk"):
        since = case.family_assessments.all()
        if req.decided_at is not None:
            since = since.filter(assessed_at__gte=req.decided_at)
        if not since.exists():
            items.append(
                Item(
                    f"tracing:{req.pk}",
                    _(
                        "A relative's tracing request was matched to this child; no family "
                        "assessment has followed it."
                    ),
                    _section(case, "family"),
                    _("Assess the family"),
                )
            )
    return items


def _follow_up(case: Case, on: dt.date) -> list[Item]:
    visits = FollowUpVisit.objects.filter(case=case, kind="visit")
    items = [
        Item(
            f"visit:{v.pk}",
            _("The follow-up visit planned for %(day)s has not been recorded.")
            % {"day": v.scheduled_for.isoformat()},
            _section(case, "follow-up"),
            _("Record the visit"),
        )
        for v in visits.filter(done_at__isnull=True).order_by("scheduled_for", "pk")
    ]
    returned = case.transitions.filter(
        Q(to_state=LifecycleState.REMOVAL_VERIFIED) | Q(to_state=LifecycleState.FOLLOW_UP)
    ).exists()
    if returned and not visits.filter(done_at__isnull=False).exists():
        items.append(
            Item(
                "follow_up:none",
                _("The child went home, but no follow-up visit has been made since."),
                _section(case, "follow-up"),
                _("Schedule a visit"),
            )
        )
    return items


AREAS: tuple[tuple[str, str | Promise, Callable[[Case, dt.date], list[Item]]], ...] = (
    ("safety", gettext_lazy("Placements ended"), _placements),
    ("referrals", gettext_lazy("Referrals answered and closed"), _referrals),
    ("care_plan", gettext_lazy("Care-plan actions"), _care_plan),
    ("legal", gettext_lazy("Legal proceedings noted"), _legal),
    ("tracing", gettext_lazy("Family tracing followed up"), _tracing),
    ("follow_up", gettext_lazy("Follow-up visits made"), _follow_up),
)


def checklist(case: Case, on: dt.date | None = None) -> list[Area]:
    """The case's checklist, area by area (the caller has been allowed to see the case)."""
    on = on or today()
    return [Area(code, str(label), find(case, on)) for code, label, find in AREAS]


def open_items(areas: list[Area]) -> list[Item]:
    return [i for a in areas for i in a.items]


KINDS: dict[str, str | Promise] = {
    "placement": gettext_lazy("Placement"),
    "referral": gettext_lazy("Referral"),
    "care_plan": gettext_lazy("Care plan"),
    "care_plan_action": gettext_lazy("Care-plan action"),
    "legal": gettext_lazy("Legal proceeding"),
    "tracing": gettext_lazy("Family tracing"),
    "visit": gettext_lazy("Follow-up visit"),
    "follow_up": gettext_lazy("Follow-up after the return home"),
}


def kind_label(key: str) -> str:
    """What an item key names, in the reader's language ("placement:12" -> "Placement")."""
    kind = key.split(":", 1)[0]
    return str(KINDS.get(kind, kind))
