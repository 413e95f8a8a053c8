"""Import jobs: check a file (a dry run that writes nothing), confirm it, run it.

The file goes through the one import path (``lantern.cases.importing.import_file``), as
``lantern import`` runs it, with the same policy, validation, encryption and audit; the job adds
who uploaded and who confirmed it to the audit trail. Jobs are fetched through the policy
(``import_job``: an agency's jobs for its importers, every job for a national scope).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import socket
import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.importing import ImportReport, import_file, reasons
from lantern.cases.importing.loader import ImportRefused
from lantern.cases.importing.readers import FORMATS, UnreadableFile
from lantern.cases.importing.sources import SOURCES
from lantern.cases.importjobs import files
from lantern.cases.importjobs.models import ImportJob, ImportStatus
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.vault.keys import UnreadableValue

log = logging.getLogger("lantern.imports")

#: Row errors shown on the page; all of them are in the job's CSV.
SHOWN_ERRORS = 200


def visible(user: Any) -> QuerySet[ImportJob]:
    """The jobs ``user`` may see: their agency's, or every one for a national scope."""
    rows: QuerySet[ImportJob] = policy.scoped(user, "import_job", "import")
    return rows.select_related("uploaded_by", "confirmed_by")


def get(user: Any, pk: Any) -> ImportJob:
    """Job ``pk`` if ``user`` may see it; NotFound (as if it did not exist) otherwise."""
    job: ImportJob = policy.get_or_404(user, "import_job", "import", pk)
    return job


def check(
    user: Any,
    data: bytes,
    filename: str,
    source_format: str = "htcds",
    for_agency: str = "",
    source: str = "",
) -> ImportJob:
    """Keep ``data`` sealed as a new job and check every row: a dry run inside a transaction
    that is rolled back, so nothing is written but the job. A file refused as a whole (not
    readable, another agency's) is a failed job with the reason."""
    if not policy.allows(user, "case", "import"):
        raise NotAllowed(_("You may not import cases."))
    suffix = Path(filename).suffix.lower()
    if suffix not in FORMATS:
        raise Invalid(
            _("This file is not CSV, JSON, XLSX or Parquet; use one of: %(formats)s.")
            % {"formats": ", ".join(FORMATS)},
            field="file",
        )
    if source_format not in SOURCES:
        raise Invalid(_("Choose one of the formats listed."), field="source_format")
    key = uuid.uuid4()
    job = ImportJob(
        key=key,
        agency_id=user.agency_id,
        status=ImportStatus.CHECKED,
        filename=filename,
        suffix=suffix,
        source_format=source_format,
        for_agency=for_agency.strip(),
        size=len(data),
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )
    job.data_key = files.store(key, data)
    try:
        with files.clear_path(data, suffix) as path, transaction.atomic():
            try:
                report = _import(job, user, path)
            finally:
                transaction.set_rollback(True)  # a dry run: nothing it wrote is kept
    except (UnreadableFile, ImportRefused) as exc:
        _fail(job, _refusal(exc, filename))
        job.data_key = ""
        files.remove(key)  # nothing of it can be imported: it is not kept
    else:
        _count(job, report)
    job.save()
    audit.record(user, "upload", "import_job", job.key, reason="dry run", source=source)
    return job


def confirm(user: Any, pk: Any, source: str = "") -> ImportJob:
    """Queue a checked job for import, as ``user`` (who then imports it)."""
    with transaction.atomic():
        job = get(user, pk)
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.CHECKED:
            raise Refused(_("This import is no longer waiting for confirmation."))
        job.status = ImportStatus.QUEUED
        job.confirmed_by, job.confirmed_at = user, timezone.now()
        job.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        audit.record(user, "confirm", "import_job", job.key, source=source)
    return job


def progress(job: ImportJob) -> int:
    """Rows read so far: the running job's count, all of them once it is done."""
    if job.status == ImportStatus.RUNNING:
        return files.read_progress(job.key)
    return job.rows if job.status == ImportStatus.DONE else 0


def errors_csv(user: Any, job: ImportJob, source: str = "") -> str:
    """Every row error of ``job`` as CSV (row, field, reason); audited: reasons quote values."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["row", "field", "reason"])
    w.writerows(job.error_rows)
    audit.record(user, "export", "import_job", job.key, reason="row errors", source=source)
    return out.getvalue()


def shown_errors(user: Any, job: ImportJob, source: str = "") -> list[list[Any]]:
    """The first row errors, for the page, before the job runs and once it has ended (not while
    it runs: the store is busy importing); audited when there are any (they quote values)."""
    if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return []
    rows = job.error_rows[:SHOWN_ERRORS]
    if rows:
        audit.record(user, "view", "import_job", job.key, reason="row errors", source=source)
    return rows


def shown_warnings(job: ImportJob) -> list[list[Any]]:
    """The first warnings (rows imported, or to be, with something to know), as row errors
    are shown; they quote submission ids, never a person's data."""
    if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.FAILED):
        return []
    return job.warning_rows[:SHOWN_ERRORS]


# --- running ----------------------------------------------------------------------------------


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run(pk: int) -> ImportJob | None:
    """Import queued job ``pk`` (None when another runner took it first). Whatever happens the
    sealed file is deleted at the end; an import that fails leaves the store as it was."""
    claimed = ImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), runner=runner_name()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("confirmed_by__agency").get(pk=pk)
    user = job.confirmed_by
    try:
        if user is None or not user.is_active:
            raise ImportRefused(_("the person who confirmed this import is no longer active"))
        data = files.load(job.key, job.data_key)
        with files.clear_path(data, job.suffix) as path:
            report = _import(job, user, path, lambda n: files.write_progress(job.key, n))
    except (UnreadableFile, ImportRefused) as exc:
        _fail(job, _refusal(exc, job.filename))
    except (FileNotFoundError, UnreadableValue):
        _fail(job, _("The uploaded file could not be read back; upload it again."))
    except Exception as exc:  # any other failure: the import's transaction was rolled back
        # The kind of failure only: a message or traceback may quote the file's values.
        log.error("import job %s failed: %s", job.pk, type(exc).__name__)
        _fail(job, _("The import stopped on an unexpected error; nothing was imported."))
    else:
        _count(job, report)
        job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.data_key = ""
    summary = f"{job.status}: {job.created} created, {job.updated} updated, {job.rejected} rejected"
    with transaction.atomic():  # seen as finished only with its audit written
        job.save()
        audit.record(user, "import", "import_job", job.key, reason=summary, source="web import job")
    files.remove(job.key)
    return job


def requeue_orphans() -> int:
    """Jobs left running by a process of this host that is gone (a restart, a crash): their
    import was rolled back with the process, so they wait again."""
    host = socket.gethostname()
    orphans = []
    for job in ImportJob.objects.filter(status=ImportStatus.RUNNING, runner__startswith=host):
        pid = job.runner.rpartition(":")[2]
        if pid.isdigit() and not _alive(int(pid)):
            orphans.append(job.pk)
    return ImportJob.objects.filter(pk__in=orphans, status=ImportStatus.RUNNING).update(
        status=ImportStatus.QUEUED, runner="", started_at=None
    )


def run_queued() -> list[ImportJob]:
    """Run every waiting job, oldest first (``lantern imports run``)."""
    requeue_orphans()
    done = []
    for pk in ImportJob.objects.filter(status=ImportStatus.QUEUED).order_by("confirmed_at", "pk"):
        job = run(pk.pk)
        if job is not None:
            done.append(job)
    return done


# --- helpers ----------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's process
        return True
    return True


def _import(job: ImportJob, user: Any, path: Path, step: Any = None) -> ImportReport:
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if step is not None:
            step(done)

    return import_file(
        path=path,
        user=user,
        progress=advance,
        source_format=job.source_format,
        agency=job.for_agency or None,
        audit_source=f"web import job {job.key}",
    )


def _count(job: ImportJob, report: ImportReport) -> None:
    job.rows, job.created, job.updated = report.rows, report.created, report.updated
    job.unchanged, job.rejected = report.unchanged, report.bad_rows
    # each reason with its message and values, so that the page reads it in its reader's language
    job.errors = json.dumps([[e.row, e.field, reasons.stored(e.reason)] for e in report.errors])
    job.warnings = json.dumps([[w.row, w.field, reasons.stored(w.reason)] for w in report.warnings])


def _fail(job: ImportJob, reason: str) -> None:
    job.status, job.failure = ImportStatus.FAILED, reason
    job.created = job.updated = job.unchanged = 0
    job.warnings = "[]"


def _refusal(exc: Exception, filename: str) -> str:
    """The reason, naming the user's file rather than the path it was read from."""
    text = str(exc)
    head, sep, rest = text.partition(": ")
    if sep and head.startswith("/"):
        text = f"{filename}: {rest}"
    return text
