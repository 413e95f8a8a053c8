"""The narrative (versioned), case notes and attachments of a case.

The tables live in the ``cases`` app (``app_label``). Every free text, and each attachment's
name and data key, is encrypted at rest (``lantern.vault``) and tiered highly sensitive in
``lantern.accounts.policy.fields``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.vault.fields import EncryptedTextField

_USER = settings.AUTH_USER_MODEL


class NoteKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    OBSERVATION = "observation", _("Observation")
    OTHER = "other", _("Other")


class FileType(models.TextChoices):
    """What an attachment may be, told by its content (``filetypes``), never by its name."""

    PDF = "application/pdf", _("PDF document")
    JPEG = "image/jpeg", _("JPEG image")
    PNG = "image/png", _("PNG image")
    TEXT = "text/plain", _("Plain text")


class NarrativeVersion(models.Model):
    """One version of the case's narrative; a new edit adds a version and keeps the others."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="narrative_versions"
    )
    version = models.PositiveIntegerField()
    text = EncryptedTextField()
    written_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="narrative_version_once")
        ]


class CaseNote(models.Model):
    """A dated note of casework: a visit, a call, an observation; kept as written."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    body = EncryptedTextField()
    follow_up_on = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["case", "-written_at", "-id"]


class Attachment(models.Model):
    """A file of the case, stored sealed under ``LANTERN_ATTACHMENTS_DIR`` and served only by
    ``key`` (random, unguessable), to those the policy allows, each download audited.

    ``data_key`` is the file's own key, sealed by the vault (``lantern.vault.blobs``). A
    deleted attachment keeps its row (who deleted it, when and why); its file and key go.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    filename = EncryptedTextField()
    description = EncryptedTextField(blank=True)
    media_type = models.CharField(max_length=32, choices=FileType.choices)
    size = models.PositiveBigIntegerField()
    data_key = EncryptedTextField()
    uploaded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deletion_reason = EncryptedTextField(blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["case", "-uploaded_at", "-id"]
