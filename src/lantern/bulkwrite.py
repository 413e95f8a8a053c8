"""Insert many rows of a model fast, storing exactly what ``bulk_create`` would store.

Django's ``bulk_create`` builds a model object per row and compiles every value into one SQL
text per batch; an import of a million records spends most of its time there, not in the
database. A ``Writer`` prepares each column once (its default, ``auto_now``, how the backend
stores a date, a UUID or JSON, an encrypted field's sealing), then writes plain tuples with
``executemany`` on SQLite and ``COPY`` on PostgreSQL. Primary keys are reserved up front
(PostgreSQL: the sequence; SQLite: ``sqlite_sequence``, under the write lock the reservation
itself takes), so callers know each row's id without reading it back. No signals are sent,
as with ``bulk_create``: it is for models whose saving has no logic of its own.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, models
from django.utils import timezone

Prepare = Callable[[Any], Any]


def _prepare(field: models.Field[Any, Any], connection: Any) -> Prepare | None:
    """How ``field`` turns a Python value into what the backend stores; None when it stores
    the value as it is (text, numbers, booleans and keys of their own Python type)."""
    if hasattr(field, "sealer"):  # an encrypted field: sealed with the key ring read once
        return field.sealer()  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        return _as_json(field.encoder)
    if isinstance(field, models.DateTimeField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return None
        return lambda v: None if v is None else v.hex
    if isinstance(
        field,
        (
            models.CharField,
            models.TextField,
            models.IntegerField,
            models.BooleanField,
            models.ForeignKey,
        ),
    ):
        return None
    return lambda v: field.get_db_prep_save(v, connection)


#: How many distinct coded lists one column keeps the JSON text of.
_JSON_CACHE_MAX = 4096


def _as_json(encoder: type[json.JSONEncoder] | None) -> Prepare:
    """``json.dumps`` for a JSON column. A record's coded lists (forms, vulnerabilities,
    citizenships) repeat the same few combinations in every row: the text of a list of strings
    is kept, by its items, for the next row (the same text ``json.dumps`` writes)."""
    texts: dict[tuple[str, ...], str] = {}

    def as_json(v: Any) -> Any:
        if v is None:
            return None
        if encoder is not None or type(v) is not list:
            return json.dumps(v, cls=encoder)
        key = tuple(v)
        try:
            return texts[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable item (a dict): no cache
            return json.dumps(v)
        text = json.dumps(v)
        if all(type(x) is str for x in key):  # only str: 1 == True would share a key
            if len(texts) >= _JSON_CACHE_MAX:
                texts.clear()
            texts[key] = text
        return text

    return as_json


class Writer:
    """Writes rows of ``model`` given as tuples of the ``given`` fields (attribute names, so
    ``case_id`` for a foreign key); every other column gets the value a new object would."""

    def __init__(self, model: type[models.Model], given: Sequence[str], using: str = "default"):
        self.model, self.given, self.using = model, tuple(given), using
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        names = {f.attname for f in self.fields}
        unknown = set(self.given) - names
        if unknown:
            raise ValueError(f"{meta.label}: no such fields {sorted(unknown)}")
        self.pk_column = str(meta.pk.column)  # type: ignore[union-attr]
        self.table = meta.db_table

    @property
    def connection(self) -> Any:
        return connections[self.using]

    def _plan(self, keyed: bool) -> tuple[list[str], Callable[..., tuple[Any, ...]]]:
        """The columns in the order written, and a function from a given tuple (and its
        primary key, first, when ``keyed``) to the row: values stored as given are picked in
        one step, the others prepared one by one; a default made per row (a key, a
        ciphertext) is made afresh for each row."""
        conn = self.connection
        now = timezone.now()
        position = {name: i for i, name in enumerate(self.given)}
        as_given: list[tuple[str, int]] = []
        prepared: list[tuple[str, int, Prepare]] = []
        fresh: list[tuple[str, Callable[[], Any]]] = []
        fixed: list[tuple[str, Any]] = []
        for f in self.fields:
            prepare, column = _prepare(f, conn), str(f.column)
            if f.attname in position:
                if prepare is None:
                    as_given.append((column, position[f.attname]))
                else:
                    prepared.append((column, position[f.attname], prepare))
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fixed.append((column, prepare(now) if prepare else now))
            elif (f.has_default() and callable(f.default)) or hasattr(f, "sealer"):
                # a fresh value per row: a key, or a ciphertext (an empty value sealed once
                # for every row would show which rows share it)
                fresh.append((column, _made(f.get_default, prepare)))
            else:
                value = f.get_default()
                fixed.append((column, prepare(value) if prepare else value))
        columns = [self.pk_column] if keyed else []
        columns += [c for c, _ in as_given] + [c for c, *_ in prepared]
        columns += [c for c, _ in fresh] + [c for c, _ in fixed]
        picks = [i for _, i in as_given]
        pick: Callable[[Sequence[Any]], Any] = (
            (lambda row: ()) if not picks else (lambda row: (row[picks[0]],))
        )
        if len(picks) > 1:
            pick = operator.itemgetter(*picks)
        steps = [(i, fn) for _, i, fn in prepared]
        makers = [fn for _, fn in fresh]
        constants = [v for _, v in fixed]

        def build(row: Sequence[Any]) -> tuple[Any, ...]:
            return (
                *pick(row),
                *[fn(row[i]) for i, fn in steps],
                *[make() for make in makers],
                *constants,
            )

        def build_keyed(row: Sequence[Any], pk: int) -> tuple[Any, ...]:
            return (
                pk,
                *pick(row),
                *[fn(row[i]) for i, fn in steps],
                *[make() for make in makers],
                *constants,
            )

        return columns, build_keyed if keyed else build

    def reserve(self, n: int) -> list[int]:
        """``n`` fresh primary keys of this table, never handed out again (even on rollback,
        as a sequence's are)."""
        if n <= 0:
            return []
        conn = self.connection
        with conn.cursor() as cur:
            if conn.vendor == "postgresql":
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.pk_column, n],
                )
                return [row[0] for row in cur.fetchall()]
            if conn.vendor != "sqlite":
                raise NotImplementedError(f"bulkwrite: no id reservation for {conn.vendor}")
            top = f"(SELECT coalesce(max({self.pk_column}), 0) FROM {self.table})"
            cur.execute(
                f"UPDATE sqlite_sequence SET seq = max(seq, {top}) + %s WHERE name = %s",
                [n, self.table],
            )
            if cur.rowcount == 0:
                cur.execute(
                    f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, {top} + %s",
                    [self.table, n],
                )
            cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            last = int(cur.fetchone()[0])
        return list(range(last - n + 1, last + 1))

    def insert(self, rows: Sequence[Sequence[Any]], ids: Sequence[int] | None = None) -> None:
        """Write ``rows`` (each a tuple of the given fields), with ``ids`` from ``reserve`` as
        their primary keys, or keys the database picks."""
        if not rows:
            return
        if ids is not None and len(ids) != len(rows):
            raise ValueError("one id per row")
        columns, build = self._plan(keyed=ids is not None)
        prepared = map(build, rows) if ids is None else map(build, rows, ids)
        self._write(columns, prepared)

    def _write(self, columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
        conn = self.connection
        quote = conn.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        with conn.cursor() as cur:
            if conn.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})", rows)


def _made(default: Callable[[], Any], prepare: Prepare | None) -> Callable[[], Any]:
    if prepare is None:
        return default
    return lambda: prepare(default())


@contextmanager
def page_cache(megabytes: int = 64, using: str = "default") -> Iterator[None]:
    """A larger SQLite page cache for the duration of a bulk write (the indexes of a table of
    millions of rows do not fit the default 2 MB), then the connection's own again. It bounds
    memory whatever the number of rows, and changes nothing of what is written or when it is
    durable. PostgreSQL: nothing to do."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        yield
        return
    with conn.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = int(cur.fetchone()[0])
        cur.execute(f"PRAGMA cache_size = {-1024 * int(megabytes)}")
    try:
        yield
    finally:
        with conn.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {before}")
