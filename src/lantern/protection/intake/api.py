"""Intake endpoints: open a case from each channel, after searching for the child.

One route per channel of ``intake.declaration.CHANNELS``, its body built from the channel's
declaration (as the page form is). Each answers 201 with the new case, or 409 listing the
existing records that may be the child, each with why; then either repeat with ``confirm_new``
(the choice, with the candidates found again, is recorded) or POST ``/intake/existing/{id}``
to open the existing case instead (recorded too). Errors follow the one contract
(``lantern.api``).
"""

# No postponed annotations: each route's body type is built from its channel at import time.

import dataclasses
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lantern.audit.services import request_source
from lantern.edges.bounds import LIST_MAX, Code, Id
from lantern.edges.schemas import ERRORS, In
from lantern.protection.api_common import OpenedOut, opened
from lantern.protection.intake import duplicates
from lantern.protection.intake import service as intake
from lantern.protection.intake.declaration import CHANNELS, Channel
from lantern.protection.intake.schemas import DuplicatesOut, MatchOut, body_schema, child_schema

router = Router(tags=["intake"])

OPENED = {**ERRORS, 201: OpenedOut, 409: DuplicatesOut}
ChildIn = child_schema()


def _child(body: Schema) -> intake.Child:
    data = body.model_dump()
    return intake.Child(**data | {"citizenship": tuple(data["citizenship"])})


def _route(channel: Channel) -> None:
    """POST /intake/<channel>: the channel's declared body, the one service call."""
    body_type = body_schema(channel)

    def open_case(request: HttpRequest, body: body_type) -> Status[Any]:  # type: ignore[valid-type]
        case = intake.open_case(
            request.user,
            channel.name,
            _child(body.child),  # type: ignore[attr-defined]
            body.model_dump(exclude={"child", "confirm_new"}),  # type: ignore[attr-defined]
            confirm_new=body.confirm_new,  # type: ignore[attr-defined]
            source=request_source(request),
        )
        return Status(201, opened(case))

    router.post(
        f"/intake/{channel.name.replace('_', '-')}",
        response=OPENED,
        operation_id=f"intake_{channel.name}",
        summary=f"Open a case: {channel.label}",
        description=str(channel.hint),
    )(open_case)


for _channel in CHANNELS.values():
    _route(_channel)


@router.post(
    "/intake/search",
    response={200: list[MatchOut], **ERRORS},  # type: ignore[valid-type]
    summary="Existing records that may be this child",
)
def intake_search(request: HttpRequest, body: ChildIn) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    matches = intake.find_existing(request.user, _child(body), request_source(request))
    return [dataclasses.asdict(m) for m in matches]


class ExistingIn(In):
    """The caseworker's choice after a 409: the child is this existing case's."""

    channel: Code
    candidates: Annotated[list[Id], Field(max_length=LIST_MAX)] = []


@router.post(
    "/intake/existing/{case_id}",
    response={200: OpenedOut, **ERRORS},
    operation_id="intake_open_existing",
    summary="After a 409: the child is this existing case's; open it instead of a new one",
)
def open_existing(request: HttpRequest, case_id: Id, body: ExistingIn) -> dict[str, Any]:
    case = duplicates.choose_existing(
        request.user, body.channel, case_id, body.candidates, source=request_source(request)
    )
    return opened(case)
