"""Cross-border transfers of a case under a bilateral agreement.

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class Agreement(models.Model):
    """A bilateral agreement under which referral packets cross a border (CASE-45, COOP-01):
    which HTCDS fields may travel. Both installations record it under the same reference."""

    reference = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    partner_country = models.CharField(max_length=3)
    allowed_fields = models.JSONField(help_text=_("HTCDS packet fields that may travel"))
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # The partner installation's public keys, pinned when the agreement is recorded: packets
    # are sealed to these keys only and accepted only when signed by them (never a key that
    # arrives with a request).
    partner_name = models.CharField(max_length=200, blank=True)
    partner_sign_key = models.CharField(max_length=64, blank=True, help_text=_("base64 Ed25519"))
    partner_box_key = models.CharField(max_length=64, blank=True, help_text=_("base64 X25519"))
    partner_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.reference

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    class Meta:
        app_label = "cases"


class TransferStatus(models.TextChoices):
    COMPLETED = "completed", _("Ownership moved (domestic)")
    EXPORTED = "exported", _("Packet exported")
    IMPORTED = "imported", _("Packet imported")


class TransferDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class Transfer(models.Model):
    """A move of case ownership: to another agency here, or by packet to another installation."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=8, help_text=_("outgoing / incoming"))
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    installation = models.CharField(
        max_length=64, blank=True, help_text=_("The other installation's key fingerprint")
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    packet_digest = models.CharField(max_length=64, blank=True)
    reason = EncryptedTextField()
    status = models.CharField(max_length=12, choices=TransferStatus.choices)
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        app_label = "cases"
