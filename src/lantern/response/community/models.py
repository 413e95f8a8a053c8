"""Community prevention: the at-risk register, vigilance committees and their reports,
awareness campaigns, education follow-up and labour inspection visits (#18, items 3 and 4).

The tables keep their migration history in the ``cases`` app (``app_label``), as every
protection domain's. Identifying fields (a child's or a member's name, a school that says where
a child is found every day) and free text about a child are encrypted (``lantern.vault``) and
classified in ``lantern.accounts.policy.fields``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency, User
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ConsentBy(models.TextChoices):
    """Who agreed to the child being kept on the register."""

    CHILD = "child", _("The child (assent)")
    GUARDIAN = "guardian", _("A guardian (consent)")
    BOTH = "both", _("The child and a guardian")


class PreventionService(models.TextChoices):
    """What a child at risk is referred for (school, livelihood support for the family...)."""

    SCHOOL = "school", _("School enrolment")
    LIVELIHOOD = "livelihood", _("Livelihood support for the family")
    VOCATIONAL = "vocational", _("Vocational training")
    CASH = "cash_transfer", _("Cash transfer")
    COUNSELLING = "counselling", _("Counselling")
    BIRTH_REGISTRATION = "birth_registration", _("Birth registration")


class RiskFactor(models.TextChoices):
    OUT_OF_SCHOOL = "out_of_school", _("Out of school")
    WORKING = "working", _("Already working")
    DEBT = "family_debt", _("Family in debt")
    MIGRATION = "planned_migration", _("Planned migration for work")
    RECRUITER = "recruiter_contact", _("Approached by a recruiter")
    ORPHAN = "orphan_or_alone", _("Orphaned or living alone")
    VIOLENCE = "violence_at_home", _("Violence at home")


class VisitOutcome(models.TextChoices):
    IN_SCHOOL = "in_school", _("Attending school")
    SUPPORTED = "family_supported", _("Family receiving support")
    STILL_AT_RISK = "still_at_risk", _("Still at risk")
    HIGHER_RISK = "higher_risk", _("At higher risk: refer to protection")
    MOVED = "moved_away", _("Moved away")
    NOT_FOUND = "not_found", _("Not found at home")


class AtRiskChild(models.Model):
    """A child referred for prevention services, kept only with recorded consent."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    given_name = EncryptedTextField(blank=True)
    family_name = EncryptedTextField(blank=True)
    community = EncryptedTextField(blank=True, help_text=_("Village or neighbourhood"))
    district = models.CharField(max_length=200, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    risk_factors = models.JSONField(default=list, blank=True)
    services = models.JSONField(default=list, blank=True)
    notes = EncryptedTextField(blank=True)
    consent_by = models.CharField(max_length=16, choices=ConsentBy.choices)
    consent_on = models.DateField()
    referred_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    referred_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["-referred_at", "-id"]


class PreventionVisit(models.Model):
    """A follow-up visit to a child on the register, and what it found."""

    child = models.ForeignKey(AtRiskChild, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField()
    outcome = models.CharField(max_length=32, choices=VisitOutcome.choices)
    notes = EncryptedTextField(blank=True)
    visited_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "cases"
        ordering = ["-visited_on", "-id"]


class CommitteeKind(models.TextChoices):
    VIGILANCE = "vigilance_committee", _("Vigilance committee")
    WATCH = "watch_group", _("Neighbourhood watch group")


class Committee(models.Model):
    """A vigilance committee or watch group, its area, and who facilitates it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=CommitteeKind.choices)
    area = models.CharField(
        max_length=200, blank=True, help_text=_("District, villages or route covered")
    )
    # the area in the one vocabulary (``lantern.taxonomy.areas``: NPL or NPL/Bagmati); blank
    # for a record written before it whose text named no area: its keeper chooses it
    area_code = models.CharField(max_length=120, blank=True, db_index=True)
    facilitators: models.ManyToManyField[User, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="committees"
    )
    created_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["name", "id"]


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    TEACHER = "teacher", _("Teacher")
    HEALTH_WORKER = "health_worker", _("Health worker")
    TRANSPORT_WORKER = "transport_worker", _("Transport worker")
    YOUTH = "youth", _("Young person")


class CommitteeMember(models.Model):
    """A member of a committee: name and phone encrypted (members may be threatened)."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = EncryptedTextField()
    contact = EncryptedTextField(blank=True)
    role = models.CharField(max_length=32, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField()

    class Meta:
        app_label = "cases"
        ordering = ["joined_on", "id"]


class CommitteeReport(models.Model):
    """What a committee saw, where and how grave, and the case it opened in the triage queue.

    The child's name (if the group knew it) goes to the case's person only; the report keeps
    what was seen, the place, the severity, and the age and sex as the group reported them."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reports")
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    seen_on = models.DateField()
    seen = EncryptedTextField()
    place = models.CharField(max_length=200)
    severity = models.CharField(max_length=16)
    concerns = models.JSONField(default=list)
    child_age = models.PositiveSmallIntegerField(null=True, blank=True)
    child_gender = models.CharField(max_length=32, blank=True)
    case = models.OneToOneField(
        "cases.Case", null=True, on_delete=models.SET_NULL, related_name="committee_report"
    )

    class Meta:
        app_label = "cases"
        ordering = ["-recorded_at", "-id"]


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    PARENTS = "parents", _("Parents and families")
    TEACHERS = "teachers", _("Teachers")
    EMPLOYERS = "employers", _("Employers")
    TRANSPORT = "transport_workers", _("Transport workers")
    LEADERS = "community_leaders", _("Community and religious leaders")
    PUBLIC = "general_public", _("General public")


class Material(models.TextChoices):
    POSTERS = "posters", _("Posters")
    LEAFLETS = "leaflets", _("Leaflets")
    RADIO = "radio", _("Radio")
    THEATRE = "street_theatre", _("Street theatre")
    SCHOOL_SESSIONS = "school_sessions", _("School sessions")
    MEETINGS = "community_meetings", _("Community meetings")
    SOCIAL_MEDIA = "social_media", _("Social media")


class Campaign(models.Model):
    """An awareness campaign: who it speaks to, where, with what, and how many it reached
    (no agency: the national coordinating authority's own)."""

    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    audiences = models.JSONField(default=list)
    area = models.CharField(max_length=200, blank=True)
    area_key = models.CharField(max_length=200, db_index=True, editable=False)
    # the area in the one vocabulary (``lantern.taxonomy.areas``: NPL or NPL/Bagmati); blank
    # for a record written before it whose text named no area: its keeper chooses it
    area_code = models.CharField(max_length=120, blank=True, db_index=True)
    materials = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True, help_text=_("People reached"))
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["-starts_on", "-id"]


class EducationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    NON_FORMAL = "non_formal", _("Non-formal education")
    VOCATIONAL = "vocational", _("Vocational training")


class Enrolment(models.Model):
    """A rescued child's (through the case) or a child at risk's schooling or training."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments"
    )
    child = models.ForeignKey(
        AtRiskChild, null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments"
    )
    kind = models.CharField(max_length=16, choices=EducationKind.choices)
    institution = EncryptedTextField(help_text=_("Where the child is found every day"))
    course = models.CharField(max_length=200, blank=True, help_text=_("Grade, class or trade"))
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    completed = models.BooleanField(null=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "cases"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, child__isnull=True)
                | models.Q(case__isnull=True, child__isnull=False),
                name="enrolment_one_child",
            )
        ]


class Attendance(models.Model):
    """Days attended out of days open, for one month of an enrolment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    month = models.DateField(help_text=_("The first day of the month"))
    days_attended = models.PositiveSmallIntegerField()
    days_open = models.PositiveSmallIntegerField()

    class Meta:
        app_label = "cases"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "month"], name="attendance_month_unique")
        ]


class Inspection(models.Model):
    """A labour inspection visit: the workplace, its sector, children found, referrals made."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    workplace = models.CharField(max_length=200)
    sector = models.CharField(max_length=1, help_text=_("ISIC Rev.4 section"))
    area = models.CharField(max_length=200, blank=True)
    # the area in the one vocabulary (``lantern.taxonomy.areas``: NPL or NPL/Bagmati); blank
    # for a record written before it whose text named no area: its keeper chooses it
    area_code = models.CharField(max_length=120, blank=True, db_index=True)
    children_found = models.PositiveIntegerField()
    referrals_made = models.PositiveIntegerField()
    notes = EncryptedTextField(blank=True)
    inspector = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "cases"
        ordering = ["-visited_on", "-id"]
