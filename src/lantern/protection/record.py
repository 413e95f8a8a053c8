"""What the protection pages read: one call per page, composed of the services' own views.

Pages render; they decide nothing. These functions gather, for one page, what the services
already answer (each asks the policy layer and audits its reads), plus the small read-only
lists a form needs (the user's safe places, the directory, the agency's tracing requests).
No rule lives here: a refusal always comes from the service a form posts to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.cases import workflow
from lantern.cases.models import Case, LifecycleState
from lantern.cases.services import withheld
from lantern.cases.services.common import require, today
from lantern.directory.models import Organisation
from lantern.protection.careplan import service as careplan
from lantern.protection.followup import service as followup
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import Referral
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import SafePlace
from lantern.protection.tracing import service as tracing
from lantern.protection.tracing.models import TracingRequest


def case_record(user: Any, case: Case, source: str = "") -> dict[str, Any]:
    """The case's protection record, assembled once for the API and the case page: each part
    from its service's own view, every free text as the reader's tiers allow. Dates stay
    dates (the API writes them as ISO 8601); lists run oldest first unless named otherwise."""
    policy.get_or_404(user, "case", "view", case.pk)
    sensitive = policy.may_read(user, Tier.HIGHLY_SENSITIVE)
    on = today()
    record = {
        "outcome": case.outcome,
        "transitions": [
            {
                "from": t.from_state,
                "to": t.to_state,
                "reason": t.reason,
                "at": t.at,
                "by": t.by.username if t.by else "",
            }
            for t in case.transitions.select_related("by")
        ],
        "intake": intake.intake_view(user, case, source),
        "risks": [  # newest first
            safety.risk_view(r, sensitive)
            for r in case.risk_assessments.order_by("-assessed_at", "-id")
        ],
        "placements": safety.placements_view(user, case, source),
        "care_plans": [
            careplan.plan_view(user, p)
            for p in case.care_plans.select_related("responsible", "created_by", "approved_by")
        ],
        "referrals": [
            referrals.referral_view(r, on)
            for r in case.referrals.select_related("organisation", "service")
        ],
        "family_assessments": [  # newest first
            tracing.family_view(f, sensitive)
            for f in case.family_assessments.order_by("-assessed_at", "-id")
        ],
        "legal": [
            legal.proceeding_view(user, lp)
            for lp in case.legal_proceedings.order_by("opened_at", "id").prefetch_related("events")
        ],
        "visits": [followup.visit_view(v, sensitive) for v in case.visits.all()],
        "wellbeing": followup.wellbeing_change(case),
    }
    return withheld.protection_record(user, record)  # every free text by its tier


def case_protection(user: Any, case: Case, source: str = "") -> dict[str, Any]:
    """The case page's data: the protection record, plus what the page's forms need (the
    next states, consents, tracing requests, open plans, due visits, the wellbeing table)."""
    record = case_record(user, case, source)
    plans = {p.pk: p for p in case.care_plans.all()}
    visits = record["visits"]
    return {
        **record,
        "state": case.state,
        "status": case.status,
        "closed": case.state == LifecycleState.CLOSED,
        "next": [n for n in workflow.next_states(case) if n["state"] != LifecycleState.CLOSED],
        "consents": [
            {"item": c.item, "given_by": c.given_by, "value": c.value}
            for c in case.consents.order_by("item", "given_by")
        ],
        "care_plans": [  # newest first, with the review dates
            {**view, "due": due_by_date(plans[view["id"]].due_dates)}
            for view in reversed(record["care_plans"])
        ],
        "has_open_plan": any(p.status in ("draft", "submitted") for p in plans.values()),
        "referrals": sorted(record["referrals"], key=lambda r: r["requested_at"], reverse=True),
        "tracing": [
            {"id": t.pk, "relation": t.requester_relation, "status": t.status}
            for t in policy.scoped(user, "tracing", "manage").filter(matched_case=case)
        ],
        "has_baseline": any(v["kind"] == "baseline" for v in visits),
        "due_visits": [v for v in visits if v["kind"] == "visit" and v["done_at"] is None],
        "wellbeing": wellbeing_table(case, record["wellbeing"]),
    }


def due_by_date(due_dates: dict[str, str]) -> list[tuple[str, dt.date]]:
    """A plan's (need, due date) pairs, soonest first: the plan stores ISO strings in a JSON
    dict keyed by need, and neither the keys' order nor the text is the order of the days."""
    days = [(need, dt.date.fromisoformat(day)) for need, day in due_dates.items()]
    return sorted(days, key=lambda pair: (pair[1], pair[0]))


def _referral_text(user: Any, view: dict[str, Any]) -> dict[str, Any]:
    model, fields = withheld.PROTECTION_FREE_TEXT["referrals"]
    return withheld.redact(user, model, view, fields)


def wellbeing_table(case: Case, change: dict[str, Any]) -> dict[str, Any]:
    """Before/after, item by item: the baseline, every recorded visit, and the change
    (``change``: latest visit minus baseline, as ``followup.wellbeing_change`` computes it)."""
    done = list(case.visits.filter(done_at__isnull=False, kind="visit").order_by("done_at", "id"))
    base = change["baseline"]
    rows = [
        {
            "item": item,
            "baseline": base[item] if base else None,
            "visits": [v.wellbeing.get(item) for v in done],
            "change": change["change"][item] if change["change"] else None,
        }
        for item in followup.WELLBEING_ITEMS
    ]
    return {
        "rows": rows,
        "visits": [
            {"done_at": v.done_at, "retrafficking_risk": v.retrafficking_risk} for v in done
        ],
        "total_change": change.get("total_change"),
        "method": change.get("method", ""),
        "has_baseline": base is not None,
    }


def safe_places_for(user: Any) -> list[SafePlace]:
    """The safe places a placement form offers: those run by the user's agency (by name
    only; whether the address may be shown is ``safety.may_see_location``'s answer)."""
    return list(policy.scoped(user, "safe_place", "use").order_by("name"))


def directory(user: Any) -> list[Organisation]:
    """The referral directory (organisations' own contacts, no child data)."""
    return list(policy.scoped(user, "organisation", "view").order_by("name"))


def incoming_referrals(user: Any) -> list[dict[str, Any]]:
    """Referrals sent to the user's own agency that still wait for its answer or delivery."""
    rows = (
        policy.scoped(user, "referral", "respond")
        .filter(organisation__agency__isnull=False, status__in=["requested", "accepted"])
        .select_related("organisation", "case")
    )
    return [
        {**_referral_text(user, referrals.referral_view(r)), "reference": r.case.reference}
        for r in rows.order_by("due_date", "id")
    ]


def get_referral(user: Any, referral_id: int, source: str = "") -> dict[str, Any]:
    """One referral as its page shows it: the workflow facts and the packet (only the shared
    fields), or 404 when the user is neither the receiver nor the referring team."""
    ref: Referral = policy.get_or_404(user, "referral", "view", referral_id)
    packet = referrals.referral_packet(user, ref, source)  # audited; raises when not visible
    return {
        **_referral_text(user, referrals.referral_view(ref)),
        "packet": packet,
        "may_open_case": policy.case_allows(user, "view", ref.case),
    }


def tracing_requests(user: Any) -> list[TracingRequest]:
    """The agency's tracing requests, open first."""
    require(user, "tracing", "manage", _("manage tracing requests"))
    return list(policy.scoped(user, "tracing", "manage").order_by("status", "-created_at"))


def tracing_page(user: Any, request_id: int, source: str = "") -> dict[str, Any]:
    """A tracing request and its candidates side by side (empty once it is decided)."""
    req = tracing.get_request(user, request_id)
    open_ = req.status == "open"
    return {
        "request": req,
        "candidates": tracing.candidates(user, req, source) if open_ else [],
    }
