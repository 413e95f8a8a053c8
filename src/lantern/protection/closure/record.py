"""A case's closure as pages and the API show it: the checklist, and the requests so far."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lantern.cases.models import Case, ClosureRequest, ClosureStatus
from lantern.edges.fields import taxonomy_label
from lantern.protection.closure import service
from lantern.protection.closure.checklist import Area, checklist, kind_label


def area_view(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "label": area.label,
        "done": area.done,
        "items": [asdict(i) for i in area.items],
    }


def request_view(req: ClosureRequest) -> dict[str, Any]:
    """One request; its free text is read by those ``service.requests_of`` let read it."""
    reasons = req.reasons()
    return {
        "id": req.pk,
        "status": req.status,
        "status_label": str(ClosureStatus(req.status).label),
        "outcome": req.outcome,
        "outcome_label": taxonomy_label(req.outcome, "case_outcomes"),
        "reason": str(req.reason),
        "open_items": [
            {"key": k, "label": kind_label(k), "reason": reasons.get(k, "")} for k in req.open_items
        ],
        "requested_by": req.requested_by.username if req.requested_by else "",
        "requested_at": req.requested_at.isoformat(),
        "decided_by": req.decided_by.username if req.decided_by else "",
        "decided_at": req.decided_at.isoformat() if req.decided_at else None,
        "decision_reason": str(req.decision_reason),
    }


def closure_view(user: Any, case: Case, source: str = "") -> dict[str, Any]:
    """The case's checklist as of now and its closure requests, newest first."""
    requests = service.requests_of(user, case, source)
    return {
        "case_id": case.pk,
        "reference": case.reference,
        "state": case.state,
        "outcome": case.outcome,
        "checklist": [area_view(a) for a in checklist(case)],
        "requests": [request_view(r) for r in requests],
    }
