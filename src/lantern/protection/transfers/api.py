"""Transfers over the API, mirroring the pages: a case to another agency of this installation,
or across a border by referral packet (export a case for a partner installation, the answer
being the packet itself; import a packet received).

Packets travel as base64 in JSON fields so that one JSON schema describes each call. No call
carries a key: the server seals to, and verifies with, the partner keys pinned on the agreement
(a body with a key field is refused, 422). The policy check runs before the body is read: 404
outside the caller's scope, 403 when the role may not transfer or import, then 422 naming the
field, 409 for a refusal (the workflow's, or an agreement with no pinned key): the one error
contract of ``lantern.api``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from pydantic import Field

from lantern.audit.services import request_source
from lantern.cases.services.common import guard, require
from lantern.edges.bounds import Code, Id, Text
from lantern.edges.schemas import ERRORS, In, Out
from lantern.errors import Invalid
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


# --- across a border: referral packets ---------------------------------------------------------

# A packet is one child's HTCDS record, sealed: kilobytes. Its base64 is capped well above that.
PACKET_MAX = 2_000_000
# The packet operations keep the tag and operation ids they were published with.
_EXCHANGE = ["exchange"]


class ExportIn(In):
    agreement: Code  # its pinned partner installation receives the packet
    reason: Text
    consent_basis: Code = "child_assent"
    override_reason: Text = ""


class ImportIn(In):
    # base64 of the packet file; its header names the agreement (and pinned key)
    packet: str = Field(max_length=PACKET_MAX)


class ImportedOut(Out):
    id: int
    reference: str
    agency: str


def _bytes(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"{field}: not base64", field) from None


_PACKET = {
    "responses": {
        200: {
            "description": "The sealed packet (never cached)",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


@router.post(
    "/cases/{case_id}/export-packet",
    response=ERRORS,
    openapi_extra=_PACKET,
    tags=_EXCHANGE,
    operation_id="lantern_exchange_api_export_packet",
)
def export_packet(request: HttpRequest, case_id: Id, body: ExportIn) -> HttpResponse:
    """Seal the case for the partner pinned on the agreement; answer the packet and close the
    case here (ClosedReferred). Never cached: it carries the child's identity, encrypted."""
    user: Any = request.user
    case = case_of(request, case_id)
    guard(user, case, "transfer")
    blob = transfers.export_packet(
        user,
        case,
        agreement=body.agreement,
        reason=body.reason,
        consent_basis=body.consent_basis,
        override_reason=body.override_reason,
        source=request_source(request),
    )
    res = HttpResponse(blob, content_type="application/octet-stream")
    res["Content-Disposition"] = f'attachment; filename="{case.reference}-{body.agreement}.packet"'
    res["Cache-Control"] = "no-store"
    return res


@router.post(
    "/exchange/import",
    response={201: ImportedOut, **ERRORS},
    tags=_EXCHANGE,
    operation_id="lantern_exchange_api_import_packet",
)
def import_packet(request: HttpRequest, body: ImportIn) -> Status[Any]:
    """Open a packet signed by the partner pinned on the agreement its header names, as a case
    of the caller's agency."""
    user: Any = request.user
    require(user, "exchange", "import", "import referral packets")
    case = transfers.import_packet(
        user, _bytes(body.packet, "packet"), source=request_source(request)
    )
    return Status(201, {"id": case.pk, "reference": case.reference, "agency": user.agency.code})
