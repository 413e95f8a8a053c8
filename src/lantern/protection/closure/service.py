"""Closing a case: a caseworker asks, a supervisor approves or returns (issue #15, item 7).

The request carries the outcome (case_outcomes), a reason, and the checklist as it stood: work
still open blocks it unless the caseworker says, item by item, why the case may close anyway.
A justified open item is a decision the supervisor takes knowingly, not a loophole: a criminal
investigation goes on after the child's case closes, a child who ran away cannot be discharged
from the shelter first. On approval the checklist is read again; anything open that the request
did not justify (it opened since) stops the approval, and the request goes back. The approver
is never the requester (four eyes, as for care plans). Only then does
``lantern.cases.workflow.close`` close the case, in the same transaction. Every step is
audited; the audit refers to the request by id and names open items by key, never copying
what anyone wrote about the child.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases import workflow
from lantern.cases.models import Case, ClosureRequest, ClosureStatus, LifecycleState
from lantern.cases.services.common import guard, now, text
from lantern.errors import NotAllowed, NotFound, Refused
from lantern.protection.closure.checklist import Area, checklist, open_items

JUSTIFICATION_MAX = 2000


def _open_case(case: Case) -> None:
    if case.state == LifecycleState.CLOSED:
        raise Refused(_("the case is already closed"))


def _unjustified(areas: list[Area], reasons: Mapping[str, str]) -> list[str]:
    return [i.what for i in open_items(areas) if not reasons.get(i.key, "").strip()]


def request_closure(
    user: Any,
    case: Case,
    *,
    outcome: str,
    reason: str,
    justifications: Mapping[str, str] | None = None,
    source: str = "",
) -> ClosureRequest:
    """Ask a supervisor to close ``case`` with ``outcome``; every open item needs a reason in
    ``justifications`` (by item key), or the request is refused naming what is open."""
    guard(user, case, "transition")
    _open_case(case)
    outcome = workflow.outcome_code(outcome)
    reason = text(reason, "reason", required=True)
    areas = checklist(case)
    keys = [i.key for i in open_items(areas)]
    given = {
        k: text(str(v), "justifications", max_length=JUSTIFICATION_MAX)
        for k, v in (justifications or {}).items()
        if k in keys and str(v).strip()
    }
    missing = _unjustified(areas, given)
    if missing:
        raise Refused(
            _("work is still open; finish it or say why the case may close anyway: %(items)s")
            % {"items": " ".join(missing)}
        )
    try:
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case.pk).first()
            if case.closure_requests.filter(status=ClosureStatus.PENDING).exists():
                raise Refused(_("a closure request for this case already awaits approval"))
            req = ClosureRequest.objects.create(
                case=case,
                outcome=outcome,
                reason=reason,
                open_items=keys,
                justifications=json.dumps(given, ensure_ascii=False) if given else "",
                requested_by=user,
                requested_at=now(),
            )
            audit.record(
                user,
                "request_closure",
                "case",
                case.reference,
                ["closure_request"],
                reason=f"closure request {req.pk}: outcome {outcome}; open items "
                f"{', '.join(keys) or 'none'}",  # keys are record ids; the reasons stay there
                source=source,
            )
    except IntegrityError as exc:  # a second request raced this one past the check
        raise Refused(_("a closure request for this case already awaits approval")) from exc
    return req


def may_decide(user: Any, case: Case, request_id: int) -> bool:
    """Whether ``user`` may approve or return the case's closure request ``request_id``: a
    role that approves closures of this case, and never the one who asked (four eyes)."""
    asked_by_user = case.closure_requests.filter(pk=request_id, requested_by_id=user.pk)
    return policy.case_allows(user, "approve_closure", case) and not asked_by_user.exists()


def _to_decide(user: Any, request_id: int) -> ClosureRequest:
    """The pending request ``request_id`` that ``user`` may decide, locked; NotFound outside
    the user's view of cases, NotAllowed for a role that does not approve closures."""
    req = policy.scoped_get(user, "closure", "view", request_id)
    if req is None:
        raise NotFound(_("No such closure request"))
    if not policy.case_allows(user, "approve_closure", req.case):
        raise NotAllowed(_("your role may not approve the closure of this case"))
    req = (
        ClosureRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=req.pk)
    )
    if req.status != ClosureStatus.PENDING:
        raise Refused(
            _("this request is no longer awaiting approval (%(status)s)")
            % {"status": req.get_status_display()}
        )
    return req


def approve(user: Any, request_id: int, *, note: str = "", source: str = "") -> ClosureRequest:
    """Approve a pending request and close its case; refused when the approver asked for it,
    or when work opened since the request that it does not justify."""
    with transaction.atomic():
        req = _to_decide(user, request_id)
        if req.requested_by_id == user.pk:
            raise Refused(_("a closure is approved by someone other than the one who asked"))
        case = req.case
        _open_case(case)
        missing = _unjustified(checklist(case), req.reasons())
        if missing:
            raise Refused(
                _(
                    "work opened since the request and has no reason given; return the "
                    "request so that it is dealt with: %(items)s"
                )
                % {"items": " ".join(missing)}
            )
        req.status, req.decided_by, req.decided_at = ClosureStatus.APPROVED, user, now()
        req.decision_reason = text(note, "note", max_length=JUSTIFICATION_MAX)
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit.record(
            user,
            "approve_closure",
            "case",
            case.reference,
            ["closure_request"],
            reason=f"closure request {req.pk} approved; open items accepted: "
            f"{', '.join(req.reasons()) or 'none'}",
            source=source,
        )
        workflow.close(user, case, req, source)
    return req


def return_request(user: Any, request_id: int, *, reason: str, source: str = "") -> ClosureRequest:
    """Send a pending request back to the caseworker with the supervisor's reason; the case
    stays open and a new request may be made."""
    reason = text(reason, "reason", required=True, max_length=JUSTIFICATION_MAX)
    with transaction.atomic():
        req = _to_decide(user, request_id)
        req.status, req.decided_by, req.decided_at = ClosureStatus.RETURNED, user, now()
        req.decision_reason = reason
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit.record(
            user,
            "return_closure",
            "case",
            req.case.reference,
            ["closure_request"],
            reason=f"closure request {req.pk} returned",  # the reason stays on the request
            source=source,
        )
    return req


def withdraw(user: Any, request_id: int, source: str = "") -> ClosureRequest:
    """Take back a pending request (to finish the open work first, say); whoever may move the
    case may withdraw it. NotFound outside that scope."""
    with transaction.atomic():
        req = policy.scoped_get(user, "closure", "transition", request_id)
        if req is None:
            raise NotFound(_("No such closure request"))
        req = ClosureRequest.objects.select_for_update(of=("self",)).get(pk=req.pk)
        if req.status != ClosureStatus.PENDING:
            raise Refused(
                _("this request is no longer awaiting approval (%(status)s)")
                % {"status": req.get_status_display()}
            )
        req.status, req.decided_by, req.decided_at = ClosureStatus.WITHDRAWN, user, now()
        req.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            user,
            "withdraw_closure",
            "case",
            req.case.reference,
            ["closure_request"],
            reason=f"closure request {req.pk} withdrawn",
            source=source,
        )
    return req


def requests_of(user: Any, case: Case, source: str = "") -> list[ClosureRequest]:
    """The case's closure requests, newest first, for one who may ask or approve; reading their
    reasons is audited."""
    guard(user, case, "transition")
    rows = list(case.closure_requests.select_related("requested_by", "decided_by"))
    if rows:
        audit.record(
            user,
            "view",
            "case",
            case.reference,
            ["closurerequest.reason", "closurerequest.justifications"],
            source=source,
        )
    return rows


def pending(user: Any) -> QuerySet[ClosureRequest]:
    """Requests awaiting ``user``'s approval (not their own), oldest first; none for a role
    that does not approve closures."""
    cases = policy.scope_cases(user, "approve_closure")
    return (
        ClosureRequest.objects.filter(case__in=cases, status=ClosureStatus.PENDING)
        .exclude(requested_by_id=user.pk)
        .select_related("case")
        .order_by("requested_at", "pk")
    )
