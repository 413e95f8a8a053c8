"""Readmission requests in the demo: a bilateral exchange agreement with India's installation
(simulated here: its keys are made for the demo and its private half is dropped once its two
packets are sealed), one request Nepal sent and waits on, one India sent that the liaison
accepted, and one India sent that waits for an answer. Packets go through the real services,
signed and sealed, as the liaison would send and receive them; everything is synthetic."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from lantern.accounts.models import User
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import InstallationKeys, seal
from lantern.protection.transfers.models import Agreement
from lantern.response.agreements import readmission
from lantern.response.agreements.models import ReadmissionRequest

EXCHANGE = "NPL-IND-EXCH-2024 (demo)"


def _exchange(partner: InstallationKeys) -> Agreement:
    """The exchange agreement, pinned to the simulated partner's public keys."""
    sign, box = partner.public().b64()
    ag, _ = Agreement.objects.update_or_create(
        reference=EXCHANGE,
        defaults={
            "title": "Return of child victims between Nepal and India (demo)",
            "partner_country": "IND",
            "allowed_fields": ["prs_Gender", "prs_AgeAtIdentification"],
            "valid_from": dt.date(2024, 1, 1),
            "valid_until": dt.date(2029, 12, 31),
            "partner_name": partner.name,
            "partner_sign_key": sign,
            "partner_box_key": box,
            "partner_fingerprint": partner.public().fingerprint,
        },
    )
    return ag


def _from_partner(partner: InstallationKeys, day: dt.date, crossing: str, escort: str) -> bytes:
    """A request India's installation sends: sealed for this installation, signed by India."""
    payload = {
        "kind": readmission.REQUEST,
        "reference": f"RA-{uuid.uuid4().hex[:12]}",
        "case_reference": "",
        "proposed_date": day.isoformat(),
        "crossing_point": crossing,
        "escort": escort,
        "requesting_agency": "Child Welfare Committee, Bihar (demo)",
    }
    here = installation_keys().public()
    return seal(payload, agreement=EXCHANGE, sender=partner, recipient=here)


def seed_readmissions(username: str = "demo-liaison") -> int:
    """The three requests; none when a request is already kept."""
    liaison = User.objects.filter(username=username).first()
    if liaison is None or ReadmissionRequest.objects.exists():
        return 0
    partner = InstallationKeys.generate("India (demo partner)")
    _exchange(partner)
    today = timezone.localdate()
    readmission.send_request(
        liaison,
        exchange=EXCHANGE,
        proposed_date=today + dt.timedelta(days=12),
        crossing_point="Birgunj - Raxaul border post",
        escort="Border Desk Birgunj, two officers (demo)",
        source="demo",
    )
    accepted = readmission.receive(
        liaison,
        _from_partner(
            partner, today + dt.timedelta(days=5), "Bhairahawa - Sunauli", "SSB escort (demo)"
        ),
        source="demo",
    )
    readmission.answer(
        liaison, accepted, accepted=True, note="Reception by the transit home (demo)", source="demo"
    )
    readmission.receive(
        liaison,
        _from_partner(
            partner, today + dt.timedelta(days=20), "Kakarbhitta - Panitanki", "CWC escort (demo)"
        ),
        source="demo",
    )
    return 3
