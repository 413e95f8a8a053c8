"""Where an import job's file waits: sealed under ``LANTERN_VAR/imports`` until the job ends.

The file is sealed with a key of its own (``lantern.vault.blobs.SealedFolder``) that the job's
row keeps encrypted by the vault; it is opened only in memory, for the readers of the one import
path (which read a path named by its format: ``clear_path``). The progress of a running job is a
small file beside it, so that any process (the server, ``lantern imports run``) can report it
while the import's own transaction is still open.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from lantern.filemodes import replace_privately
from lantern.vault.blobs import SealedFolder

JOB_FILES = SealedFolder(lambda: Path(settings.VAR_DIR) / "imports", "cases.importjob")
folder, path_of, store, load = (
    JOB_FILES.folder,
    JOB_FILES.path_of,
    JOB_FILES.store,
    JOB_FILES.load,
)


def _progress_path(key: uuid.UUID) -> Path:
    return JOB_FILES.path_of(key, ".progress")


def remove(key: uuid.UUID) -> None:
    JOB_FILES.remove(key)
    _progress_path(key).unlink(missing_ok=True)


@contextlib.contextmanager
def clear_path(data: bytes, suffix: str) -> Iterator[Path]:
    """A path ending in ``suffix`` whose content is ``data``, for the readers.

    On Linux the bytes stay in memory (an anonymous memory file, reached through a link in a
    private folder); elsewhere they are written to a 0600 file in a 0700 folder under
    LANTERN_VAR, removed as soon as the import has read it."""
    tmp = Path(tempfile.mkdtemp(prefix="open-", dir=folder()))
    fd = -1
    try:
        target = tmp / f"upload{suffix}"
        if hasattr(os, "memfd_create") and Path("/proc/self/fd").is_dir():
            fd = os.memfd_create("lantern-import", 0)
            os.write(fd, data)
            target.symlink_to(f"/proc/{os.getpid()}/fd/{fd}")
        else:
            replace_privately(target, lambda fh: fh.write(data))
        yield target
    finally:
        if fd >= 0:
            os.close(fd)
        shutil.rmtree(tmp, ignore_errors=True)


def write_progress(key: uuid.UUID, done: int) -> None:
    replace_privately(_progress_path(key), lambda fh: fh.write(str(done).encode()))


def read_progress(key: uuid.UUID) -> int:
    """Rows read so far by the running job ``key`` (0 before it starts)."""
    try:
        return int(_progress_path(key).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0
