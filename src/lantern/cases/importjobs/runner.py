"""Who runs a confirmed job: a worker thread of the server that served the confirmation.

The thread has its own database connection and outlives the request (and the page: closing it
changes nothing). A job it could not finish (the server stopped) is rolled back with it and
waits, still queued or left running by a process that is gone; ``lantern imports run`` runs
those (cron or systemd, after a restart). ``LANTERN_IMPORT_RUNNER = "command"`` leaves every
job to that command, for a server that must not import in its own processes.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections

from lantern.cases.importjobs import service


def start(pk: int) -> threading.Thread | None:
    """Run job ``pk`` in a new worker thread (call once the confirmation has committed)."""
    if getattr(settings, "LANTERN_IMPORT_RUNNER", "thread") != "thread":
        return None
    worker = threading.Thread(target=_work, args=(pk,), name=f"lantern-import-{pk}")
    worker.start()
    return worker


def _work(pk: int) -> None:
    try:
        service.run(pk)
    finally:
        connections.close_all()  # this thread's own connection
