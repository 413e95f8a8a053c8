"""The case lifecycle as an explicit state machine (DESIGN.md section 2, "state machines").

``TRANSITIONS`` is the whole of it: which state may follow which, and what must be true first.
Safety comes first (a risk assessment before anything is planned), a child is placed before
being "in care", services follow an approved care plan, a family assessment precedes any
return, a baseline wellbeing measure precedes follow-up (so before/after can be shown), and a
case closes only with an outcome from the taxonomy, through a closure request a supervisor has
approved (``close``; the checklist and the request are ``lantern.protection.closure``'s). A
transfer abroad closes it as ClosedReferred (``close_transferred``): the work goes on elsewhere.
The HTCDS status is derived, never set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern import taxonomy
from lantern.audit import services as audit
from lantern.cases.models import (
    Case,
    CaseTransition,
    ClosureRequest,
    ClosureStatus,
    HtcdsStatus,
    LifecycleState,
)
from lantern.cases.services.common import guard, now, text
from lantern.errors import Invalid, Refused

S = LifecycleState


@dataclass(frozen=True)
class Precondition:
    """A fact the case must hold before a transition; ``unmet`` is said to the user."""

    unmet: str | Promise  # translated when said
    holds: Callable[[Case], bool]


def _risk_assessed(case: Case) -> bool:
    return case.risk_assessments.exists()


def _placed(case: Case) -> bool:
    return case.placements.filter(end__isnull=True).exists()


def _plan_approved(case: Case) -> bool:
    return case.care_plans.filter(status="approved").exists()


def _family_assessed(case: Case) -> bool:
    return case.family_assessments.exists()


def _baseline(case: Case) -> bool:
    return case.visits.filter(kind="baseline", done_at__isnull=False).exists()


def _has_outcome(case: Case) -> bool:
    return bool(case.outcome)


RISK = Precondition(gettext_lazy("no risk assessment is recorded (safety first)"), _risk_assessed)
PLACED = Precondition(gettext_lazy("the child has no current placement"), _placed)
PLAN = Precondition(gettext_lazy("no care plan is approved"), _plan_approved)
FAMILY = Precondition(
    gettext_lazy("no family assessment is recorded (required before any return)"),
    _family_assessed,
)
BASELINE = Precondition(gettext_lazy("no baseline wellbeing measure is recorded"), _baseline)
OUTCOME = Precondition(gettext_lazy("an outcome is required to close a case"), _has_outcome)
CLOSED_BY_REQUEST = gettext_lazy(
    "a case is closed by a closure request that a supervisor approves (the case's Closure page)"
)

# (from, to) -> preconditions. Anything absent is illegal. Closing is allowed from every open
# state (a child may run away, die or be transferred at any point) but always needs an outcome,
# and happens only through ``close`` (an approved request) or ``close_transferred``.
TRANSITIONS: dict[tuple[str, str], tuple[Precondition, ...]] = {
    (S.IDENTIFIED, S.ASSESSED): (RISK,),
    (S.ASSESSED, S.IN_CARE): (RISK, PLACED),
    (S.IN_CARE, S.SERVICES): (PLAN,),
    (S.SERVICES, S.IN_CARE): (),  # the plan is being revised
    (S.SERVICES, S.REMOVAL_VERIFIED): (RISK, FAMILY),
    (S.REMOVAL_VERIFIED, S.SERVICES): (),
    (S.REMOVAL_VERIFIED, S.FOLLOW_UP): (BASELINE,),
    (S.FOLLOW_UP, S.SERVICES): (),  # needs returned during follow-up
    **{(s, S.CLOSED): (OUTCOME,) for s in S if s != S.CLOSED},
}


def htcds_status(case: Case) -> str:
    """HTCDS ``cas_Status`` from the lifecycle state: closed by transfer is ClosedReferred."""
    if case.state == S.CLOSED:
        referred = case.outcome == "transferred" or (
            case.pk is not None and case.transfers.filter(direction="outgoing").exists()
        )
        return HtcdsStatus.CLOSED_REFERRED if referred else HtcdsStatus.CLOSED
    if case.state == S.FOLLOW_UP:
        return HtcdsStatus.FOLLOW_UP
    return HtcdsStatus.ACTIVE


# An agency record's HTCDS status (``cas_Status``) -> the lifecycle state it stands for. An
# import sets a case's state from this and derives the status, as every transition does: the
# status is never written on its own, so it cannot disagree with the state.
IMPORTED_STATES: dict[str, str] = {
    HtcdsStatus.ACTIVE: S.IDENTIFIED,
    HtcdsStatus.FOLLOW_UP: S.FOLLOW_UP,
    HtcdsStatus.CLOSED: S.CLOSED,
    HtcdsStatus.CLOSED_REFERRED: S.CLOSED,
}


def imported(status: str, outcome: str) -> dict[str, str]:
    """The state, derived status and outcome of a case as an agency's record reports it.

    A record closed by referral with no outcome was transferred (so it stays ClosedReferred).
    Cases already moved through the state machine here are not changed by an import
    (``lantern.cases.importing``): what this installation recorded outranks a file.
    """
    state = IMPORTED_STATES.get(status, S.IDENTIFIED)
    if state != S.CLOSED:
        outcome = ""
    elif status == HtcdsStatus.CLOSED_REFERRED and not outcome:
        outcome = "transferred"
    return {
        "state": state,
        "status": htcds_status(Case(state=state, outcome=outcome)),
        "outcome": outcome,
    }


def next_states(case: Case) -> list[dict[str, Any]]:
    """The states the case may move to, each with what is still unmet (for pages and API)."""
    out = []
    for (src, dst), pre in TRANSITIONS.items():
        if src == case.state:
            unmet = [str(p.unmet) for p in pre if not p.holds(case)]
            if dst == S.CLOSED:  # never by a move: through a closure request
                unmet = [str(CLOSED_BY_REQUEST)]
            out.append({"state": str(dst), "ready": not unmet, "unmet": unmet})
    return out


def _check(case: Case, to: str) -> None:
    if to not in S.values:
        raise Invalid(
            _("to: %(to)r is not a state; states: %(states)s")
            % {"to": to, "states": ", ".join(S.values)},
            "to",
        )
    pre = TRANSITIONS.get((case.state, to))
    if pre is None:
        allowed = [str(d) for (s, d) in TRANSITIONS if s == case.state] or [_("none (closed)")]
        raise Refused(
            _("a case cannot move from %(src)s to %(to)s; from %(src)s it may move to %(allowed)s")
            % {"src": case.state, "to": to, "allowed": ", ".join(allowed)}
        )
    unmet = [str(p.unmet) for p in pre if not p.holds(case)]
    if unmet:
        raise Refused(
            _("cannot move from %(src)s to %(to)s: %(unmet)s")
            % {"src": case.state, "to": to, "unmet": "; ".join(unmet)}
        )


def transition(user: Any, case: Case, to: str, reason: str, source: str = "") -> CaseTransition:
    """Move ``case`` to ``to`` if the policy and the table allow it; audited with the reason."""
    guard(user, case, "transition")
    reason = text(reason, "reason", required=True)
    if to == S.CLOSED:
        raise Refused(str(CLOSED_BY_REQUEST))
    return _apply(user, case, to, reason, source)


def outcome_code(outcome: str) -> str:
    """``outcome`` as a case_outcomes code, or Invalid naming the field."""
    try:
        return taxonomy.validate("case_outcomes", outcome)
    except taxonomy.UnknownCode as exc:
        raise Invalid(
            _("outcome: %(outcome)r is not a case_outcomes code") % {"outcome": outcome}, "outcome"
        ) from exc


def close(user: Any, case: Case, approval: ClosureRequest, source: str = "") -> CaseTransition:
    """Close ``case`` as the closure request ``approval`` says: its outcome, its reason.

    The request must be this case's, approved by ``user`` (who may approve closures) and not
    used yet; the database's copy is checked under a lock, not the caller's. This is the only
    way a user closes a case: the request's service (``lantern.protection.closure``) checks the
    checklist and records the approval in the same transaction before calling it.
    """
    guard(user, case, "approve_closure")
    with transaction.atomic():
        req = ClosureRequest.objects.select_for_update().filter(pk=approval.pk).first()
        if (
            req is None
            or req.case_id != case.pk
            or req.status != ClosureStatus.APPROVED
            or req.decided_by_id != user.pk
            or req.transition_id is not None
        ):
            raise Refused(str(CLOSED_BY_REQUEST))
        outcome = outcome_code(req.outcome)
        step = _apply(user, case, S.CLOSED, str(req.reason), source, outcome=outcome)
        req.transition = step
        req.save(update_fields=["transition"])
    approval.transition = step
    return step


def _apply(
    user: Any, case: Case, to: str, reason: str, source: str, outcome: str | None = None
) -> CaseTransition:
    """The one writer of a case's state: lock the row, check the move against the state the
    database holds now (not the caller's copy, which another request may have moved on), write
    state, derived status and outcome, and record the transition. Two requests that both saw
    the same state cannot both move it: the second waits for the lock and is checked afresh."""
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if outcome is not None:
            current.outcome = outcome
        _check(current, to)
        src = current.state
        current.state = to
        current.status = htcds_status(current)
        current.save(update_fields=["state", "status", "outcome", "updated_at"])
        step = CaseTransition.objects.create(
            case=current, from_state=src, to_state=to, reason=reason, by=user, at=now()
        )
        audit.record(
            user,
            "transition",
            "case",
            current.reference,
            ["state", "status"] + (["outcome"] if to == S.CLOSED else []),
            reason=f"{src} -> {to}: transition {step.pk}",  # refers to the reason, never copies it
            source=source,
        )
    case.state, case.status, case.outcome = current.state, current.status, current.outcome
    case.updated_at = current.updated_at
    return step


def close_transferred(user: Any, case: Case, reason: str, source: str = "") -> CaseTransition:
    """Close a case whose ownership moved elsewhere (HTCDS ClosedReferred); part of a transfer,
    so it is the transfer permission, not the transition one, that allows it."""
    guard(user, case, "transfer")
    reason = text(reason, "reason", required=True)
    return _apply(user, case, S.CLOSED, reason, source, outcome="transferred")
