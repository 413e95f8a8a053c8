"""Assignment endpoints: give one case an owner, or several cases at once (all or none)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from ninja import Router
from pydantic import Field

from lantern.audit.services import request_source
from lantern.cases import assignment
from lantern.edges.bounds import Id, Text
from lantern.edges.schemas import ERRORS, In, Out, out_of
from lantern.edges.typing import AuthedRequest

router = Router(tags=["cases"])

AssignmentOut = out_of(assignment.Assignment, "AssignmentOut")


class AssignIn(In):
    owner: Id
    reason: Text = ""  # required when the case already has an owner


class BulkAssignIn(AssignIn):
    # none is refused by the service, after the policy: a caller without the right learns no more
    cases: Annotated[list[Id], Field(max_length=assignment.BULK_MAX)]


class AssignedOut(Out):
    assigned: list[AssignmentOut]  # type: ignore[valid-type]


@router.post(
    "/cases/{case_id}/assignment",
    response={200: AssignmentOut, **ERRORS},
    summary="Give a case an owner (supervisors)",
)
def assign(request: AuthedRequest, case_id: Id, body: AssignIn) -> dict[str, Any]:
    """422 naming ``owner`` when the person may not work the case, ``reason`` when a
    reassignment gives none."""
    done = assignment.assign(
        request.user, case_id, body.owner, body.reason, request_source(request)
    )
    return asdict(done)


@router.post(
    "/cases/assignments",
    response={200: AssignedOut, **ERRORS},
    summary="Give several cases one owner, all or none (supervisors)",
)
def assign_many(request: AuthedRequest, body: BulkAssignIn) -> dict[str, Any]:
    """The first refusal undoes the whole request and names its case."""
    done = assignment.assign_many(
        request.user, body.cases, body.owner, body.reason, request_source(request)
    )
    return {"assigned": [asdict(d) for d in done]}
