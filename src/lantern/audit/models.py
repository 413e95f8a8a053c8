"""Append-only, hash-chained audit entries.

Each entry's hash is an HMAC, keyed from the key ring outside the database, over its content and
the previous entry's hash; entries carry a gap-free sequence number and the head row carries its
own MAC. Editing, deleting or reordering any entry, or truncating the trail, breaks the chain at
that point and ``lantern audit verify`` names it; someone holding only the database cannot
recompute the chain to hide it.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    user_id_snapshot = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, blank=True)
    agency = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=32, db_index=True)
    resource = models.CharField(max_length=40)
    record_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="ip, cli, task")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"


class AuditHead(models.Model):
    """One row locked while appending, so concurrent writers keep the chain linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    mac = models.CharField(max_length=64, blank=True, help_text="Keyed MAC of seq and hash")
