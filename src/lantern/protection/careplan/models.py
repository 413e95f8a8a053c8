"""The child's care plan, drafted with the child and approved before it binds.

The table keeps its name and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.directory.models import Organisation
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class CarePlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class CarePlan(models.Model):
    """One version of the child's individual plan (CASE-17); a revision is a new version."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="care_plans")
    version = models.PositiveSmallIntegerField()
    needs = models.JSONField(default=list, help_text=_("support_types codes"))
    due_dates = models.JSONField(default=dict, blank=True, help_text=_("{need: YYYY-MM-DD}"))
    goals = EncryptedTextField(blank=True)
    child_views = EncryptedTextField(blank=True, help_text=_("The child's voice (ETH-11)"))
    responsible = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=CarePlanStatus.choices, default=CarePlanStatus.DRAFT
    )
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["case", "version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="care_plan_version_unique"),
        ]
