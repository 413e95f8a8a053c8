"""The triage queue: one item per community report or hotline call, with its urgency, the
reasons for it, when it is due, who is the duty officer, who took it and when it escalated.

The table keeps its name and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.protection.triage import urgency
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class Urgency(models.TextChoices):
    """How soon someone must act (``urgency.assess`` decides, with reasons)."""

    IMMEDIATE = urgency.IMMEDIATE, _("Immediate danger")
    HIGH = urgency.HIGH, _("High")
    NORMAL = urgency.NORMAL, _("Normal")


class TriageStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be taken")
    TAKEN = "taken", _("Taken")
    HANDLED = "handled", _("Handled")


class TriageItem(models.Model):
    """A report waiting for a duty officer of the receiving agency."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="triage")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=32)
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    rank = models.PositiveSmallIntegerField(help_text=_("0 is the most urgent"))
    reasons = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=TriageStatus.choices, default=TriageStatus.WAITING
    )
    duty_officer = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    taken_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # What the duty officer did: whatever they write about the child, so encrypted.
    handled_note = EncryptedTextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["rank", "due_at", "pk"]
        indexes = [
            models.Index(fields=["agency", "status", "rank", "due_at"], name="triage_queue_idx"),
            models.Index(fields=["status", "due_at"], name="triage_due_idx"),
        ]
