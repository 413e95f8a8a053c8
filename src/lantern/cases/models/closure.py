"""A request to close a case, and the supervisor's answer (issue #15, item 7).

A case closes only through an approved request (``lantern.cases.workflow.close``): the
caseworker asks, with the outcome, a reason and a reason for every checklist item still open;
a supervisor approves or returns it. What was open when it was asked is kept as item keys
(``"placement:12"``: record ids, no child's data); the reasons are free text about the child,
so they are encrypted, and audit entries refer to the request by id, never copy them.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ClosureStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved: case closed")
    RETURNED = "returned", _("Returned to the caseworker")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ClosureRequest(models.Model):
    """One request to close a case; at most one awaits approval at a time."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="closure_requests"
    )
    outcome = models.CharField(max_length=40)  # a case_outcomes code
    reason = EncryptedTextField()
    status = models.CharField(
        max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.PENDING
    )
    open_items = models.JSONField(default=list, blank=True)  # item keys open when asked
    justifications = EncryptedTextField(blank=True)  # JSON {item key: reason}
    requested_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(db_index=True)
    decided_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(blank=True)
    transition = models.OneToOneField(
        "cases.CaseTransition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closure_request",
    )

    class Meta:
        ordering = ["case", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_closure_per_case",
            )
        ]

    def reasons(self) -> dict[str, str]:
        """The caseworker's reason for each item left open, by item key."""
        if not self.justifications:
            return {}
        value = json.loads(str(self.justifications))
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
