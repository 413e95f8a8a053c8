"""Refreshing the mart from the page: a background job with its progress, as web imports run
(``lantern.cases.importjobs``): the page asks, a worker thread of the server builds, the page
follows its progress.

One refresh at a time for the installation: its state is a small file beside the mart
(``refresh.json``), written atomically under a lock, so that every server process reports the
same job. A job left running by a process of this host that is gone (a restart) counts as
interrupted; the mart it was building was never committed (``mart.build`` is atomic), and a
new refresh may be asked for.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.models import User
from lantern.audit import services as audit
from lantern.errors import NotAllowed, Refused
from lantern.filemodes import replace_privately
from lantern.monitoring import mart

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
    """The refresh as it stands (a running one whose process is gone has failed)."""
    job = _read()
    if job.state == RUNNING and not _alive(job.runner):
        return replace(job, state=FAILED)
    return job


def request(user: Any, source: str = "") -> Refresh:
    """Queue a refresh, as ``user``; Refused while one is under way."""
    if not policy.allows(user, "statistics", "refresh"):
        raise NotAllowed(_("You may not refresh the statistics."))
    with _locked():
        if status().active:
            raise Refused(_("The statistics are already being refreshed."))
        job = Refresh(state=QUEUED, requested_by=user.pk, requested_at=_now())
        _write(job)
    audit.record(user, "refresh", "mart", "mart", reason="requested", source=source)
    return job


def run() -> Refresh | None:
    """Build the mart for the queued refresh (None when there is none to run)."""
    with _locked():
        job = _read()
        if job.state != QUEUED:
            return None
        job = replace(job, state=RUNNING, started_at=_now(), runner=_runner())
        _write(job)

    def step(done: int, total: int) -> None:
        with _locked():
            _write(replace(_read(), done=done, total=total))

    try:
        info = mart.build(progress=step)
    except Exception as exc:  # the mart is as it was: a build commits at its very end
        log.error("mart refresh failed: %s", type(exc).__name__)
        end = FAILED
        cases = 0
    else:
        end, cases = DONE, info.cases
    with _locked():
        job = replace(_read(), state=end, finished_at=_now(), cases=cases)
        _write(job)
    who = User.objects.filter(pk=job.requested_by or 0).first()
    audit.record(who, "build", "mart", "mart", reason=end, source="web refresh job")
    return job


def start() -> threading.Thread:
    """Run the queued refresh in a new worker thread (call once the request has been made)."""
    worker = threading.Thread(target=_work, name="lantern-mart-refresh")
    worker.start()
    return worker


def _work() -> None:
    try:
        run()
    finally:
        connections.close_all()  # this thread's own connection


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
