"""A readmission request between two installations: the request, its acknowledgement (the
partner accepts or refuses), and the escort who takes the child across.

Both travel as the exchange's signed packets (``lantern.exchange.packets``): sealed for the
partner installation pinned on a bilateral exchange agreement, signed by this one, refused
when altered, re-addressed or signed by any other key. The request carries no child's
identity (that travels in the transfer packet, under consent): a reference, the date, the
crossing point and the escort. Audit entries name requests by id and packet digest.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.services.common import now, require, text, today
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import (
    InstallationKeys,
    PacketError,
    digest,
    open_packet,
    read_header,
    seal,
)
from lantern.protection.transfers.models import Agreement
from lantern.protection.transfers.service import pinned_partner
from lantern.response.agreements.models import ReadmissionRequest, ReadmissionStatus

RESOURCE = "readmission"
REQUEST = "lantern-readmission-request"
ANSWER = "lantern-readmission-answer"


def requests(user: Any) -> QuerySet[ReadmissionRequest]:
    """The requests ``user`` reads; NotAllowed for a role the table gives none."""
    require(user, RESOURCE, "view", _("read readmission requests"))
    return policy.scoped(user, RESOURCE, "view").select_related("exchange")


def get_request(user: Any, pk: Any, action: str = "view") -> ReadmissionRequest:
    row: ReadmissionRequest = policy.get_or_404(user, RESOURCE, action, pk)
    return row


def _may_manage(user: Any) -> None:
    require(user, RESOURCE, "manage", _("arrange readmissions"))
    if user.agency_id is None:
        raise NotAllowed(_("your account belongs to no agency"))


def _exchange(reference: str) -> Agreement:
    row = Agreement.objects.filter(reference=(reference or "").strip()).first()
    if row is None:
        raise Invalid(_("exchange: no bilateral exchange agreement has this reference"), "exchange")
    if not row.in_force(today()):
        raise Refused(
            _("agreement %(ref)s is not in force on %(day)s")
            % {"ref": row.reference, "day": today().isoformat()}
        )
    return row


def send_request(
    user: Any,
    *,
    exchange: str,
    proposed_date: dt.date,
    crossing_point: str,
    escort: str,
    case_reference: str = "",
    keys: InstallationKeys | None = None,
    source: str = "",
) -> tuple[ReadmissionRequest, bytes]:
    """Seal a readmission request for the partner pinned on ``exchange``; answers the row kept
    here and the packet to send."""
    _may_manage(user)
    ag = _exchange(exchange)
    recipient = pinned_partner(ag)
    case_reference = text(case_reference, "case_reference", max_length=64)
    if (
        case_reference
        and not policy.scope_cases(user, "view").filter(reference=case_reference).exists()
    ):
        raise Invalid(_("case_reference: no case of yours has this reference"), "case_reference")
    if proposed_date < today():
        raise Invalid(_("proposed_date: a date in the past"), "proposed_date")
    payload = {
        "kind": REQUEST,
        "reference": f"RA-{uuid.uuid4().hex[:12]}",
        "case_reference": case_reference,
        "proposed_date": proposed_date.isoformat(),
        "crossing_point": text(crossing_point, "crossing_point", required=True, max_length=200),
        "escort": text(escort, "escort", required=True, max_length=1000),
        "requesting_agency": user.agency.name,
    }
    blob = seal(
        payload, agreement=ag.reference, sender=keys or installation_keys(), recipient=recipient
    )
    with transaction.atomic():
        row = ReadmissionRequest.objects.create(
            direction="outgoing",
            reference=payload["reference"],
            agency_id=user.agency_id,
            exchange=ag,
            case_reference=case_reference,
            proposed_date=proposed_date,
            crossing_point=payload["crossing_point"],
            escort=payload["escort"],
            status=ReadmissionStatus.SENT,
            request_digest=digest(blob),
            by=user,
            at=now(),
        )
        audit.record(
            user,
            "export",
            "readmission",
            row.pk,
            ["proposed_date", "crossing_point", "escort"],
            reason=f"request packet {row.request_digest} to {recipient.fingerprint} under "
            f"{ag.reference}",
            source=source,
        )
    return row, blob


def _open(blob: bytes, keys: InstallationKeys | None) -> tuple[Agreement, dict[str, Any], str]:
    """Verify and open a packet under the agreement its header names (pinned key only)."""
    try:
        named = str(read_header(blob).get("agreement", ""))
    except PacketError as exc:
        raise Invalid(_("packet: %(why)s") % {"why": _(str(exc))}, "packet") from exc
    ag = _exchange(named)
    sender = pinned_partner(ag)
    try:
        opened = open_packet(blob, recipient=keys or installation_keys(), sender=sender)
    except PacketError as exc:
        raise Invalid(_("packet: %(why)s") % {"why": _(str(exc))}, "packet") from exc
    return ag, opened.payload, opened.digest


def _date(value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise Invalid(_("packet: its proposed date is not a date"), "packet") from exc


def receive(
    user: Any, blob: bytes, *, keys: InstallationKeys | None = None, source: str = ""
) -> ReadmissionRequest:
    """Take in a packet from the partner: a request (kept here, to answer) or the answer to
    one of ours (its status changes). A packet that does not verify is refused unread."""
    _may_manage(user)
    ag, p, packet_digest = _open(blob, keys)
    if p.get("kind") == REQUEST:
        try:
            with transaction.atomic():
                row = ReadmissionRequest.objects.create(
                    direction="incoming",
                    reference=str(p.get("reference", ""))[:64],
                    agency_id=user.agency_id,
                    exchange=ag,
                    case_reference=str(p.get("case_reference", ""))[:64],
                    proposed_date=_date(p.get("proposed_date")),
                    crossing_point=str(p.get("crossing_point", ""))[:200],
                    escort=str(p.get("escort", ""))[:1000],
                    status=ReadmissionStatus.RECEIVED,
                    request_digest=packet_digest,
                    by=user,
                    at=now(),
                )
        except IntegrityError as exc:
            raise Refused(_("this packet was already received")) from exc
        audit.record(
            user,
            "import",
            "readmission",
            row.pk,
            ["proposed_date", "crossing_point", "escort"],
            reason=f"request packet {packet_digest} under {ag.reference}",
            source=source,
        )
        return row
    if p.get("kind") != ANSWER:
        raise Invalid(_("packet: not a readmission request or answer"), "packet")
    ours = ReadmissionRequest.objects.filter(
        direction="outgoing",
        exchange=ag,
        reference=str(p.get("reference", "")),
        agency_id=user.agency_id,
    ).first()
    if ours is None or p.get("request_digest") != ours.request_digest:
        raise Invalid(_("packet: it answers no request this agency sent"), "packet")
    row = ours
    if row.status != ReadmissionStatus.SENT:
        raise Refused(_("this request was already answered"))
    row.status = (
        ReadmissionStatus.ACCEPTED if p.get("accepted") is True else ReadmissionStatus.REFUSED
    )
    row.answer_digest, row.answer_note = packet_digest, str(p.get("note", ""))[:300]
    row.save(update_fields=["status", "answer_digest", "answer_note"])
    audit.record(
        user,
        "import",
        "readmission",
        row.pk,
        ["status"],
        reason=f"answer packet {packet_digest}: {row.status}",
        source=source,
    )
    return row


def answer(
    user: Any,
    row: ReadmissionRequest,
    *,
    accepted: bool,
    note: str = "",
    keys: InstallationKeys | None = None,
    source: str = "",
) -> bytes:
    """Acknowledge a request received: accept it (the reception is arranged) or refuse it.
    Answers the packet to send back."""
    _may_manage(user)
    get_request(user, row.pk, "manage")
    if row.direction != "incoming":
        raise Refused(_("only a request received from the partner is answered here"))
    if row.status != ReadmissionStatus.RECEIVED:
        raise Refused(_("this request was already answered"))
    ag = _exchange(row.exchange.reference)
    note = text(note, "note", max_length=300)
    payload = {
        "kind": ANSWER,
        "reference": row.reference,
        "request_digest": row.request_digest,
        "accepted": bool(accepted),
        "note": note,
    }
    blob = seal(
        payload,
        agreement=ag.reference,
        sender=keys or installation_keys(),
        recipient=pinned_partner(ag),
    )
    row.status = ReadmissionStatus.ACCEPTED if accepted else ReadmissionStatus.REFUSED
    row.answer_digest, row.answer_note = digest(blob), note
    row.save(update_fields=["status", "answer_digest", "answer_note"])
    audit.record(
        user,
        "export",
        "readmission",
        row.pk,
        ["status"],
        reason=f"answer packet {row.answer_digest}: {row.status}",
        source=source,
    )
    return blob
