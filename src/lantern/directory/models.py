"""The who-does-what directory: organisations, the services they offer, the projects they run
and the lessons they learned (DESIGN.md 1.5; issue #18, item 1).

Every entry is its agency's to keep and a coordinator's to approve: ``draft`` while written,
``submitted`` for review, ``approved`` when others may list it (``lantern.directory.service``).
Nothing here is about a child: an organisation's own public details, kept in clear. The tables
keep their names and migration history in the ``cases`` app (``app_label``).
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


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")


class EntryLanguage(models.TextChoices):
    """The language an entry is written in: it picks the search's stemming (``search``)."""

    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    OTHER = "other", _("Other language")


class LessonResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    POTENTIAL = "potential", _("Potential")


class Entry(models.Model):
    """What every directory entry shares: its review status (who submitted and approved it,
    when) and the language of its text."""

    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT, db_index=True
    )
    language = models.CharField(
        max_length=8, choices=EntryLanguage.choices, default=EntryLanguage.EN
    )
    submitted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Reach(models.Model):
    """Whom an organisation or a service serves: areas (``NPL`` or ``NPL/Bagmati``, from
    ``lantern.taxonomy.areas``), ages,
    sexes (``genders`` codes) and forms of exploitation (``exploitation_forms``); empty
    means any. Its capacity (children at a time) and its referral criteria."""

    areas = models.JSONField(default=list, blank=True)
    # area text the vocabulary did not recognise (``lantern.taxonomy.areas``), kept as written
    # until a coordinator chooses its area: nothing an earlier version recorded is lost
    unmatched_areas = models.JSONField(default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    sexes = models.JSONField(default=list, blank=True)
    forms = models.JSONField(default=list, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    referral_criteria = models.TextField(blank=True)

    class Meta:
        abstract = True


class Organisation(Entry, Reach):
    """A service provider in the directory. Its contact is the organisation's, not a child's.
    ``agency`` links an organisation that also works in this installation: its staff keep its
    entries and answer referrals here."""

    # Rows the installation writes itself (the demo, imports, fixtures) are listed as before
    # the review existed; an agency's entry starts as a draft (``service`` sets it, always).
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.APPROVED, db_index=True
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=OrganisationType.choices)
    country = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166-1 alpha-3"))
    services = models.JSONField(default=list, blank=True, help_text=_("support_types codes"))
    contact = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )

    class Meta:
        app_label = "cases"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationService(Entry, Reach):
    """One service an organisation offers (a record of its own): a referral names it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offered")
    name = models.CharField(max_length=200)
    support_type = models.CharField(max_length=40, help_text=_("support_types code"))
    description = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.name}"


class OrganisationProject(Entry):
    """A project an organisation runs: funders, budget, areas and dates."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    funders = models.JSONField(default=list, blank=True, help_text=_("funders' names"))
    budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text=_("ISO 4217"))
    areas = models.JSONField(default=list, blank=True)
    # area text the vocabulary did not recognise (``lantern.taxonomy.areas``), kept as written
    # until a coordinator chooses its area: nothing an earlier version recorded is lost
    unmatched_areas = models.JSONField(default=list, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["organisation__name", "-start", "title"]

    def __str__(self) -> str:
        return self.title


class LessonLearned(Entry):
    """What an organisation tried and what came of it, failures included."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="lessons")
    project = models.ForeignKey(
        OrganisationProject,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    title = models.CharField(max_length=200)
    tried = models.TextField(blank=True, help_text=_("What was tried"))
    result = models.CharField(max_length=10, choices=LessonResult.choices)
    text = models.TextField(blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["organisation__name", "title"]

    def __str__(self) -> str:
        return self.title


class DirectoryText(models.Model):
    """An entry's searchable text, folded (lower case, no accents), kept in step by the
    service. SQLite indexes it in an FTS5 table its triggers keep (``directory_fts``, made by
    the migration); PostgreSQL stems it with the text search configuration of ``config``."""

    kind = models.CharField(max_length=12)
    record_id = models.BigIntegerField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    config = models.CharField(max_length=12, default="simple")
    body = models.TextField()

    class Meta:
        app_label = "cases"
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="directory_text_once")
        ]
