"""Transfers of case ownership: to another agency here, or across a border by packet.

A cross-border transfer (a return home, CASE-45) travels as a referral packet: HTCDS-shaped,
restricted to the fields the bilateral agreement allows, sealed for the receiving
installation and signed by this one (``lantern.exchange.packets``). Sending it closes the
case here as ClosedReferred; the receiving installation opens its own case from it, refusing
a packet that carries any field its copy of the agreement does not allow.

The partner's public keys are pinned on the agreement when it is recorded (and re-pinned
only by an explicit, audited operation): a packet is sealed to those keys and accepted only
when signed by them. No request chooses a key. Audit entries name a transfer by its id and
never copy its free-text reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pycountry
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lantern.accounts import policy
from lantern.accounts.models import Agency
from lantern.audit import services as audit
from lantern.cases import determination, workflow
from lantern.cases.models import (
    Case,
    ClosureStatus,
    Consent,
    Person,
    TraffickingEvent,
    TraffickingStatus,
)
from lantern.cases.models.case import DeterminationSource
from lantern.cases.services.common import guard, now, require, text, today
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.exchange import htcds
from lantern.exchange.keys import installation_keys
from lantern.exchange.packets import (
    InstallationKeys,
    PacketError,
    PublicKeys,
    digest,
    open_packet,
    read_header,
    seal,
)
from lantern.protection.closure.checklist import checklist, open_items
from lantern.protection.intake.models import Intake
from lantern.protection.transfers.models import Agreement, Transfer, TransferStatus
from lantern.protection.transfers.record import case_record
from lantern.vault import blind_index


def transfer_to_agency(
    user: Any, case: Case, *, agency: str, reason: str, source: str = ""
) -> Transfer:
    """Move ownership to another agency of this installation; the case stays open there."""
    guard(user, case, "transfer")
    reason = text(reason, "reason", required=True)
    target = Agency.objects.filter(code=agency).first()
    if target is None:
        raise Invalid(_("agency: no agency %(code)s") % {"code": repr(agency)}, "agency")
    if target.pk == case.agency_id:
        raise Refused(_("the case already belongs to that agency"))
    with transaction.atomic():
        row = Transfer.objects.create(
            case=case,
            direction="outgoing",
            from_agency_id=case.agency_id,
            to_agency=target,
            reason=reason,
            status=TransferStatus.COMPLETED,
            by=user,
            at=now(),
        )
        case.agency, case.team, case.owner = target, None, None
        case.save(update_fields=["agency", "team", "owner", "updated_at"])
        audit.record(
            user,
            "transfer",
            "case",
            case.reference,
            ["agency", "owner"],
            reason=f"transfer {row.pk} to {target.code}",
            source=source,
        )
    return row


# The packet layer is pure (no Django): its fixed reasons are listed here so that the
# catalogues carry them, and ``import_packet`` shows them in the user's language.
PACKET_REASONS = (
    gettext_noop("not a Lantern referral packet"),
    gettext_noop(
        "packet version 1 is no longer accepted: ask the partner to send it again from an "
        "up-to-date installation"
    ),
    gettext_noop("this packet version is not supported"),
    gettext_noop("the packet is addressed to another installation"),
    gettext_noop(
        "the packet was not signed by the partner installation whose key is pinned on the agreement"
    ),
    gettext_noop("the signature does not verify: the packet was altered"),
    gettext_noop("the packet cannot be decrypted with this installation's key"),
    gettext_noop("the packet's content is not a record"),
)
_PINNED_FIELDS = ["partner_name", "partner_sign_key", "partner_box_key", "partner_fingerprint"]


def _set_partner(agreement: Agreement, partner: PublicKeys) -> None:
    agreement.partner_name = partner.name[:200]
    agreement.partner_sign_key, agreement.partner_box_key = partner.b64()
    agreement.partner_fingerprint = partner.fingerprint


def _check_partner(partner: PublicKeys, confirm: str | None) -> None:
    """The key file is the partner's (not ours) and, when the operator repeats the fingerprint
    read to them by phone, that it is this file's."""
    if confirm is not None and "".join(confirm.split()).lower() != partner.fingerprint:
        raise Invalid(
            _("fingerprint: %(given)s is not the key file's fingerprint; check it by phone")
            % {"given": repr(confirm)},
            "fingerprint",
        )
    if partner.fingerprint == installation_keys().public().fingerprint:
        raise Invalid(_("partner key: that is this installation's own key"), "partner_key")


def pinned_partner(agreement: Agreement) -> PublicKeys:
    """The partner keys pinned on ``agreement``: the only keys a packet under it is sealed to
    or verified with. An agreement recorded before pinning existed has none, and refuses."""
    if not (agreement.partner_sign_key and agreement.partner_box_key):
        raise Refused(
            _(
                "agreement %(ref)s has no partner key pinned: an operator pins the partner "
                "installation's public key file with: lantern exchange agreement pin %(ref)s "
                "--partner-key FILE"
            )
            % {"ref": agreement.reference}
        )
    try:
        keys = PublicKeys.from_b64(
            agreement.partner_name, agreement.partner_sign_key, agreement.partner_box_key
        )
    except PacketError as exc:
        raise Refused(
            _("agreement %(ref)s: the pinned partner key is unusable; pin it again")
            % {"ref": agreement.reference}
        ) from exc
    if keys.fingerprint != agreement.partner_fingerprint:
        raise Refused(
            _("agreement %(ref)s: the pinned partner key does not match its fingerprint")
            % {"ref": agreement.reference}
        )
    return keys


def record_agreement(
    reference: str,
    *,
    title: str,
    partner_country: str,
    allowed_fields: list[str],
    valid_from: dt.date,
    partner: PublicKeys,
    confirm: str | None = None,
    valid_until: dt.date | None = None,
    source: str = "cli",
) -> Agreement:
    """Record a bilateral agreement as signed, pinning the partner installation's public keys:
    both installations record the same reference and fields, since each refuses a packet
    carrying a field its own copy does not allow, and each pins the other's keys."""
    reference = text(reference, "reference", required=True, max_length=64)
    if Agreement.objects.filter(reference=reference).exists():
        raise Refused(_("agreement %(ref)s is already recorded") % {"ref": reference})
    country = (partner_country or "").strip().upper()
    if len(country) != 3 or pycountry.countries.get(alpha_3=country) is None:
        raise Invalid(
            _("partner_country: %(value)s is not an ISO 3166-1 alpha-3 code")
            % {"value": repr(country)},
            "partner_country",
        )
    unknown = [f for f in allowed_fields if f not in htcds.CHILD_FIELDS]
    if unknown or not allowed_fields:
        raise Invalid(
            _("allowed_fields: %(bad)s; fields that may travel: %(known)s")
            % {
                "bad": ", ".join(unknown) or _("at least one is required"),
                "known": ", ".join(htcds.CHILD_FIELDS),
            },
            "allowed_fields",
        )
    if valid_until is not None and valid_until < valid_from:
        raise Invalid(_("valid_until: before valid_from"), "valid_until")
    _check_partner(partner, confirm)
    with transaction.atomic():
        agreement = Agreement(
            reference=reference,
            title=text(title, "title", required=True, max_length=200),
            partner_country=country,
            allowed_fields=list(dict.fromkeys(allowed_fields)),
            valid_from=valid_from,
            valid_until=valid_until,
        )
        _set_partner(agreement, partner)
        agreement.save()
        audit.record(
            None,
            "create",
            "agreement",
            reference,
            ["allowed_fields", "valid_from", "valid_until", *_PINNED_FIELDS],
            reason=f"partner keys pinned: {partner.fingerprint}",
            source=source,
        )
    return agreement


def pin_partner(
    reference: str, partner: PublicKeys, *, confirm: str, source: str = "cli"
) -> tuple[Agreement, str]:
    """Pin new partner keys on a recorded agreement (the partner rotated its keys, or the
    agreement predates pinning). Never implicit: the operator repeats the new fingerprint, as
    read to them by the partner, and the change is audited with both fingerprints. Answers
    the agreement and the fingerprint it held before ("" if none)."""
    _check_partner(partner, confirm)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().filter(reference=reference).first()
        if agreement is None:
            raise Invalid(
                _("agreement: no bilateral agreement %(ref)s is recorded")
                % {"ref": repr(reference)},
                "agreement",
            )
        previous = agreement.partner_fingerprint
        if previous == partner.fingerprint:
            raise Refused(_("agreement %(ref)s already pins that key") % {"ref": reference})
        _set_partner(agreement, partner)
        agreement.save(update_fields=_PINNED_FIELDS)
        audit.record(
            None,
            "pin",
            "agreement",
            reference,
            _PINNED_FIELDS,
            reason=f"partner keys re-pinned: {previous or 'none'} -> {partner.fingerprint}",
            source=source,
        )
    return agreement, previous


def _agreement(reference: str, on: dt.date) -> Agreement:
    agreement = Agreement.objects.filter(reference=reference).first()
    if agreement is None:
        raise Invalid(
            _("agreement: no bilateral agreement %(ref)s is recorded") % {"ref": repr(reference)},
            "agreement",
        )
    if not agreement.in_force(on):
        raise Refused(
            _("agreement %(ref)s is not in force on %(day)s")
            % {"ref": reference, "day": on.isoformat()}
        )
    return agreement


def export_packet(
    user: Any,
    case: Case,
    *,
    agreement: str,
    reason: str,
    consent_basis: str = "child_assent",
    override_reason: str = "",
    keys: InstallationKeys | None = None,
    source: str = "",
) -> bytes:
    """Seal the case for the partner pinned on ``agreement`` and close it here
    (ClosedReferred). The recipient key is the agreement's, never the caller's."""
    guard(user, case, "transfer")
    reason = text(reason, "reason", required=True)
    decision = policy.may_refer(user, case, consent_basis, override_reason)
    if not decision:
        raise NotAllowed(_("transfer refused: %(why)s") % {"why": decision.reason}, "consent_basis")
    ag = _agreement(agreement, today())
    recipient = pinned_partner(ag)
    payload = htcds.restrict(case_record(case), list(ag.allowed_fields))
    payload |= {
        "ext_SourceCaseReference": case.reference,
        "ext_Agreement": ag.reference,
        "cas_ReferringOrganisation": case.agency.name,
        "cas_OutgoingReferralDate": today().isoformat(),
        "cas_ReasonForOutgoingReferral": "MigrationOrChangeOfLocation",
    }
    keys = keys or installation_keys()
    blob = seal(payload, agreement=ag.reference, sender=keys, recipient=recipient)
    with transaction.atomic():
        row = Transfer.objects.create(
            case=case,
            direction="outgoing",
            from_agency_id=case.agency_id,
            installation=recipient.fingerprint,
            agreement=ag,
            packet_digest=digest(blob),
            reason=reason,
            status=TransferStatus.EXPORTED,
            by=user,
            at=now(),
        )
        case.placements.filter(end__isnull=True).update(end=today())
        left = ", ".join(i.key for i in open_items(checklist(case))) or "none"
        audit.record(
            user,
            "export",
            "case",
            case.reference,
            sorted(k for k in payload if k not in htcds.METADATA),
            reason=f"transfer {row.pk}: referral packet to {recipient.fingerprint} under "
            f"{ag.reference}; {decision.reason}; left open here: {left}",
            source=source,
        )
        if case.state != "closed":
            _close_transferred(user, case, row, source)
    return blob


def _close_transferred(user: Any, case: Case, row: Transfer, source: str) -> None:
    """Close the case here as ClosedReferred: the child's work goes on with the partner, so it
    needs no closure request (the transfer right, consent and the agreement govern it; what it
    leaves open here is in the export's audit entry). A request awaiting approval is withdrawn."""
    waiting = case.closure_requests.filter(status=ClosureStatus.PENDING)
    if waiting.update(status=ClosureStatus.WITHDRAWN, decided_by=user, decided_at=now()):
        audit.record(
            user,
            "withdraw_closure",
            "case",
            case.reference,
            ["closure_request"],
            reason=f"transfer {row.pk}: the case left by transfer",
            source=source,
        )
    workflow.close_transferred(user, case, f"transferred abroad: transfer {row.pk}", source)


def _date(value: Any, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise PacketError(f"{field}: {value!r} is not a date") from exc


def import_packet(
    user: Any,
    blob: bytes,
    *,
    keys: InstallationKeys | None = None,
    source: str = "",
) -> Case:
    """Open a packet and make it a case of the user's agency. It must be signed by the
    partner key pinned on the agreement its header names, and sealed for this installation."""
    require(user, "exchange", "import", _("import referral packets"))
    if user.agency_id is None:
        raise NotAllowed(_("your account belongs to no agency, so it cannot receive cases"))
    try:
        named = str(read_header(blob).get("agreement", ""))
    except PacketError as exc:
        raise Invalid(_("packet: %(why)s") % {"why": _(str(exc))}, "packet") from exc
    ag = _agreement(named, today())
    sender = pinned_partner(ag)
    try:
        opened = open_packet(blob, recipient=keys or installation_keys(), sender=sender)
    except PacketError as exc:
        raise Invalid(_("packet: %(why)s") % {"why": _(str(exc))}, "packet") from exc
    p = opened.payload
    if p.get("ext_Agreement") != ag.reference:
        raise Invalid(_("packet: its content names another agreement than its header"), "packet")
    extra = htcds.outside(p, list(ag.allowed_fields))
    if extra:
        raise Refused(
            _("the packet carries fields agreement %(ref)s does not allow: %(fields)s")
            % {"ref": ag.reference, "fields": ", ".join(extra)}
        )
    source_id = f"xb-{sender.fingerprint[:12]}-{p.get('ext_SourceCaseReference', '')}"[:100]
    if Case.objects.filter(agency_id=user.agency_id, source_record_id=source_id).exists():
        raise Refused(_("this packet was already imported"))
    try:
        case = _create_from(user, p, source_id)
    except (PacketError, ValueError, TypeError) as exc:
        raise Invalid(_("packet: %(why)s") % {"why": exc}, "packet") from exc
    except IntegrityError as exc:
        raise Refused(_("this packet was already imported")) from exc
    row = Transfer.objects.create(
        case=case,
        direction="incoming",
        installation=sender.fingerprint,
        agreement=ag,
        packet_digest=opened.digest,
        reason=str(p.get("cas_ReasonForOutgoingReferral", "")),
        status=TransferStatus.IMPORTED,
        by=user,
        at=now(),
    )
    audit.record(
        user,
        "import",
        "case",
        case.reference,
        sorted(k for k in p if k not in htcds.METADATA),
        reason=f"transfer {row.pk}: referral packet from {sender.fingerprint} under {ag.reference}"
        + (
            "; Actual without a formal determination (body and date) kept as Possible"
            if p.get("vic_TraffickingStatus") == TraffickingStatus.ACTUAL
            and case.trafficking_status != TraffickingStatus.ACTUAL
            else ""
        ),
        source=source,
    )
    return case


def trafficking_status(p: dict[str, Any]) -> dict[str, Any]:
    """The child's trafficking status as the receiving side keeps it. "Actual" stays only with
    its formal determination: a deciding body of ``determination.FORMAL_BODIES`` and the date
    of the decision (past, not future); its source is then the sending agency's record
    ("import"). Any other "Actual" arrives as "Possible": indicators the partner found, not a
    decision this side can show."""
    status = str(p.get("vic_TraffickingStatus") or "")
    body = str(p.get("vic_TraffickingStatusDecisionMakingOrg") or "")
    on = _date(p.get("ext_TraffickingDeterminedOn"), "ext_TraffickingDeterminedOn")
    kept: dict[str, Any] = {"trafficking_status": status, "trafficking_status_decided_by": body}
    if status != TraffickingStatus.ACTUAL:
        return kept
    if body in determination.FORMAL_BODIES and on is not None and on <= today():
        return kept | {
            "trafficking_determined_on": on,
            "trafficking_determination_source": DeterminationSource.IMPORT,
        }
    return kept | {"trafficking_status": TraffickingStatus.POSSIBLE}


def _age_as_given(age: Any, low: Any, high: Any) -> tuple[int | None, int | None]:
    """(min, max) of the child's age as the packet gives it: the exact age, else the band
    (either end open); a band upside down is refused."""
    try:
        if age not in (None, ""):
            return int(age), int(age)
        band = [int(v) if v not in (None, "") else None for v in (low, high)]
    except (TypeError, ValueError) as exc:
        raise Invalid(
            _("The packet's age is not a whole number of years."), "ext_StatedAge"
        ) from exc
    if band[0] is not None and band[1] is not None and band[1] < band[0]:
        raise Invalid(_("The packet's age band ends below where it starts."), "ext_AgeMax")
    return band[0], band[1]


def _create_from(user: Any, p: dict[str, Any], source_id: str) -> Case:
    number = str(p.get("prs_IdentityNumber") or "")
    citizenship = [str(c) for c in p.get("prs_Citizenship") or []]
    estimated = {"yes": True, "no": False}.get(str(p.get("ext_BirthdateEstimated", "")))
    age = p.get("ext_StatedAge")
    low, high = _age_as_given(age, p.get("ext_AgeMin"), p.get("ext_AgeMax"))
    with transaction.atomic():
        person = Person.objects.create(
            given_name=str(p.get("prs_FirstName") or ""),
            family_name=str(p.get("prs_SecondName") or ""),
            nickname=str(p.get("ext_Nickname") or ""),
            birthdate=cast(Any, _date(p.get("prs_Birthdate"), "prs_Birthdate")),
            birthdate_estimated=estimated,
            identity_number=number,
            identity_number_index=blind_index(number, "identity_number") if number else "",
            gender=str(p.get("prs_Gender") or ""),
            citizenship=citizenship,
            primary_language=str(p.get("prs_PrimaryLanguage") or ""),
            home_country=str(p.get("prs_MailingCountry") or ""),
            home_state=str(p.get("prs_MailingState") or ""),
            home_city=str(p.get("prs_MailingCity") or ""),
        )
        from lantern import taxonomy

        case = Case.objects.create(
            person=person,
            agency_id=user.agency_id,
            team_id=user.team_id,
            owner=user,
            source_record_id=source_id,
            registration_date=today(),
            intake_channel="referral",
            **trafficking_status(p),
            age_evidence=str(p.get("ext_AgeEvidence") or ""),
            age_at_identification=int(age) if age not in (None, "") else None,
            age_min=low,  # as given (#16): the exact age, else the band
            age_max=high,
            age_group=taxonomy.age_group_of_range(low, high) or "",
            gender=str(p.get("prs_Gender") or ""),
            citizenship=citizenship[0] if citizenship else "",
            forms_of_exploitation=list(p.get("vic_TypeOfExploitation") or []),
        )
        Intake.objects.create(
            case=case,
            channel="referral",
            referring_organisation=str(p.get("cas_ReferringOrganisation") or "")[:200],
            referral_reason="cross-border referral packet",
            recorded_by=user,
        )
        for item, key in (
            ("data_processing", "con_Consent"),
            ("family_tracing", "con_TracingConsent"),
        ):
            value = {"yes": True, "no": False}.get(str(p.get(key, "")))
            if value is not None:
                Consent.objects.create(case=case, item=item, value=value, given_by="")
        for seq, ev in enumerate(p.get("hte_Events") or []):
            TraffickingEvent.objects.create(
                case=case,
                seq=seq,
                type=str(ev.get("type") or ""),
                date=_date(ev.get("date"), "hte_Events.date"),
                country=str(ev.get("country") or "")[:3],
                state=str(ev.get("state") or "")[:100],
                city=str(ev.get("city") or "")[:100],
                transport=str(ev.get("transport") or "")[:16],
                crossing=str(ev.get("crossing") or "")[:8],
            )
    return case
