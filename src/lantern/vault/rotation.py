"""Key rotation: a new active key, every encrypted value re-encrypted, old keys dropped.

Rotation is also the upgrade: every value comes out as a ``v2`` ciphertext bound to its column,
whether it was ``v1`` (constant associated data) or an empty value stored in clear before empty
values were encrypted. It works on the stored tokens, not through the model, so a value that
fails its check stops the rotation with its place named instead of being silently replaced.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from lantern.vault import keys
from lantern.vault.fields import EncryptedDateField, EncryptedTextField

_CHUNK = 1000
EncryptedField = EncryptedTextField | EncryptedDateField


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted columns, and those columns' attribute names."""
    return [(model, [f.attname for f in fields]) for model, fields in _encrypted_columns()]


def _encrypted_columns() -> list[tuple[type[models.Model], list[EncryptedField]]]:
    out = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedDateField)
        ]
        if fields:
            out.append((model, fields))
    return out


def _table(model: type[models.Model]) -> tuple[str, str]:
    """The quoted table and primary-key column of ``model``."""
    q = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None and pk.column is not None
    return q(model._meta.db_table), q(pk.column)


def _rows(model: type[models.Model], fields: list[EncryptedField]) -> Iterator[list[Any]]:
    """The stored tokens of ``fields``, ``_CHUNK`` rows at a time, in primary-key order."""
    q = connection.ops.quote_name
    table, pk = _table(model)
    cols = ", ".join(q(str(f.column)) for f in fields)
    last: Any = None
    while True:
        where, params = (f"WHERE {pk} > %s", [last]) if last is not None else ("", [])
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT {pk}, {cols} FROM {table} {where} ORDER BY {pk} LIMIT {_CHUNK}{lock}",
                params,
            )
            rows: list[Any] = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _reseal(field: EncryptedField, token: str | None, pk: Any) -> str | None:
    """``token`` re-encrypted with the active key, bound to ``field``'s column."""
    if token is None and isinstance(field, EncryptedTextField):
        return None  # a nullable text column: NULL is not a value
    try:
        plain = field.open(token) if token else ""
    except keys.UnreadableValue as exc:
        raise keys.UnreadableValue(
            f"rotation stopped, nothing re-encrypted: {field.context()} row {pk} fails its "
            "integrity check (moved from another column or altered); clear or restore that "
            "value, then rotate again"
        ) from exc
    return field.seal(plain)


def _hold_writes(columns: list[tuple[type[models.Model], list[EncryptedField]]]) -> None:
    """Keep every other writer out until the rotation commits, so that no value written
    between a chunk's read and its rewrite is overwritten with what was read before it.

    PostgreSQL locks each chunk's rows as it reads them (``FOR UPDATE`` in ``_rows``). SQLite
    has one write lock for the whole store, taken by the first write of a transaction: a write
    that changes nothing takes it now, before the first read.
    """
    if connection.vendor == "sqlite" and columns:
        table, pk = _table(columns[0][0])
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET {pk} = {pk} WHERE 1 = 0")


def rewrite_all() -> int:
    """Re-encrypt every encrypted column with the active key and v2; returns rows rewritten.
    Runs inside the caller's transaction, holding other writers off until it commits."""
    if not connection.in_atomic_block:
        raise RuntimeError("rewrite_all runs inside a transaction (see rotate)")
    q = connection.ops.quote_name
    rewritten = 0
    columns = _encrypted_columns()
    _hold_writes(columns)
    for model, fields in columns:
        table, pk = _table(model)
        sets = ", ".join(f"{q(str(f.column))} = %s" for f in fields)
        sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"
        for rows in _rows(model, fields):
            params: list[Any] = [
                [*(_reseal(f, tok, row[0]) for f, tok in zip(fields, row[1:], strict=True)), row[0]]
                for row in rows
            ]
            with connection.cursor() as cur:
                cur.executemany(sql, params)
            rewritten += len(rows)
    return rewritten


def rotate() -> tuple[str, int]:
    """Rotate to a fresh key and re-encrypt; returns the new key id and rows rewritten.

    The new ring is saved before re-encryption (old keys kept), so an interruption leaves every
    value readable; old keys are dropped only after the transaction commits. Keys given in
    ``LANTERN_KEYS`` are managed wherever that variable is kept, so they are refused here.
    Not audited here (the trail's chain key comes from this vault): the operation that records
    it is ``lantern.custody.rotation.rotate``.
    """
    if os.environ.get("LANTERN_KEYS"):
        raise keys.KeyError_("keys come from LANTERN_KEYS; rotate them where that is kept")
    old = keys.load_keyring(create=True)
    new = old.rotated()
    keys.save_keyring(new)
    keys.reset_cache()
    with transaction.atomic():
        rewritten = rewrite_all()
    keys.save_keyring(new.without_unused(set()))
    keys.reset_cache()
    return new.active, rewritten
