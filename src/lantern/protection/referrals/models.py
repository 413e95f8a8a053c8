"""Referrals to services, with the consent basis and the answer.

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.directory.models import Organisation, OrganisationService
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ConsentBasis(models.TextChoices):
    CHILD_ASSENT = "child_assent", _("The child's assent")
    GUARDIAN_CONSENT = "guardian_consent", _("A guardian's consent")
    OVERRIDE = "override", _("Override by an authorised role")


class ReferralStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class ChildField(models.TextChoices):
    """The child's record, field by field: what a referral may share (``service.SHAREABLE``)
    and what the intake and tracing pages compare."""

    GIVEN_NAME = "given_name", _("Given name")
    FAMILY_NAME = "family_name", _("Family name")
    NICKNAME = "nickname", _("Nickname")
    BIRTHDATE = "birthdate", _("Date of birth")
    BIRTH_YEAR = "birth_year", _("Year of birth")
    IDENTITY_NUMBER = "identity_number", _("Identity number")
    CONTACT = "contact", _("Contact")
    HOME_CITY = "home_city", _("Home town")
    HOME_STATE = "home_state", _("Home province")
    HOME_COUNTRY = "home_country", _("Home country")
    PRIMARY_LANGUAGE = "primary_language", _("Language")
    CITIZENSHIP = "citizenship", _("Citizenship")
    GENDER = "gender", _("Sex")
    AGE = "age", _("Age")
    AGE_EVIDENCE = "age_evidence", _("Age evidence")
    TRAFFICKING_STATUS = "trafficking_status", _("Trafficking status")
    FORMS_OF_EXPLOITATION = "forms_of_exploitation", _("Forms of exploitation")
    CARE_NEEDS = "care_needs", _("Care needs (approved plan)")
    RISK_LEVEL = "risk_level", _("Risk level")


class Referral(models.Model):
    """A request to another organisation for services, sharing only ``fields_shared``."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals"
    )
    # The directory's service the child is referred to, when chosen from it (its organisation's).
    service = models.ForeignKey(
        OrganisationService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    services = models.JSONField(default=list, help_text=_("support_types codes"))
    fields_shared = models.JSONField(default=list)
    consent_basis = models.CharField(max_length=20, choices=ConsentBasis.choices)
    override_reason = EncryptedTextField(blank=True)
    override_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REQUESTED
    )
    requested_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    due_date = models.DateField()
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = EncryptedTextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = EncryptedTextField(blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["case", "requested_at", "id"]

    def is_overdue(self, today: dt.date) -> bool:
        """Open past its due date: not answered, or accepted and not delivered."""
        open_ = self.status in (ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED)
        return open_ and self.due_date < today
