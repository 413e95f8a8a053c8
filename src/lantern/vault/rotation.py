"""Key rotation: a new active key, every encrypted value re-encrypted, old keys dropped."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from lantern.vault import keys
from lantern.vault.fields import EncryptedDateField, EncryptedTextField


def encrypted_fields() -> list[tuple[type, list[str]]]:
    out = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, EncryptedTextField | EncryptedDateField)]
        if names:
            out.append((model, names))
    return out


def rotate() -> tuple[str, int]:
    """Rotate to a fresh key and re-encrypt; returns the new key id and values rewritten.

    The new ring is saved before re-encryption (old keys kept), so an interruption leaves every
    value readable; old keys are dropped only after the transaction commits.
    """
    old = keys.load_keyring(create=True)
    new = old.rotated()
    keys.save_keyring(new)
    keys.reset_cache()
    rewritten = 0
    with transaction.atomic():
        for model, names in encrypted_fields():
            batch = []
            for obj in model.objects.only("pk", *names).iterator(chunk_size=2000):
                batch.append(obj)
                if len(batch) >= 1000:
                    model.objects.bulk_update(batch, names)
                    rewritten += len(batch)
                    batch = []
            if batch:
                model.objects.bulk_update(batch, names)
                rewritten += len(batch)
    keys.save_keyring(new.without_unused(set()))
    keys.reset_cache()
    return new.active, rewritten
