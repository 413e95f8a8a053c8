"""The individual care plan, made with the child (CASE-17, ETH-11), approved by a supervisor.

A plan is versioned: revising an approved plan drafts a new version and the approved one stays
in force until the new one is approved, so there is always one plan the services follow. The
supervisor who approves must not be its author (four eyes on a child's plan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.cases.services.common import codes, guard, now, require, text
from lantern.errors import Invalid, Refused
from lantern.protection.careplan.models import CarePlan, CarePlanStatus


def _due_dates(needs: list[str], due: Mapping[str, str | dt.date]) -> dict[str, str]:
    out: dict[str, str] = {}
    for need, value in due.items():
        if need not in needs:
            raise Invalid(
                _("due_dates: %(need)s is not one of the plan's needs") % {"need": repr(need)},
                "due_dates",
            )
        try:
            out[need] = (
                value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            ).isoformat()
        except ValueError as exc:
            raise Invalid(
                _("due_dates.%(need)s: %(value)s is not a date")
                % {"need": need, "value": repr(value)},
                "due_dates",
            ) from exc
    return out


def draft(
    user: Any,
    case: Case,
    *,
    needs: Sequence[str],
    goals: str,
    child_views: str = "",
    responsible: int | None = None,
    due_dates: Mapping[str, str | dt.date] | None = None,
    review_due: dt.date | None = None,
    source: str = "",
) -> CarePlan:
    """A new draft version of the case's plan (the first, or a revision)."""
    guard(user, case, "protect")
    needs_ = codes("support_types", needs, "needs", required=True)
    org = None
    if responsible is not None:
        org = policy.scoped_get(user, "organisation", "view", responsible)
        if org is None:
            raise Invalid(
                _("responsible: no organisation %(id)s") % {"id": responsible}, "responsible"
            )
    with transaction.atomic():
        if case.care_plans.filter(
            status__in=[CarePlanStatus.DRAFT, CarePlanStatus.SUBMITTED]
        ).exists():
            raise Refused(_("a draft or submitted version exists; change that one instead"))
        last = case.care_plans.aggregate(v=Max("version"))["v"] or 0
        plan = CarePlan.objects.create(
            case=case,
            version=last + 1,
            needs=needs_,
            due_dates=_due_dates(needs_, due_dates or {}),
            goals=text(goals, "goals", required=True, max_length=8000),
            child_views=text(child_views, "child_views", max_length=4000),
            responsible=org,
            review_due=review_due,
            created_by=user,
            created_at=now(),
        )
        audit.record(
            user,
            "create",
            "care_plan",
            plan.pk,
            reason=f"case {case.reference} v{plan.version}",
            source=source,
        )
    return plan


def revise(user: Any, plan: CarePlan, source: str = "") -> CarePlan:
    """Draft the next version from ``plan`` (needs, goals, dates copied for editing)."""
    return draft(
        user,
        plan.case,
        needs=plan.needs,
        goals=plan.goals,
        child_views=plan.child_views,
        responsible=plan.responsible_id,
        due_dates=plan.due_dates,
        review_due=plan.review_due,
        source=source,
    )


def submit(user: Any, plan: CarePlan, source: str = "") -> CarePlan:
    guard(user, plan.case, "protect")
    if plan.status != CarePlanStatus.DRAFT:
        raise Refused(
            _("only a draft can be submitted; this version is %(status)s") % {"status": plan.status}
        )
    plan.status, plan.submitted_at = CarePlanStatus.SUBMITTED, now()
    plan.save(update_fields=["status", "submitted_at"])
    audit.record(user, "submit", "care_plan", plan.pk, ["status"], source=source)
    return plan


def approve(user: Any, plan: CarePlan, source: str = "") -> CarePlan:
    """Supervisor approval; the previously approved version is superseded."""
    guard(user, plan.case, "view")
    require(user, "care_plan", "approve", _("approve care plans"))
    if plan.status != CarePlanStatus.SUBMITTED:
        raise Refused(
            _("only a submitted plan can be approved; this version is %(status)s")
            % {"status": plan.status}
        )
    if plan.created_by_id == user.pk:
        raise Refused(_("a plan is approved by someone other than its author"))
    with transaction.atomic():
        plan.case.care_plans.filter(status=CarePlanStatus.APPROVED).update(
            status=CarePlanStatus.SUPERSEDED
        )
        plan.status, plan.approved_by, plan.approved_at = CarePlanStatus.APPROVED, user, now()
        plan.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record(user, "approve", "care_plan", plan.pk, ["status"], source=source)
    return plan


def plan_view(user: Any, plan: CarePlan) -> dict[str, Any]:
    sensitive = policy.may_read(user, Tier.HIGHLY_SENSITIVE)
    return {
        "id": plan.pk,
        "case": plan.case_id,
        "version": plan.version,
        "status": plan.status,
        "needs": plan.needs,
        "due_dates": plan.due_dates,
        "goals": plan.goals if sensitive else None,
        "child_views": plan.child_views if sensitive else None,
        "responsible": plan.responsible.name if plan.responsible else None,
        "review_due": plan.review_due.isoformat() if plan.review_due else None,
        "created_by": plan.created_by.username if plan.created_by else None,
        "approved_by": plan.approved_by.username if plan.approved_by else None,
        "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
    }
