"""A case's history of changes to its story (``lantern.protection.story.history`` writes it).

Tables keep their names and migration history in the ``cases`` app (``app_label``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class CaseChange(models.Model):
    """One change to a case's story: who, when, why, where from, and the values before and
    after. The values are copies of the fields the change names, so they are encrypted (whatever
    their tier) and read at the tier of those fields (``tier``); the reason is a worker's free
    text about the child, encrypted and read at the highly sensitive tier. Rows are only added."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(db_index=True)
    by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    what = models.CharField(max_length=40, help_text=_("record.action, e.g. event.add"))
    record_id = models.CharField(max_length=40, blank=True)
    fields = models.JSONField(default=list, blank=True, help_text=_("Field names changed"))
    tier = models.CharField(max_length=20, help_text=_("The tier the values are read at"))
    before = EncryptedTextField(blank=True, help_text=_("JSON; empty when there was none"))
    after = EncryptedTextField(blank=True, help_text=_("JSON; empty when there is none"))
    reason = EncryptedTextField(blank=True)
    source = models.CharField(max_length=40, blank=True, help_text=_("web, api, screening 12"))
    note = models.CharField(max_length=40, blank=True, help_text=_("A code the page explains"))

    class Meta:
        app_label = "cases"
        ordering = ["case", "at", "id"]
