"""Agreements and MoUs between countries, and readmission requests between installations.

A cooperation agreement is the political record (parties, type, coverage, validity); the
packets a readmission request travels in are sealed and signed under a bilateral exchange
agreement (``protection.transfers.Agreement``), whose partner keys are pinned. Tables live in
the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.directory.models import Organisation
from lantern.protection.transfers.models import Agreement
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class AgreementType(models.TextChoices):
    READMISSION = "readmission", _("Readmission")
    POLICE = "police_cooperation", _("Police cooperation")
    DATA_SHARING = "data_sharing", _("Data sharing")
    JUDICIAL = "judicial_cooperation", _("Judicial cooperation")
    REPATRIATION = "repatriation", _("Repatriation and reintegration")
    OTHER = "other", _("Other cooperation")


class CooperationAgreement(models.Model):
    """An agreement or MoU: who signed it, what it covers, from when to when."""

    reference = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=24, choices=AgreementType.choices)
    is_mou = models.BooleanField(default=False)
    countries = models.JSONField(default=list, help_text=_("ISO 3166-1 alpha-3 of the parties"))
    parties = models.ManyToManyField(Organisation, blank=True, related_name="agreements")
    forms = models.JSONField(default=list, blank=True, help_text=_("exploitation_forms codes"))
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # the bilateral exchange agreement whose pinned keys carry this agreement's packets
    exchange = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["valid_until", "reference"]

    def __str__(self) -> str:
        return self.reference


class ReadmissionStatus(models.TextChoices):
    SENT = "sent", _("Request sent")
    RECEIVED = "received", _("Request received")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ReadmissionRequest(models.Model):
    """A request to readmit a child to the country of origin, with the escort that takes the
    child across, and the partner's acknowledgement. Each installation keeps its own row."""

    direction = models.CharField(max_length=8, help_text=_("outgoing / incoming"))
    reference = models.CharField(max_length=64)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    exchange = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    case_reference = models.CharField(max_length=64, blank=True)
    proposed_date = models.DateField()
    crossing_point = models.CharField(max_length=200)
    # the escorting officers' names and contacts: staff, but people, so encrypted
    escort = EncryptedTextField()
    status = models.CharField(max_length=10, choices=ReadmissionStatus.choices)
    request_digest = models.CharField(max_length=64)
    answer_digest = models.CharField(max_length=64, blank=True)
    answer_note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        unique_together = [("direction", "reference", "exchange")]
        ordering = ["-at"]
