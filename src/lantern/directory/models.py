"""The who-does-what directory: organisations a child can be referred to (DESIGN.md 1.5).

The table keeps its name and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency

_USER = settings.AUTH_USER_MODEL


class OrganisationType(models.TextChoices):
    """HTCDS 2.0 ``org_Type``."""

    NGO = "NGO", _("NGO")
    LAW_ENFORCEMENT = "LawEnforcement", _("Law enforcement")
    HEALTH = "HealthServiceOrganisation", _("Health service")
    CENTRAL_GOVERNMENT = "CentralGovernmentOrganisation", _("Central government")
    LOCAL_GOVERNMENT = "LocalGovernmentOrganisation", _("Local government")
    IMMIGRATION = "ImmigrationService", _("Immigration service")
    LEGAL = "LegalService", _("Legal service")
    BUSINESS = "CorporateBusiness", _("Business")
    SCHOOL = "SchoolOrCollege", _("School or college")


class Organisation(models.Model):
    """A service provider in the referral directory (the directory issue will grow it).

    Its contact is the organisation's, not a child's, so it is kept in clear. ``agency`` links
    an organisation that also works in this installation, so its staff answer referrals here.
    """

    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=OrganisationType.choices)
    country = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3"))
    services = models.JSONField(default=list, blank=True, help_text=_("support_types codes"))
    contact = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )

    class Meta:
        app_label = "cases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
