"""The justice chain: what happened to a perpetrator in the criminal justice system.

One step per event (suspected, arrested, charged, prosecuted, verdict, sentence), linked to the
perpetrator and to the victims' cases it concerns. The child's own protection during the
proceedings (accompaniment, hearings, testimony measures) stays with the legal track
(``protection.legal``): a step links the child's proceedings, it does not repeat them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.cases.models import Case
from lantern.perpetrators.models.register import Perpetrator


class JusticeStage(models.TextChoices):
    SUSPECTED = "suspected", _("Identified as a suspect")
    ARRESTED = "arrested", _("Arrested")
    CHARGED = "charged", _("Charged")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Charges dropped")
    SENTENCED = "sentenced", _("Sentenced")


class JusticeStep(models.Model):
    """One step of the chain, on one date, recorded by one agency."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="justice_steps"
    )
    stage = models.CharField(max_length=16, choices=JusticeStage.choices)
    date = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    cases = models.ManyToManyField(Case, blank=True, related_name="justice_steps")
    # the child's side of the same proceedings (protection.legal): linked, never copied
    legal_proceedings = models.ManyToManyField(
        "cases.LegalProceeding", blank=True, related_name="justice_steps"
    )
    sentence_months = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ["date", "id"]
