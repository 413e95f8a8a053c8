"""The child's legal track: proceedings and their events, child-sensitive.

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ProceedingKind(models.TextChoices):
    INVESTIGATION = "investigation", _("Criminal investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    CIVIL_CLAIM = "civil_claim", _("Civil claim (compensation)")
    IMMIGRATION = "immigration", _("Immigration")
    CHILD_PROTECTION = "child_protection", _("Child protection proceeding")


class ProceedingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HEARING = "hearing", _("In hearing")
    CONCLUDED = "concluded", _("Concluded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TestimonyMeasure(models.TextChoices):
    """CASE-12: procedures that spare the child (recorded as they were used)."""

    VIDEO_RECORDED = "video_recorded", _("Video-recorded testimony")
    SUPPORT_PERSON = "support_person_present", _("Support person present")
    CLOSED_HEARING = "closed_hearing", _("Closed hearing")
    SCREEN = "screen_or_separate_room", _("Screen or separate room")
    SINGLE_INTERVIEW = "single_interview", _("Single interview")
    TRAINED_INTERVIEWER = (
        "child_trained_interviewer",
        _("Interviewer trained to work with children"),
    )


class ProceedingStep(models.TextChoices):
    """CASE-11: the steps a child is accompanied through. An interview is any questioning of
    the child outside a hearing (police statement, prosecutor, judge in chambers)."""

    HEARING = "hearing", _("Hearing")
    INTERVIEW = "interview", _("Interview")
    OTHER_STEP = "other_step", _("Other pre-legal step")


class LegalProceeding(models.Model):
    """The legal track (CASE-09..14): the child is a victim and witness, never the accused."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="legal_proceedings"
    )
    kind = models.CharField(max_length=24)
    status = models.CharField(max_length=12, default="open")
    lawyer_name = EncryptedTextField(blank=True)
    accompaniment = EncryptedTextField(
        blank=True, help_text=_("CASE-11: the person assigned to accompany the child")
    )
    testimony_measures = models.JSONField(default=list, blank=True)
    non_punishment_invoked = models.BooleanField(default=False)
    child_detained_or_charged = models.BooleanField(
        default=False, help_text=_("CASE-08: raises an escalation to the supervisor")
    )
    # Kept in step with the event log by ``services.legal`` (its only writer); proceedings
    # counted before the log existed may count more than they list.
    hearings = models.PositiveSmallIntegerField(default=0)
    interviews = models.PositiveSmallIntegerField(default=0, help_text=_("ETH-10"))
    notes = EncryptedTextField(blank=True)
    opened_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "cases"


class ProceedingEvent(models.Model):
    """One hearing, interview or other pre-legal step, and who stood by the child at it
    (CASE-11). An unaccompanied step is recorded as such, so that it shows; ``accompanied`` is
    unknown only for steps counted without the log's details (the old "add a hearing" call)."""

    proceeding = models.ForeignKey(LegalProceeding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, help_text=_("hearing / interview / other_step"))
    held_on = models.DateField()
    held_at = models.TimeField(null=True, blank=True)
    place = models.CharField(
        max_length=200, blank=True, help_text=_("Court or office; never the child's whereabouts")
    )
    accompanied = models.BooleanField(null=True)
    accompanied_by = EncryptedTextField(blank=True, help_text=_("A name or a role"))
    testimony_measures = models.JSONField(default=list, blank=True, help_text=_("CASE-12"))
    outcome = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["proceeding", "held_on", "held_at", "id"]
