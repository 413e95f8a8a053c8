"""Cross-border referral packets over the API, mirroring the pages: export a case for a partner
installation (the answer is the packet itself), import a packet received.

Binary files travel as base64 in JSON fields so that one JSON schema describes each call. No
call carries a key: the server seals to, and verifies with, the partner keys pinned on the
agreement (a body with a key field is refused, 422). The policy check runs before the body is
read: 404 outside the caller's scope, 403 when the role may not transfer or import, then 422
naming the field, 409 for a refusal (the workflow's, or an agreement with no pinned key).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.cases.services.common import guard, require
from lantern.errors import Invalid, NotAllowed, ProtectionError, Refused
from lantern.protection.transfers import service as transfers
from lantern.web.bounds import TEXT_MAX, Code, Id, Text

router = Router(tags=["exchange"])


# A packet is one child's HTCDS record, sealed: kilobytes. Its base64 is capped well above that.
PACKET_MAX = 2_000_000


class In(Schema):
    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX)


class ExportIn(In):
    agreement: Code  # its pinned partner installation receives the packet
    reason: Text
    consent_basis: Code = "child_assent"
    override_reason: Text = ""


class ImportIn(In):
    # base64 of the packet file; its header names the agreement (and pinned key)
    packet: str = Field(max_length=PACKET_MAX)


def _fail(exc: ProtectionError) -> HttpError:
    code = 403 if isinstance(exc, NotAllowed) else 409 if isinstance(exc, Refused) else 422
    return HttpError(code, exc.reason)


def _bytes(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HttpError(422, f"{field}: not base64") from exc


@router.post("/cases/{case_id}/export-packet")
def export_packet(request: HttpRequest, case_id: Id, body: ExportIn) -> HttpResponse:
    """Seal the case for the partner pinned on the agreement; answer the packet and close the
    case here (ClosedReferred). Never cached: it carries the child's identity, encrypted."""
    user: Any = request.user
    case = queries.get_case(user, case_id, "view")
    try:
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
    except ProtectionError as exc:
        raise _fail(exc) from exc
    res = HttpResponse(blob, content_type="application/octet-stream")
    res["Content-Disposition"] = f'attachment; filename="{case.reference}-{body.agreement}.packet"'
    res["Cache-Control"] = "no-store"
    return res


@router.post("/exchange/import", response={201: dict[str, Any]})
def import_packet(request: HttpRequest, body: ImportIn) -> Status[dict[str, Any]]:
    """Open a packet signed by the partner pinned on the agreement its header names, as a case
    of the caller's agency."""
    user: Any = request.user
    try:
        require(user, "exchange", "import", "import referral packets")
        case = transfers.import_packet(
            user,
            _bytes(body.packet, "packet"),
            source=request_source(request),
        )
    except (Invalid, NotAllowed, Refused) as exc:
        raise _fail(exc) from exc
    return Status(201, {"id": case.pk, "reference": case.reference, "agency": user.agency.code})
