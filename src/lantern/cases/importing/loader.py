"""Upsert validated records in bulk, keyed by agency + source record id.

Valid rows are written in one transaction; with ``strict`` the transaction is rolled back when
any row fails, so nothing is imported. A column of Lantern's own shape that no field reads
(``columns``) refuses the whole file, unless ``ignore_unknown_columns`` makes it a warning.
A row whose content is unchanged since its last import is skipped, so re-importing a file
changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.bulkwrite import page_cache
from lantern.cases.importing.columns import UnknownColumn, unknown_columns
from lantern.cases.importing.readers import keys_vary_by_row, read_rows
from lantern.cases.importing.rows import Record, RowError, parse_row
from lantern.cases.importing.sources import (
    Applied,
    SourceContext,
    Translated,
    UnknownSource,
    source,
)
from lantern.cases.importing.writer import ImportRefused, RecordWriter

__all__ = ["ImportRefused", "ImportReport", "import_file", "records_imported", "story_replaced"]

#: Sent once an import has committed, with its ``report``: records may have changed in place,
#: so whatever holds a copy of them refreshes it (the linkage search index listens).
records_imported = Signal()
#: Sent inside the import's transaction, with the ``user`` and the ``case_ids``, just before an
#: updated row's journey, episodes and actors are replaced by the file's: a case's history
#: keeps what was recorded here and is about to go (the story's history listens).
story_replaced = Signal()

CHUNK = 1000


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    strict: bool = False
    rolled_back: bool = False
    #: Columns no field reads: the file was refused, or (``columns_ignored``) imported without.
    unknown_columns: list[UnknownColumn] = field(default_factory=list)
    columns_ignored: bool = False
    #: rows imported with something the user should know (``row N: field: reason``)
    warnings: list[RowError] = field(default_factory=list)
    #: Work a receiver of ``records_imported`` started in the background and the process waits
    #: for before it exits (the statistics refresh), as (what it is, its thread): a command
    #: can say what it waits for without knowing the layers above it.
    background: list[tuple[str, threading.Thread]] = field(default_factory=list)

    @property
    def refused_columns(self) -> bool:
        """The file was refused for its unknown columns: nothing was imported."""
        return bool(self.unknown_columns) and not self.columns_ignored

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def import_file(
    path: Path,
    user: Any,
    strict: bool = False,
    team: str | None = None,
    progress: Callable[[int], None] | None = None,
    source_format: str = "htcds",
    agency: str | None = None,
    ignore_unknown_columns: bool = False,
    audit_source: str = "cli import",
) -> ImportReport:
    """Import ``path`` as ``user`` (asked of the policy layer for every agency it touches).

    ``source_format`` names the shape of the file's rows (``sources.SOURCES``); ``agency`` the
    agency whose records they are when that shape has no agency column. A column of Lantern's
    own shape that no field reads refuses the file (``report.refused_columns``, nothing
    imported) unless ``ignore_unknown_columns``: then it is listed and its values dropped.
    ``audit_source`` is what the trail says the import came through (a command's shell account,
    a web job)."""
    scope = policy.scope_for(user, "case", "import")
    if scope is None:
        raise ImportRefused(f"{user.username} ({user.role}) may not import cases")
    try:
        translate = source(source_format)
    except UnknownSource as exc:
        raise ImportRefused(str(exc)) from exc
    report = ImportReport(strict=strict, columns_ignored=ignore_unknown_columns)
    loader = RecordWriter(user, scope, report, team, story_replaced)
    chunk: list[Record] = []

    def flush() -> None:
        loader.write(chunk)
        chunk.clear()

    context = SourceContext(
        agency=agency,
        user_agency=getattr(user.agency, "code", None),
        user=user,
        ignore_unknown_columns=ignore_unknown_columns,
        flush=flush,
    )
    # Other sources map their own columns; Lantern's shape is checked here, once per key set.
    columns = _Columns(report, keys_vary_by_row(path)) if source_format == "htcds" else None
    try:
        with page_cache():
            rows = translate(read_rows(path), context)
            _read_and_write(
                rows, report, loader, columns, chunk, flush, strict, progress, audit_source
            )
    finally:
        loader.close()
    report.unknown_columns += [UnknownColumn(p, near) for p, near in context.dropped.items()]
    if not report.rolled_back:
        report.warnings += sorted(context.warnings, key=lambda w: w.row)
    return report


def _read_and_write(
    rows: Iterator[Translated],
    report: ImportReport,
    loader: RecordWriter,
    columns: _Columns | None,
    chunk: list[Record],
    flush: Callable[[], None],
    strict: bool,
    progress: Callable[[int], None] | None,
    audit_source: str,
) -> None:
    """Read, check and write the file in chunks (``chunk``, written by ``flush``), in one
    transaction."""
    with transaction.atomic():
        for n, data in rows:
            report.rows += 1
            if columns is not None and isinstance(data, dict) and columns.stop(data):
                break
            if report.refused_columns:
                continue  # only the rest of the file's columns are looked at now
            parsed = parse_row(n, data) if isinstance(data, dict) else data
            if isinstance(parsed, Applied):  # a screening or a visit its source recorded
                report.created += parsed.created
                report.unchanged += parsed.unchanged
                report.updated += parsed.updated
            elif isinstance(parsed, list):
                report.errors.extend(parsed)
            else:
                chunk.append(parsed)
            if len(chunk) >= CHUNK:
                flush()
            if progress and report.rows % 500 == 0:
                progress(500)
        if report.refused_columns:
            transaction.set_rollback(True)
            report.rolled_back = True
            report.created = report.updated = report.unchanged = 0
            report.agencies_created, report.errors = [], []
            return
        flush()
        if progress:
            progress(report.rows % 500)
        audit.record_stream(loader.user, loader.audit_entries(), source=audit_source)
        transaction.on_commit(lambda: records_imported.send(ImportReport, report=report))
        if strict and report.errors:
            transaction.set_rollback(True)
            report.rolled_back = True
            report.created = report.updated = report.unchanged = 0
            report.agencies_created = []


class _Columns:
    """Checks each new set of keys against Lantern's columns, noting each unknown one once."""

    def __init__(self, report: ImportReport, keys_vary: bool) -> None:
        self.report, self.keys_vary = report, keys_vary
        self.last: set[str] = set()

    def stop(self, data: dict[str, Any]) -> bool:
        """Whether reading can stop: the file is refused and no later row can add a column."""
        if data.keys() != self.last:
            self.last = set(data)
            noted = {u.name for u in self.report.unknown_columns}
            self.report.unknown_columns += [u for u in unknown_columns(data) if u.name not in noted]
        return self.report.refused_columns and not self.keys_vary
