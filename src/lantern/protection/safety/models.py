"""Safety first: risk assessments, safe places and placements (CASE-09, CASE-10).

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


class SafePlaceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    SAFE_ROOM = "safe_room", _("Safe room")
    CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
    UNMARKED_ROOM = "unmarked_room", _("Unmarked room")
    GROUP_HOME = "group_home", _("Group home")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    COMMUNITY_BASED = "community_based", _("Community-based rehabilitation")


class SafePlace(models.Model):
    """A shelter or safe room. Its address is encrypted and highly sensitive (ETH-03):
    shelters are targets of the traffickers whose business they interrupt."""

    name = models.CharField(max_length=200, help_text=_("An unrevealing label, not a signboard"))
    kind = models.CharField(max_length=20, choices=SafePlaceKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="safe_places")
    address = EncryptedTextField(blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    class Meta:
        app_label = "cases"


class RiskAssessment(models.Model):
    """Immediate needs and reprisal risks, before any return is planned (ETH-04, ETH-06)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_assessments"
    )
    immediate_needs = models.JSONField(default=list, blank=True, help_text=_("support_types"))
    risk_to_child = models.CharField(max_length=8, choices=Level.choices)
    risk_to_family = models.CharField(max_length=8, choices=Level.choices)
    risk_to_helpers = models.CharField(max_length=8, choices=Level.choices)
    family_involved = models.BooleanField(null=True, help_text=_("Family's part (ETH-07)"))
    level = models.CharField(max_length=8, choices=Level.choices)
    notes = EncryptedTextField(blank=True)
    assessed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["case", "assessed_at", "id"]


class Placement(models.Model):
    """Where the child stays, from when to when."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="placements")
    place = models.ForeignKey(SafePlace, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    placed_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "cases"
        ordering = ["case", "start", "id"]
