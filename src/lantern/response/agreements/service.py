"""Agreements and MoUs as records: parties, type, coverage, validity; expiring ones flagged.

The coordinator records them (``("cooperation", "manage")``); whoever works across borders
reads them. An agreement may name the bilateral exchange agreement (pinned partner keys) under
which its packets travel: a readmission request (``readmission``) is sealed under it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pycountry
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.services.common import codes, now, require, text, today
from lantern.directory import service as directory
from lantern.directory.models import Organisation
from lantern.edges.fields import taxonomy_label
from lantern.errors import Invalid
from lantern.protection.transfers.models import Agreement
from lantern.response.agreements.models import AgreementType, CooperationAgreement

RESOURCE = "cooperation"
#: an agreement that ends within this many days is flagged as expiring
EXPIRY_WARNING_DAYS = 90


class Validity(StrEnum):
    NOT_YET = "not_yet"
    IN_FORCE = "in_force"
    EXPIRING = "expiring"
    EXPIRED = "expired"


def validity(row: CooperationAgreement, on: dt.date | None = None) -> Validity:
    """In force, expiring (ends within EXPIRY_WARNING_DAYS), expired, or not yet in force."""
    on = on or today()
    if on < row.valid_from:
        return Validity.NOT_YET
    if row.valid_until is None:
        return Validity.IN_FORCE
    if row.valid_until < on:
        return Validity.EXPIRED
    if (row.valid_until - on).days <= EXPIRY_WARNING_DAYS:
        return Validity.EXPIRING
    return Validity.IN_FORCE


def agreements(user: Any) -> QuerySet[CooperationAgreement]:
    """The agreements ``user`` reads; NotAllowed for a role the table gives none."""
    require(user, RESOURCE, "view", _("read agreements"))
    return policy.scoped(user, RESOURCE, "view").prefetch_related("parties")


def get_agreement(user: Any, pk: Any, action: str = "view") -> CooperationAgreement:
    row: CooperationAgreement = policy.get_or_404(user, RESOURCE, action, pk)
    return row


def _countries(values: list[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        code = (value or "").strip().upper()
        if len(code) != 3 or pycountry.countries.get(alpha_3=code) is None:
            raise Invalid(
                _("countries: %(value)s is not an ISO 3166-1 alpha-3 code")
                % {"value": repr(value)},
                "countries",
            )
        if code not in out:
            out.append(code)
    if len(out) < 2:
        raise Invalid(_("countries: an agreement has at least two countries"), "countries")
    return out


def _ages(low: int | None, high: int | None) -> None:
    for value, field in ((low, "min_age"), (high, "max_age")):
        if value is not None and not 0 <= value <= 120:
            raise Invalid(_("%(field)s: an age in years, 0 to 120") % {"field": field}, field)
    if low is not None and high is not None and high < low:
        raise Invalid(_("max_age: below the lowest age"), "max_age")


def save_agreement(
    user: Any,
    *,
    reference: str,
    title: str,
    type: str,
    countries: list[str],
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    signed_on: dt.date | None = None,
    is_mou: bool = False,
    parties: list[int] | None = None,
    forms: list[str] | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    exchange: str = "",
    agreement: CooperationAgreement | None = None,
    source: str = "",
) -> CooperationAgreement:
    """Record an agreement or MoU (or change ``agreement``)."""
    require(user, RESOURCE, "manage", _("record agreements"))
    reference = text(reference, "reference", required=True, max_length=64)
    clash = CooperationAgreement.objects.filter(reference=reference)
    if agreement is not None:
        clash = clash.exclude(pk=agreement.pk)
    if clash.exists():
        raise Invalid(_("reference: another agreement has this reference"), "reference")
    if type not in AgreementType.values:
        raise Invalid(_("type: not a type of agreement"), "type")
    if valid_until is not None and valid_until < valid_from:
        raise Invalid(_("valid_until: before the agreement comes into force"), "valid_until")
    _ages(min_age, max_age)
    kept = list(agreement.parties.values_list("pk", flat=True)) if agreement else []
    orgs = directory.approved_organisations(user, parties or [], "parties", kept)  # vetted
    technical = None
    if exchange.strip():
        technical = Agreement.objects.filter(reference=exchange.strip()).first()
        if technical is None:
            raise Invalid(
                _("exchange: no bilateral exchange agreement has this reference"), "exchange"
            )
    with transaction.atomic():
        row = agreement or CooperationAgreement(created_by=user, created_at=now())
        row.reference = reference
        row.title = text(title, "title", required=True, max_length=200)
        row.type, row.is_mou = type, is_mou
        row.countries = _countries(countries)
        row.forms = codes("exploitation_forms", forms or [], "forms")
        row.min_age, row.max_age = min_age, max_age
        row.signed_on, row.valid_from, row.valid_until = signed_on, valid_from, valid_until
        row.exchange = technical
        row.save()
        row.parties.set(orgs)
        audit.record(
            user,
            "update" if agreement else "create",
            "cooperation",
            row.pk,
            ["reference", "type", "countries", "coverage", "validity", "parties", "exchange"],
            source=source,
        )
    return row


def unapproved(row: CooperationAgreement) -> list[Organisation]:
    """The signing organisations no longer approved in the directory, flagged for the
    coordinator on the agreement's pages and in the API."""
    return directory.not_approved(row.parties.all())


def form_labels(row: CooperationAgreement) -> list[str]:
    """The forms of exploitation an agreement covers, as the reader's labels."""
    return [taxonomy_label(c, "exploitation_forms") for c in row.forms]
