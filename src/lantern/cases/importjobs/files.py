"""Where an import job's file waits: sealed under ``LANTERN_VAR/imports`` until the job ends.

The file is sealed with a key of its own (``lantern.vault.blobs``) that the job's row keeps
encrypted by the vault; it is opened only in memory, for the readers of the one import path
(which read a path named by its format: ``clear_path``). The progress of a running job is a
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
from lantern.vault import blobs


def folder() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(key: uuid.UUID) -> Path:
    return folder() / f"{key.hex}.sealed"


def _progress_path(key: uuid.UUID) -> Path:
    return folder() / f"{key.hex}.progress"


def _context(key: uuid.UUID) -> str:
    return f"cases.importjob/{key}"


def store(key: uuid.UUID, data: bytes) -> str:
    """Seal ``data`` as job ``key``'s file (0600, written atomically); its data key."""
    data_key = blobs.new_data_key()
    sealed = blobs.seal(data, data_key, _context(key))
    replace_privately(path_of(key), lambda fh: fh.write(sealed))
    return data_key


def load(key: uuid.UUID, data_key: str) -> bytes:
    """The clear bytes of job ``key``'s file; FileNotFoundError or UnreadableValue."""
    return blobs.open_sealed(path_of(key).read_bytes(), data_key, _context(key))


def remove(key: uuid.UUID) -> None:
    path_of(key).unlink(missing_ok=True)
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
