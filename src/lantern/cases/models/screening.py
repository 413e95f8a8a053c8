"""A case's screenings: what was observed, by whom and when, and what the rules concluded.

Each screening is a new row, never an edit: a smuggled child later exploited must show both
results with their dates (DEF-15). The stored input holds only codes and answers (never names),
so a result can be re-read against its rule-set version later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Trafficking(models.TextChoices):
    """The Palermo art. 3 answer, three-valued: unknown facts leave it undetermined."""

    YES = "yes", _("Trafficking")
    NO = "no", _("Not trafficking")
    UNDETERMINED = "undetermined", _("Undetermined")


class ScreeningResult(models.Model):
    """One screening of a case: its input, the rules' result and the status it gave the case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="screenings")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    #: the screening this one corrects (an edited field form): left out of the rules' history
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    input = models.JSONField(help_text=_("The facts screened (codes and answers, no names)"))
    result = models.JSONField(help_text=_("lantern.screening result (to_dict)"))
    trafficking = models.CharField(max_length=16, choices=Trafficking.choices)
    status = models.CharField(
        max_length=20, help_text=_("trafficking, smuggling, not_trafficking or undetermined")
    )
    status_change = models.CharField(
        max_length=48, blank=True, help_text=_("e.g. smuggling_to_trafficking; blank if none")
    )
    is_child = models.BooleanField(null=True)
    ruleset_version = models.CharField(max_length=40)
    provisional = models.BooleanField()
    trafficking_status = models.CharField(max_length=40, help_text=_("HTCDS status it set"))
    decided_by_org = models.CharField(max_length=40, help_text=_("HTCDS decision organisation"))
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["screened_at", "id"]

    def __str__(self) -> str:
        return f"screening {self.pk} of case {self.case_id}"


class IndicatorObservation(models.Model):
    """One ILO/EC indicator as observed at a screening: yes, no or unknown (null)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="indicator_observations"
    )
    screening = models.ForeignKey(
        ScreeningResult, on_delete=models.CASCADE, related_name="observations"
    )
    indicator_id = models.CharField(max_length=40)
    value = models.BooleanField(null=True, help_text=_("yes / no / unknown"))
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="indicator_observations"
    )
    observed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator_id"], name="observation_unique_per_screening"
            ),
        ]
        ordering = ["screening", "indicator_id"]

    @property
    def answer(self) -> str:
        return {True: "yes", False: "no", None: "unknown"}[self.value]
