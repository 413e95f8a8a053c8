"""The review queue of perpetrator linkage: pairs of register records that may be one person.

Linkage (``lantern.networks.link_perpetrators``) proposes, a person decides. A pair keeps the
two records' ids, the probability and each comparison's weight of evidence (numbers): nothing
that identifies anyone is stored here, in clear or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.perpetrators.models.register import Perpetrator


class PairStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    REJECTED = "rejected", _("Not the same person")
    CONFIRMED = "confirmed", _("Same person")


class PerpetratorPair(models.Model):
    """Two register records linkage finds uncertain (between the review floor and the
    threshold), and what a reviewer decided. A confirmed pair is merged, and goes with the
    merged record; a rejected one stays, so the next run keeps the two apart."""

    left = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    evidence = models.JSONField(default=dict)  # comparison -> weight of evidence (bits)
    status = models.CharField(max_length=16, choices=PairStatus.choices, default="pending")
    found_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="perpetrator_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"Perpetrator pair {self.pk}"
