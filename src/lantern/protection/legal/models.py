"""The child's legal track: proceedings and their events, child-sensitive.

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class LegalProceeding(models.Model):
    """The legal track (CASE-09..14): the child is a victim and witness, never the accused."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="legal_proceedings"
    )
    kind = models.CharField(max_length=24)
    status = models.CharField(max_length=12, default="open")
    lawyer_name = EncryptedTextField(blank=True)
    accompaniment = EncryptedTextField(
        blank=True, help_text=_("CASE-11: the person assigned to accompany the child")
    )
    testimony_measures = models.JSONField(default=list, blank=True)
    non_punishment_invoked = models.BooleanField(default=False)
    child_detained_or_charged = models.BooleanField(
        default=False, help_text=_("CASE-08: raises an escalation to the supervisor")
    )
    # Kept in step with the event log by ``services.legal`` (its only writer); proceedings
    # counted before the log existed may count more than they list.
    hearings = models.PositiveSmallIntegerField(default=0)
    interviews = models.PositiveSmallIntegerField(default=0, help_text=_("ETH-10"))
    notes = EncryptedTextField(blank=True)
    opened_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "cases"


class ProceedingEvent(models.Model):
    """One hearing, interview or other pre-legal step, and who stood by the child at it
    (CASE-11). An unaccompanied step is recorded as such, so that it shows; ``accompanied`` is
    unknown only for steps counted without the log's details (the old "add a hearing" call)."""

    proceeding = models.ForeignKey(LegalProceeding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, help_text=_("hearing / interview / other_step"))
    held_on = models.DateField()
    held_at = models.TimeField(null=True, blank=True)
    place = models.CharField(
        max_length=200, blank=True, help_text=_("Court or office; never the child's whereabouts")
    )
    accompanied = models.BooleanField(null=True)
    accompanied_by = EncryptedTextField(blank=True, help_text=_("A name or a role"))
    testimony_measures = models.JSONField(default=list, blank=True, help_text=_("CASE-12"))
    outcome = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["proceeding", "held_on", "held_at", "id"]
