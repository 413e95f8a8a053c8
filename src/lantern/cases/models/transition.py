"""The case's own history: every workflow transition, who made it and why (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class CaseTransition(models.Model):
    """One step of the case's state machine (``lantern.cases.workflow``), with its reason."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=32)
    to_state = models.CharField(max_length=32)
    reason = EncryptedTextField()  # free text about the child: encrypted, highly sensitive
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["case", "at", "id"]
