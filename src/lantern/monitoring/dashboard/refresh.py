"""Refreshing the mart from the page: a background job with its progress, as web imports run
(``lantern.cases.importjobs``): the page asks, a worker thread of the server builds, the page
follows its progress.

One refresh at a time for the installation: its state is a small file beside the mart
(``refresh.json``), written atomically under a lock, so that every server process reports the
same job. A job left running by a process of this host that is gone (a restart) counts as
interrupted; the mart it was building was never committed (``mart.build`` is atomic), and a
new refresh may be asked for.

A refresh also follows every change by itself (:func:`note_change`, which the receivers of
``autorefresh`` call once a change to a case, its journey or episodes, an import or a linkage
run has committed): after ``LANTERN_MART_REFRESH_DELAY`` seconds, so that many edits make one
build; one at a time (changes made while a build runs ask for one more after it); and never in
the way of the edit, whose transaction has committed already. ``LANTERN_MART_REFRESH`` says how:
``"background"`` (a worker thread, the default), ``"now"`` (at once, in the committing thread:
for tests) or ``"off"``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.models import User
from lantern.audit import services as audit
from lantern.errors import NotAllowed, Refused
from lantern.filemodes import replace_privately
from lantern.monitoring import mart
from lantern.monitoring.statistics.render import when

log = logging.getLogger("lantern.mart")

IDLE, QUEUED, RUNNING, DONE, FAILED = "idle", "queued", "running", "done", "failed"


@dataclass(frozen=True)
class Refresh:
    state: str = IDLE
    requested_by: int | None = None  # the user's id (who is audited)
    requested_at: str = ""
    started_at: str = ""
    finished_at: str = ""
    runner: str = ""  # host:pid of the process building
    done: int = 0  # cases read so far
    total: int = 0
    cases: int = 0  # in the mart built
    automatic: bool = False  # asked for by a change in the store, not by a person
    not_before: str = ""  # an automatic refresh waits for the changes to settle
    again: bool = False  # changes came while it ran: one more refresh after this one
    changed_at: str = ""  # the latest change noted
    error: str = ""  # the kind of failure (the exception's class), never a record's data

    @property
    def active(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def _folder() -> Path:
    folder = mart.mart_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path() -> Path:
    return _folder() / "refresh.json"


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    with (_folder() / "refresh.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read() -> Refresh:
    try:
        data = json.loads(_path().read_text())
        return Refresh(**{k: v for k, v in data.items() if k in Refresh.__dataclass_fields__})
    except (FileNotFoundError, ValueError, TypeError):
        return Refresh()


def _write(job: Refresh) -> None:
    replace_privately(_path(), lambda fh: fh.write(json.dumps(asdict(job)).encode()))


def _alive(runner: str) -> bool:
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another host's: it says for itself
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def status() -> Refresh:
    """The refresh as it stands (one whose process is gone has failed)."""
    job = _read()
    if job.active and job.runner and not _alive(job.runner):
        return replace(job, state=FAILED)
    return job


def request(user: Any, source: str = "") -> Refresh:
    """Queue a refresh, as ``user``; Refused while one is under way."""
    if not policy.allows(user, "statistics", "refresh"):
        raise NotAllowed(_("You may not refresh the statistics."))
    with _locked():
        if status().active:
            raise Refused(_("The statistics are already being refreshed."))
        job = Refresh(state=QUEUED, requested_by=user.pk, requested_at=_now(), runner=_runner())
        _write(job)
    audit.record(user, "refresh", "mart", "mart", reason="requested", source=source)
    return job


def run() -> Refresh | None:
    """Build the mart for the queued refresh (None when there is none to run). Changes noted
    meanwhile queue the next one (``again``), which the caller runs."""
    with _locked():
        job = _read()
        if job.state != QUEUED:
            return None
        job = replace(job, state=RUNNING, started_at=_now(), runner=_runner(), again=False)
        _write(job)

    def step(done: int, total: int) -> None:
        with _locked():
            _write(replace(_read(), done=done, total=total))

    try:
        info = mart.build(progress=step)
    except Exception as exc:  # the mart is as it was: a build commits at its very end
        error = type(exc).__name__
        log.error("mart refresh failed: %s", error)  # the kind only: never a record's data
        end, cases = FAILED, 0
    else:
        end, cases, error = DONE, info.cases, ""
    with _locked():
        job = replace(_read(), state=end, finished_at=_now(), cases=cases, error=error)
        _write(job)
        if job.again:  # changes came while it ran: the next refresh, after the delay
            _write(_automatic(job.changed_at))
    who = User.objects.filter(pk=job.requested_by or 0).first()
    source = "automatic refresh" if job.automatic else "web refresh job"
    audit.record(who, "build", "mart", "mart", reason=end, source=source)
    return job


_paused = 0  # how many ``paused()`` blocks are open in this process
_pausing = threading.Lock()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic refresh in this block: a bulk job (the demo's seeding) makes thousands of
    changes and builds the mart once, at its end, itself. Process-wide on purpose, not per
    thread: the job's changes also reach the refresh from other threads (an import's
    receivers run in a thread of their own), and those must not start a build either."""
    global _paused
    with _pausing:
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1


def _mode() -> str:
    if _paused:
        return "off"
    return str(getattr(settings, "LANTERN_MART_REFRESH", "background"))


def _delay() -> float:
    return float(getattr(settings, "LANTERN_MART_REFRESH_DELAY", 5.0))


def _automatic(changed_at: str, settle: bool = True) -> Refresh:
    wait = _delay() if settle and _mode() != "now" else 0
    later = timezone.now() + dt.timedelta(seconds=wait)
    return Refresh(
        state=QUEUED,
        requested_at=_now(),
        runner=_runner(),
        automatic=True,
        not_before=later.isoformat(),
        changed_at=changed_at,
    )


def note_change(settle: bool = True) -> threading.Thread | None:
    """The store changed (and committed): queue a refresh, unless one queued will read the
    change anyway. ``settle`` waits the delay for more edits (an import, one change of many
    records, does not). Never raises: a change is never undone or refused for the statistics.
    Returns the worker thread it started, if it started one."""
    if _mode() == "off":
        return None
    try:
        seen = _read()
        if seen.state == QUEUED or (seen.state == RUNNING and seen.again):
            return None  # the refresh to come reads this change: nothing to write
        with _locked():
            job = status()
            if job.state == RUNNING:
                _write(replace(job, again=True, changed_at=_moment()))
                return None
            if job.state == QUEUED:
                return None
            _write(_automatic(_moment(), settle))
        if _mode() == "now":
            _work()
            return None
        return start()
    except Exception as exc:  # the change stands; the pages show the mart's age
        log.error("mart refresh could not be queued: %s", type(exc).__name__)
        return None


def freshness(info: mart.MartInfo | None) -> dict[str, Any]:
    """What the statistics pages say of the mart's age: ``stale`` when a change came after the
    build read the store, ``updating`` when a refresh is queued or running."""
    if info is None:
        return {}
    job = status()
    changed, read = parse_datetime(job.changed_at or ""), parse_datetime(info.as_of)
    stale = bool(changed and read and changed > read)
    return {"when": when(info.as_of), "updating": job.active, "stale": stale or job.active}


def start() -> threading.Thread:
    """Run the queued refresh in a new worker thread (call once the request has been made)."""
    worker = threading.Thread(
        target=_work, kwargs={"own_thread": True}, name="lantern-mart-refresh"
    )
    worker.start()
    return worker


def _work(own_thread: bool = False) -> None:
    """Run queued refreshes, each once its changes have settled, while there are any."""
    try:
        while True:
            wait = parse_datetime(_read().not_before or "")
            if wait is not None:
                time.sleep(max(0.0, (wait - timezone.now()).total_seconds()))
            job = run()
            if job is None or not job.again:
                return
    finally:
        if own_thread:
            connections.close_all()  # this thread's own connection


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def _moment() -> str:
    """Now, to the microsecond: a change and the build that reads it may share a second."""
    return timezone.now().isoformat()


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
