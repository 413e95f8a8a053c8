"""Key rotation: a new active key, every encrypted value re-encrypted, old keys dropped."""

from __future__ import annotations

import os

from django.apps import apps
from django.db import models, transaction

from lantern.vault import keys
from lantern.vault.fields import EncryptedDateField, EncryptedTextField


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and those columns' attribute names."""
    out = []
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedDateField)
        ]
        if names:
            out.append((model, names))
    return out


def rotate() -> tuple[str, int]:
    """Rotate to a fresh key and re-encrypt; returns the new key id and rows rewritten.

    The new ring is saved before re-encryption (old keys kept), so an interruption leaves every
    value readable; old keys are dropped only after the transaction commits. Keys given in
    ``LANTERN_KEYS`` are managed wherever that variable is kept, so they are refused here.
    """
    if os.environ.get("LANTERN_KEYS"):
        raise keys.KeyError_("keys come from LANTERN_KEYS; rotate them where that is kept")
    old = keys.load_keyring(create=True)
    new = old.rotated()
    keys.save_keyring(new)
    keys.reset_cache()
    rewritten = 0
    with transaction.atomic():
        for model, names in encrypted_fields():
            manager = model._default_manager
            batch = []
            for obj in manager.only("pk", *names).iterator(chunk_size=2000):
                batch.append(obj)
                if len(batch) >= 1000:
                    manager.bulk_update(batch, names)
                    rewritten += len(batch)
                    batch = []
            if batch:
                manager.bulk_update(batch, names)
                rewritten += len(batch)
    keys.save_keyring(new.without_unused(set()))
    keys.reset_cache()
    from lantern.audit import services as audit

    audit.record(
        None,
        "rotate",
        "encryption_key",
        new.active,
        reason=f"{rewritten} rows re-encrypted; older keys dropped",
        source="cli keys",
    )
    return new.active, rewritten
