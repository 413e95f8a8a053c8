"""Reintegration follow-up: visits scheduled and recorded, wellbeing measured before and after.

The wellbeing instrument is deliberately small so that it is filled in at every visit: five
items scored 0 (very poor) to 4 (good). The baseline is taken at intake or admission; every
visit's scores are compared with it, which is the "before and after" monitoring the ILO-IPEC
report asks for (CASE-50). Re-trafficking risk is assessed at each visit (CASE-44).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.audit import services as audit
from lantern.cases.models import Case, Level
from lantern.cases.services.common import choice, guard, now, text, today
from lantern.errors import Invalid, Refused
from lantern.protection.followup.models import FollowUpVisit, WellbeingItem

WELLBEING_ITEMS = tuple(WellbeingItem.values)
SCALE = range(0, 5)


def _scores(values: Mapping[str, int]) -> dict[str, int]:
    missing = [k for k in WELLBEING_ITEMS if k not in values]
    extra = [k for k in values if k not in WELLBEING_ITEMS]
    if missing or extra:
        reason = _("wellbeing: needs exactly %(items)s") % {"items": ", ".join(WELLBEING_ITEMS)}
        if missing:
            reason += _("; missing %(items)s") % {"items": ", ".join(missing)}
        if extra:
            reason += _("; unknown %(items)s") % {"items": ", ".join(extra)}
        raise Invalid(reason, "wellbeing")
    out = {}
    for k in WELLBEING_ITEMS:
        v = values[k]
        if isinstance(v, bool) or not isinstance(v, int) or v not in SCALE:
            raise Invalid(
                _("wellbeing.%(item)s: must be a whole number 0..4") % {"item": k}, "wellbeing"
            )
        out[k] = v
    return out


def record_baseline(
    user: Any, case: Case, *, wellbeing: Mapping[str, int], notes: str = "", source: str = ""
) -> FollowUpVisit:
    """The 'before' measure, taken once at intake or admission."""
    guard(user, case, "protect")
    if case.visits.filter(kind="baseline").exists():
        raise Refused(_("a baseline is already recorded; later measures are visits"))
    row = FollowUpVisit.objects.create(
        case=case,
        kind="baseline",
        scheduled_for=today(),
        done_at=now(),
        visited_by=user,
        wellbeing=_scores(wellbeing),
        notes=text(notes, "notes", max_length=4000),
    )
    audit.record(
        user, "create", "visit", row.pk, reason=f"case {case.reference}: baseline", source=source
    )
    return row


def schedule(user: Any, case: Case, *, on: dt.date, source: str = "") -> FollowUpVisit:
    guard(user, case, "protect")
    if on < today():
        raise Invalid(_("scheduled_for: cannot be in the past"), "scheduled_for")
    row = FollowUpVisit.objects.create(case=case, kind="visit", scheduled_for=on)
    audit.record(
        user,
        "create",
        "visit",
        row.pk,
        ["scheduled_for"],
        reason=f"case {case.reference}",
        source=source,
    )
    return row


def record_visit(
    user: Any,
    visit: FollowUpVisit,
    *,
    wellbeing: Mapping[str, int],
    retrafficking_risk: str,
    notes: str = "",
    source: str = "",
    done_at: dt.datetime | None = None,
) -> FollowUpVisit:
    """Record a scheduled visit as done, with the wellbeing scores and re-trafficking risk;
    ``done_at`` when it was made earlier than now (a field form submitted later)."""
    guard(user, visit.case, "protect")
    if visit.done_at is not None:
        raise Refused(_("this visit is already recorded"))
    _write_visit(user, visit, wellbeing, retrafficking_risk, notes, done_at or now())
    audit.record(
        user, "update", "visit", visit.pk, ["wellbeing", "retrafficking_risk"], source=source
    )
    return visit


def record_unscheduled_visit(
    user: Any,
    case: Case,
    *,
    done_at: dt.datetime,
    wellbeing: Mapping[str, int],
    retrafficking_risk: str,
    notes: str = "",
    source: str = "",
) -> FollowUpVisit:
    """A visit made with none scheduled for it (a field worker's, sent from a field form):
    added as scheduled on its own day, then recorded as ``record_visit`` records one."""
    guard(user, case, "protect")
    _not_future(done_at)
    _scores(wellbeing)  # a visit with bad scores is not added at all
    choice(retrafficking_risk, tuple(Level.values), "retrafficking_risk")
    on = timezone.localtime(done_at).date()
    row = FollowUpVisit.objects.create(case=case, kind="visit", scheduled_for=on)
    audit.record(
        user,
        "create",
        "visit",
        row.pk,
        ["scheduled_for"],
        reason=f"case {case.reference}: unscheduled",
        source=source,
    )
    return record_visit(
        user,
        row,
        wellbeing=wellbeing,
        retrafficking_risk=retrafficking_risk,
        notes=notes,
        source=source,
        done_at=done_at,
    )


def correct_visit(
    user: Any,
    visit: FollowUpVisit,
    *,
    wellbeing: Mapping[str, int],
    retrafficking_risk: str,
    notes: str = "",
    source: str = "",
    done_at: dt.datetime | None = None,
) -> FollowUpVisit:
    """Correct a visit already recorded (its field form edited in ODK or Kobo): the scores,
    the risk, the notes and when it was made, checked as ``record_visit`` checks them; the
    audit entry says it was a correction."""
    guard(user, visit.case, "protect")
    if visit.done_at is None:
        raise Refused(_("this visit is not recorded yet: there is nothing to correct"))
    _write_visit(user, visit, wellbeing, retrafficking_risk, notes, done_at or visit.done_at)
    audit.record(
        user,
        "update",
        "visit",
        visit.pk,
        ["wellbeing", "retrafficking_risk", "notes", "done_at"],
        reason="corrected",
        source=source,
    )
    return visit


def _not_future(done_at: dt.datetime) -> None:
    if done_at > now():
        raise Invalid(
            _("%(field)s: cannot be in the future") % {"field": "visit_date"}, "visit_date"
        )


def _write_visit(
    user: Any,
    visit: FollowUpVisit,
    wellbeing: Mapping[str, int],
    retrafficking_risk: str,
    notes: str,
    done_at: dt.datetime,
) -> None:
    """The checks and writes a visit's recording and its correction share."""
    _not_future(done_at)
    visit.wellbeing = _scores(wellbeing)
    visit.retrafficking_risk = choice(retrafficking_risk, tuple(Level.values), "retrafficking_risk")
    visit.notes = text(notes, "notes", max_length=4000)
    visit.done_at, visit.visited_by = done_at, user
    visit.save()


def visit_view(v: FollowUpVisit, sensitive: bool) -> dict[str, Any]:
    """A follow-up visit as the case page and the API show it; notes only to readers of the
    highly sensitive tier (``sensitive``)."""
    return {
        "id": v.pk,
        "kind": v.kind,
        "scheduled_for": v.scheduled_for,
        "done_at": v.done_at,
        "wellbeing": v.wellbeing,
        "retrafficking_risk": v.retrafficking_risk,
        "notes": v.notes if sensitive else None,
    }


def wellbeing_change(case: Case) -> dict[str, Any]:
    """Before/after: the baseline, the latest visit, and the change per item and in total."""
    done = case.visits.filter(done_at__isnull=False)
    base = done.filter(kind="baseline").first()
    last = done.filter(kind="visit").order_by("-done_at", "-id").first()
    if base is None or last is None:
        return {"baseline": base.wellbeing if base else None, "latest": None, "change": None}
    change = {k: last.wellbeing[k] - base.wellbeing[k] for k in WELLBEING_ITEMS}
    return {
        "baseline": base.wellbeing,
        "latest": last.wellbeing,
        "change": change,
        "total_change": sum(change.values()),
        "visits": done.filter(kind="visit").count(),
        "method": "five items scored 0-4 by the visiting caseworker; latest visit minus baseline",
    }
