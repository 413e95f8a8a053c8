"""Who owns a case, step by step: every assignment, its before and after owner and its reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class CaseAssignment(models.Model):
    """One change of a case's owner (``lantern.cases.assignment``). The reason is free text a
    supervisor writes about the child's situation, so it is encrypted and the audit entry only
    refers to this row."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assignments")
    from_owner = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    to_owner = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = EncryptedTextField(blank=True)
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["case", "at", "id"]
