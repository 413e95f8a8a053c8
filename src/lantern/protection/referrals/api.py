"""Referral endpoints: the directory, a referral, its answer by the receiving organisation,
its completion, and the packet the receiver reads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS
from lantern.protection.api_common import case_of, user_of
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import Referral
from lantern.protection.referrals.schemas import (
    AnswerIn,
    CompleteIn,
    OrganisationOut,
    PacketOut,
    ReferralIn,
    ReferralOut,
)

router = Router(tags=["referrals"])

REFERRAL = {200: ReferralOut, **ERRORS}


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    summary="The referral directory",
)
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": o.pk, "name": o.name, "type": o.type, "country": o.country, "services": o.services}
        for o in policy.scoped(user_of(request), "organisation", "view").order_by("name")
    ]


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut, **ERRORS})
def refer(request: HttpRequest, case_id: Id, body: ReferralIn) -> Status[Any]:
    """Refer the child; 403 unless the consent basis is recorded (or an allowed override)."""
    case = case_of(request, case_id)
    row = referrals.create(request.user, case, source=request_source(request), **body.model_dump())
    return Status(201, referrals.referral_view(row))


def _referral(request: HttpRequest, pk: int) -> Referral:
    ref: Referral = policy.get_or_404(user_of(request), "referral", "view", pk)
    return ref


def _answer(request: HttpRequest, referral_id: int, body: AnswerIn, accept: bool) -> dict[str, Any]:
    """The receiving organisation accepts or declines a referral (one rule, two routes)."""
    ref = _referral(request, referral_id)
    row = referrals.respond(
        request.user, ref, accept=accept, reason=body.reason, source=request_source(request)
    )
    return referrals.referral_view(row)


@router.post("/referrals/{referral_id}/accept", response=REFERRAL)
def accept_referral(request: HttpRequest, referral_id: Id, body: AnswerIn) -> dict[str, Any]:
    return _answer(request, referral_id, body, accept=True)


@router.post("/referrals/{referral_id}/decline", response=REFERRAL)
def decline_referral(request: HttpRequest, referral_id: Id, body: AnswerIn) -> dict[str, Any]:
    return _answer(request, referral_id, body, accept=False)


@router.post("/referrals/{referral_id}/complete", response=REFERRAL)
def complete_referral(request: HttpRequest, referral_id: Id, body: CompleteIn) -> dict[str, Any]:
    ref = _referral(request, referral_id)
    row = referrals.complete(request.user, ref, note=body.note, source=request_source(request))
    return referrals.referral_view(row)


@router.get(
    "/referrals/{referral_id}/packet",
    response={200: PacketOut, **ERRORS},
    summary="What the receiving organisation sees",
)
def referral_packet(request: HttpRequest, referral_id: Id) -> dict[str, Any]:
    ref = _referral(request, referral_id)
    return referrals.referral_packet(request.user, ref, request_source(request))
