"""Family tracing and the family assessment before reunification.

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.cases.models import Level
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched (confirmed)")
    CLOSED = "closed", _("Closed")


class Relation(models.TextChoices):
    """Who is looking for the child."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    GUARDIAN = "guardian", _("Guardian")
    OTHER = "other", _("Other relative")


class TracingRequest(models.Model):
    """A relative looking for a child (CASE-55); matched only to children who consented."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tracing_requests")
    requester_relation = models.CharField(max_length=40)
    requester_name = EncryptedTextField(blank=True)
    requester_contact = EncryptedTextField(blank=True)
    sought_given_name = EncryptedTextField(blank=True)
    sought_family_name = EncryptedTextField(blank=True)
    sought_birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sought_home = EncryptedTextField(blank=True, help_text=_("Home village or district"))
    status = models.CharField(
        max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    matched_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_cases = models.JSONField(default=list, blank=True)
    decision_reason = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "cases"


class FamilyDecision(models.TextChoices):
    REUNIFY = "reunify", _("Reunify with the family")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care")


class FamilyAssessment(models.Model):
    """The family assessment that must precede any reunification (CASE-37)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="family_assessments"
    )
    safe = models.BooleanField(null=True)
    family_rejects_child = models.BooleanField(null=True)
    family_involved = models.BooleanField(null=True)
    retrafficking_risk = models.CharField(max_length=8, choices=Level.choices)
    findings = EncryptedTextField(blank=True)
    decision = models.CharField(max_length=20, choices=FamilyDecision.choices)
    assessed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
