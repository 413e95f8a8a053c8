"""Data migrations that turn clear columns into encrypted ones, and back.

A migration first alters the field to an encrypted one (the column becomes text), then runs
``encrypt_columns``: each stored clear value, empty ones included, is rewritten as a ciphertext
bound to its column. The stored values are read and written as they are in the database (the
historical model's field would try to decrypt clear text). Rerunning skips values that are
already ciphertexts, so an interrupted migration completes when run again. The reverse
decrypts back to clear text, so the migration can be unapplied while the keys are at hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_TOKEN = re.compile(r"^v[12]:k[0-9a-f]+:[A-Za-z0-9_=-]+$")
Columns = Sequence[tuple[str, str]]  # ("app_label.Model", "field")
Step = Callable[[Any, Any], None]


def _rewrite(apps: Any, schema_editor: Any, columns: Columns, encrypting: bool) -> None:
    conn = schema_editor.connection
    q = conn.ops.quote_name
    for label, name in columns:
        model = apps.get_model(label)
        field = model._meta.get_field(name)
        table, pk, col = q(model._meta.db_table), q(model._meta.pk.column), q(field.column)
        with conn.cursor() as cur:
            cur.execute(f"SELECT {pk}, {col} FROM {table}")
            rows = cur.fetchall()
        updates = []
        for key, value in rows:
            if value is None:
                continue
            is_token = bool(_TOKEN.match(value))
            if encrypting and not is_token:
                updates.append((field.seal(value), key))
            elif not encrypting and is_token:
                updates.append((field.open(value), key))
        if updates:
            with conn.cursor() as cur:
                cur.executemany(f"UPDATE {table} SET {col} = %s WHERE {pk} = %s", updates)
    if conn.vendor == "postgresql":
        # The updates queue deferred foreign-key checks; PostgreSQL refuses an ALTER TABLE (the
        # reverse's next step) while they are pending, so run them now.
        with conn.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


def encrypt_columns(columns: Columns) -> tuple[Step, Step]:
    """The forward (encrypt) and reverse (decrypt) steps of a ``RunPython`` over ``columns``."""

    def forward(apps: Any, schema_editor: Any) -> None:
        _rewrite(apps, schema_editor, columns, encrypting=True)

    def backward(apps: Any, schema_editor: Any) -> None:
        _rewrite(apps, schema_editor, columns, encrypting=False)

    return forward, backward
