"""How a child came to the agency: channel, rescue and hand-over (CASE-07).

The table keeps its name and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.directory.models import Organisation
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class Concern(models.TextChoices):
    """CASE-04: why a front-line reporter raised the alarm."""

    UNACCOMPANIED = "unaccompanied", _("Unaccompanied")
    DISTRESSED = "distressed_with_indifferent_adult", _("Distressed, with an indifferent adult")
    AT_RISK = "at_risk", _("At risk")
    SUSPECTED_TRAFFICKING = "suspected_trafficking", _("Suspected trafficking")
    POSSIBLE_EXPLOITATION = "possible_exploitation", _("Possible exploitation")


class Severity(models.TextChoices):
    """CASE-05: the gravity of a report sets the response."""

    MONITOR = "monitor", _("Monitor")
    REPORT = "report", _("Report")
    INTERVENE = "intervene", _("Intervene")
    EMERGENCY = "emergency", _("Emergency")


class Intake(models.Model):
    """How the case came in: the channel's own minimal facts (CASE-02..08, CASE-19)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="intake")
    channel = models.CharField(max_length=32)
    place = models.CharField(max_length=200, blank=True, help_text=_("Transit point, district"))
    concerns = models.JSONField(default=list, blank=True, help_text=_("CASE-04 reason codes"))
    severity = models.CharField(max_length=16, blank=True, help_text=_("CASE-05 triage level"))
    # transit reception (CASE-02, CASE-03)
    expected_contact = models.CharField(max_length=40, blank=True, help_text=_("A relation"))
    met_by_expected_contact = models.BooleanField(null=True)
    return_passage_offered = models.BooleanField(null=True)
    return_passage_provider = models.CharField(max_length=200, blank=True)
    # rescue (CASE-07): who rescued, and to whom the child was handed over
    rescuing_unit = models.CharField(max_length=200, blank=True)
    handed_over_to = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # referral from another agency
    referring_organisation = models.CharField(max_length=200, blank=True)
    referral_reason = EncryptedTextField(blank=True)
    # community report (ETH-02): the reporter's identity, shown to supervisors only
    reporter_name = EncryptedTextField(blank=True)
    reporter_contact = EncryptedTextField(blank=True)
    rights_information_given = models.BooleanField(null=True, help_text=_("ETH-22"))
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"


class DuplicateChoice(models.Model):
    """What a caseworker chose when intake found existing records that may be the child (#15,
    item 5): who, when, which candidates were shown, and whether they opened one of them or
    went on to open a new case."""

    class Choice(models.TextChoices):
        NEW = "new", _("A new child: a new case was opened")
        EXISTING = "existing", _("The same child: an existing case was opened")

    channel = models.CharField(max_length=32)
    choice = models.CharField(max_length=16, choices=Choice.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="duplicate_choices",
        help_text=_("The new case, or the existing case opened"),
    )
    candidates = models.JSONField(default=list, help_text=_("Ids of the cases shown"))
    chosen_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ("-chosen_at", "-pk")
