"""Agencies, teams, administrative areas and users.

A user belongs to one agency and has one role; the policy layer (``lantern.accounts.policy``)
turns role + agency + team + area into what the user may see and do.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lantern.taxonomy import code_list, supported_language


def agency_type_choices() -> list[tuple[str, str]]:
    """The kinds of agency (the taxonomy's ``agency_types``), labelled in the active language.

    ``Agency.type`` takes its choices from this callable, so the list stays data: a change to
    the YAML file needs no migration.
    """
    return code_list("agency_types").choices(supported_language(get_language()))


class Area(models.Model):
    """An administrative area (country, province, district), nested by ``parent``."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(default=0, help_text=_("0 = country, 1 = province…"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class Agency(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    # Blank when created by an import whose records do not say the kind.
    type = models.CharField(max_length=32, choices=agency_type_choices, blank=True)
    country = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3"))
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        unique_together = [("agency", "name")]

    def __str__(self) -> str:
        return f"{self.agency.code}/{self.name}"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "case_supervisor", _("Case supervisor")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    ANALYST = "monitoring_analyst", _("Monitoring analyst")
    LIAISON = "cross_border_liaison", _("Cross-border liaison")
    REPORTER = "community_reporter", _("Community reporter")
    AUDITOR = "auditor", _("Auditor")
    SYSADMIN = "system_admin", _("System administrator")
    FACILITATOR = "committee_facilitator", _("Committee facilitator")
    POLICE = "police_liaison", _("Police liaison")
    PROSECUTOR = "prosecutor", _("Prosecutor")


class User(AbstractUser):
    # Foreign-key id attributes Django adds, declared for the type checker.
    agency_id: int | None
    team_id: int | None
    area_id: int | None

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CASEWORKER)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL)
    can_see_case_content = models.BooleanField(
        default=False,
        help_text=_("System administrators see no case content unless this is granted."),
    )


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a hash, expiring and revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
