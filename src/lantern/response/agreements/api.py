"""Agreements and MoUs, and readmission requests, over the API.

Packets travel as base64 in JSON fields; no call carries a key (the server seals to, and
verifies with, the partner keys pinned on the exchange agreement). The service checks the
policy before it reads the packet: 403 for a role that may not, then 422 naming the field.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from lantern.audit.services import request_source
from lantern.cases.services.common import require
from lantern.edges.bounds import Age, Code, Codes, Id, Name, Text
from lantern.edges.schemas import ERRORS, In, Out
from lantern.errors import Invalid
from lantern.response.agreements import readmission
from lantern.response.agreements import service as agreements
from lantern.response.agreements.models import CooperationAgreement, ReadmissionRequest

router = Router(tags=["cooperation"])
PACKET_MAX = 200_000  # a readmission packet is a few hundred bytes


class AgreementIn(In):
    reference: Code
    title: Name
    type: Code
    countries: Codes
    valid_from: dt.date
    valid_until: dt.date | None = None
    signed_on: dt.date | None = None
    is_mou: bool = False
    parties: list[Id] = Field(default_factory=list, max_length=100)
    forms: Codes = Field(default_factory=list)
    min_age: Age | None = None
    max_age: Age | None = None
    exchange: Code = ""


class AgreementOut(Out):
    id: int
    reference: str
    title: str
    type: str
    is_mou: bool
    countries: list[str]
    parties: list[str]
    forms: list[str]
    min_age: int | None
    max_age: int | None
    signed_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date | None
    validity: str  # in_force, expiring, expired, not_yet
    exchange: str
    unapproved: list[str]  # parties no longer approved in the directory


def _agreement(row: CooperationAgreement) -> dict[str, Any]:
    return {
        "id": row.pk,
        "reference": row.reference,
        "title": row.title,
        "type": row.type,
        "is_mou": row.is_mou,
        "countries": list(row.countries),
        "parties": [o.name for o in row.parties.all()],
        "unapproved": [o.name for o in agreements.unapproved(row)],
        "forms": list(row.forms),
        "min_age": row.min_age,
        "max_age": row.max_age,
        "signed_on": row.signed_on,
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "validity": agreements.validity(row).value,
        "exchange": row.exchange.reference if row.exchange else "",
    }


@router.get("/cooperation-agreements", response={200: list[AgreementOut], **ERRORS})
def list_agreements(request: HttpRequest) -> list[dict[str, Any]]:
    """Agreements and MoUs, the soonest to expire first."""
    return [_agreement(a) for a in agreements.agreements(request.user)[:500]]


@router.post("/cooperation-agreements", response={201: AgreementOut, **ERRORS})
def create_agreement(request: HttpRequest, body: AgreementIn) -> Status[Any]:
    """Record an agreement or MoU (the coordinator's)."""
    row = agreements.save_agreement(request.user, **body.dict(), source=request_source(request))
    return Status(201, _agreement(row))


@router.get("/cooperation-agreements/{cooperation_id}", response={200: AgreementOut, **ERRORS})
def agreement_detail(request: HttpRequest, cooperation_id: Id) -> dict[str, Any]:
    return _agreement(agreements.get_agreement(request.user, cooperation_id))


# --- readmission requests ----------------------------------------------------------------------


class ReadmissionOut(Out):
    id: int
    direction: str
    reference: str
    exchange: str
    case_reference: str
    proposed_date: dt.date
    crossing_point: str
    status: str
    answer_note: str


class SentOut(Out):
    request: ReadmissionOut
    packet: str  # base64: send it to the partner


class SendIn(In):
    exchange: Code
    proposed_date: dt.date
    crossing_point: Name
    escort: Text
    case_reference: Code = ""


class PacketIn(In):
    packet: str = Field(max_length=PACKET_MAX)


class AnswerIn(In):
    accepted: bool
    note: Name = ""


def _request(row: ReadmissionRequest) -> dict[str, Any]:
    return {
        "id": row.pk,
        "direction": row.direction,
        "reference": row.reference,
        "exchange": row.exchange.reference,
        "case_reference": row.case_reference,
        "proposed_date": row.proposed_date,
        "crossing_point": row.crossing_point,
        "status": row.status,
        "answer_note": row.answer_note,
    }


def _bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(_("packet: not base64"), "packet") from None


@router.get("/readmissions", response={200: list[ReadmissionOut], **ERRORS})
def list_readmissions(request: HttpRequest) -> list[dict[str, Any]]:
    """Readmission requests sent and received (the agency's; every one nationally)."""
    return [_request(r) for r in readmission.requests(request.user)[:500]]


@router.post("/readmissions", response={201: SentOut, **ERRORS})
def send_readmission(request: HttpRequest, body: SendIn) -> Status[Any]:
    """Seal a readmission request for the partner pinned on the exchange agreement."""
    row, blob = readmission.send_request(
        request.user, **body.dict(), source=request_source(request)
    )
    return Status(201, {"request": _request(row), "packet": base64.b64encode(blob).decode()})


@router.post("/readmissions/receive", response={201: ReadmissionOut, **ERRORS})
def receive_readmission(request: HttpRequest, body: PacketIn) -> Status[Any]:
    """A request from the partner, or its answer to ours: verified, then recorded."""
    require(request.user, "readmission", "manage", _("arrange readmissions"))  # before decoding
    row = readmission.receive(request.user, _bytes(body.packet), source=request_source(request))
    return Status(201, _request(row))


@router.get("/readmissions/{readmission_id}", response={200: ReadmissionOut, **ERRORS})
def readmission_detail(request: HttpRequest, readmission_id: Id) -> dict[str, Any]:
    return _request(readmission.get_request(request.user, readmission_id))


class AnsweredOut(Out):
    request: ReadmissionOut
    packet: str


@router.post("/readmissions/{readmission_id}/answer", response={200: AnsweredOut, **ERRORS})
def answer_readmission(request: HttpRequest, readmission_id: Id, body: AnswerIn) -> dict[str, Any]:
    """Acknowledge a request received: accept (the reception is arranged) or refuse it."""
    row = readmission.get_request(request.user, readmission_id, "manage")
    blob = readmission.answer(request.user, row, **body.dict(), source=request_source(request))
    return {"request": _request(row), "packet": base64.b64encode(blob).decode()}
