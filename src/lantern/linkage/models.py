"""What linkage writes back to the store: person keys and match evidence, never names.

Each agency's record keeps its own ``Person`` (as that agency wrote the name); a ``PersonLink``
gives it the key of the child it was linked to. Review decisions are kept and respected by
every later run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lantern.vault.fields import EncryptedTextField


class LinkRun(models.Model):
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    records = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    threshold = models.FloatField()
    review_floor = models.FloatField()
    backend = models.CharField(max_length=16, default="duckdb")
    decisions_applied = models.PositiveIntegerField(default=0)
    scored_pairs = models.PositiveIntegerField(default=0, help_text="pairs kept above the floor")
    review = models.PositiveIntegerField(default=0, help_text="pairs left in the uncertain band")
    model = models.JSONField(
        default=dict,
        blank=True,
        help_text="the trained splink model (m/u parameters, no records): search reuses it",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"


class PersonLink(models.Model):
    """The child (cluster) an agency record's person belongs to, from the latest run."""

    person = models.OneToOneField("cases.Person", on_delete=models.CASCADE, related_name="link")
    cluster_key = models.CharField(max_length=64, db_index=True)
    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="links")


class MatchPair(models.Model):
    """A scored pair above the review floor: the evidence behind a link or a review item."""

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="pairs")
    person_a = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    evidence = models.JSONField(default=dict, help_text="agreement level of each comparison")
    linked = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["run", "linked", "probability"])]


class ReviewDecision(models.Model):
    """A person's decision on a pair: the same child, or two children. Later runs obey it."""

    person_a = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    same = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    reason = EncryptedTextField(blank=True)  # the reviewer's words about two children

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_decision_per_pair")
        ]
