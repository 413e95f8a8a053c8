"""Closing a case in a test as the product does: a request, then a supervisor's approval."""

from __future__ import annotations

from typing import Any

from lantern.accounts.models import Role, User
from lantern.cases.models import Case, ClosureRequest
from lantern.protection.closure import service
from lantern.protection.closure.checklist import checklist, open_items
from tests import factories


def supervisor_of(case: Case, name: str = "closing-sup") -> User:
    """A supervisor of the case's agency (made once per name)."""
    found = User.objects.filter(username=name).first()
    return found or factories.user(name, Role.SUPERVISOR, agency_code=case.agency.code)


def close(
    requester: Any, case: Case, outcome: str, reason: str, approver: Any = None
) -> ClosureRequest:
    """Request closure (a reason for each item still open) and approve it."""
    reasons = {i.key: "left open in a test" for i in open_items(checklist(case))}
    req = service.request_closure(
        requester, case, outcome=outcome, reason=reason, justifications=reasons
    )
    approved = service.approve(approver or supervisor_of(case), req.pk)
    case.refresh_from_db()
    return approved
