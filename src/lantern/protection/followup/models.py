"""Follow-up visits after reintegration, and the wellbeing they record.

The table keeps its name and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.cases.models import Level
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class WellbeingItem(models.TextChoices):
    """The five-item wellbeing instrument, each scored 0 (very poor) to 4 (good)."""

    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    SCHOOLING_OR_WORK = "schooling_or_work", _("Schooling or work")
    FAMILY_RELATIONS = "family_relations", _("Family relations")
    EMOTIONAL_WELLBEING = "emotional_wellbeing", _("Emotional wellbeing")


class FollowUpVisit(models.Model):
    """A baseline at intake or a follow-up visit, with the wellbeing instrument's scores."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=10, default="visit", help_text=_("baseline / visit"))
    scheduled_for = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    visited_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    wellbeing = models.JSONField(default=dict, blank=True)
    retrafficking_risk = models.CharField(max_length=8, choices=Level.choices, blank=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["case", "scheduled_for", "id"]
