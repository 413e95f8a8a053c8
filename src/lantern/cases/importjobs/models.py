"""An import job: one uploaded file, from its check to its import, kept until it is done."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.cases.importing.reasons import render
from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Checked, waiting for your confirmation")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A file uploaded for import. Its bytes are sealed under LANTERN_VAR (``files``) until the
    job is done or has failed; ``data_key`` (sealed by the vault) opens them. The counts are
    the dry run's until the job runs, then the import's."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ImportStatus.choices, db_index=True)
    filename = EncryptedTextField()  # a file's name may name a child
    suffix = models.CharField(max_length=16)  # the format the readers read it as
    source_format = models.CharField(max_length=32, default="htcds")
    for_agency = models.CharField(max_length=64, blank=True)  # the agency of a shape without one
    size = models.PositiveIntegerField(default=0)
    data_key = EncryptedTextField(blank=True)  # the sealed file's own key; "" once it is gone
    uploaded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runner = models.CharField(max_length=128, blank=True)  # host:pid of the process running it
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)  # rows with at least one error
    errors = EncryptedTextField(default="[]")  # [[row, field, reason], ...]: may quote values
    #: rows imported with something the user should know, as errors are kept
    warnings = EncryptedTextField(default="[]")
    failure = EncryptedTextField(blank=True)  # why nothing was imported

    class Meta:
        app_label = "cases"
        ordering = ("-uploaded_at", "-pk")

    def __str__(self) -> str:
        return f"import {self.key}"

    @property
    def error_rows(self) -> list[list[Any]]:
        """(row, field, reason) of each row error, the reason in the active language."""
        return _rendered(self.errors)

    @property
    def warning_rows(self) -> list[list[Any]]:
        """(row, field, reason) of each warning, the reason in the active language."""
        return _rendered(self.warnings)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


def _rendered(kept_json: str) -> list[list[Any]]:
    kept: list[list[Any]] = json.loads(kept_json or "[]")
    return [[row, field, render(reason)] for row, field, reason in kept]
