"""Domestic transfer: a case's ownership moves to another agency of this installation.
(Cross-border packets are ``lantern.exchange.api``.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS, In, Out
from lantern.protection.api_common import case_of
from lantern.protection.transfers import service as transfers

router = Router(tags=["transfers"])


class TransferIn(In):
    agency: str
    reason: str


class TransferOut(Out):
    id: int
    case: int
    to_agency: str
    status: str


@router.post("/cases/{case_id}/transfer", response={201: TransferOut, **ERRORS})
def transfer(request: HttpRequest, case_id: Id, body: TransferIn) -> Status[Any]:
    """Move case ownership to another agency of this installation."""
    case = case_of(request, case_id)
    row = transfers.transfer_to_agency(
        request.user,
        case,
        agency=body.agency,
        reason=body.reason,
        source=request_source(request),
    )
    out = {"id": row.pk, "case": case.pk, "to_agency": body.agency, "status": row.status}
    return Status(201, out)
