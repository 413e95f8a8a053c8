"""Files Lantern writes are its own: folders 0700, files 0600.

var/ holds the database, its WAL, the encryption keys and the statistics mart, so no other
account on the host may read any of it. A process umask of 077 covers everything created
afterwards (SQLite's WAL, DuckDB's files, Parquet written by pyarrow), whoever writes it; an
existing var/ made before this rule, or by a permissive shell, is tightened when Lantern starts.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

PRIVATE_UMASK = 0o077


def restrict_umask() -> None:
    """From now on this process creates nothing that group or others can read."""
    os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create ``path`` (0700) or tighten an existing one and everything under it.

    Only group and other bits are removed, and only on entries this account owns: an operator
    who pointed LANTERN_VAR somewhere shared gets a private tree, never a chmod of others' files.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            _tighten(Path(root) / name)
    return path


def _tighten(path: Path) -> None:
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode) or st.st_uid != os.geteuid() or not st.st_mode & 0o077:
            return
        path.chmod(stat.S_IMODE(st.st_mode) & ~0o077)
    except OSError:  # vanished meanwhile, or not ours to change: leave it
        return


def replace_privately(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Replace ``path`` with what ``write`` puts in a file: atomically and durably, 0600.

    The temporary file is new and private from its first byte (a name of its own, so a stale
    one with laxer modes, or one planted as a link, is never reused); it is flushed to disk
    before the rename and the folder after it, so a crash leaves the old file or the new.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
