"""Safe writing: every file kn writes goes through :func:`atomic_write`, and runs that write
hold :func:`run_lock`.

A write goes to a temporary file in the target's directory, is flushed to disk, and is renamed
over the target: a run killed at any point leaves either the old file or the new one, whole.
The lock is an operating-system lock (``fcntl.flock``) on ``DIR/.kn.lock``: the kernel releases
it when the process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from koordination.errors import OutputError, Problem, RefusedError


def _why(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "the disk is full; free some space and run again"
    if err.errno == errno.EROFS:
        return "the file system is read-only; choose another place with -o"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; choose a place you may write to, or ask for access"
    if err.errno in (errno.ENOTDIR, errno.EEXIST):
        return "a part of the path is a file, not a directory"
    if err.errno == errno.EISDIR:
        return "is a directory; give a file name"
    return err.strerror or str(err)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same directory, fsync,
    rename). Creates missing parent directories. On failure nothing is left behind."""
    if path.is_dir():
        raise OutputError(Problem("is a directory; give a file name", str(path)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise OutputError(Problem(f"cannot write: {_why(err)}", str(path))) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(Problem(f"cannot write: {_why(err)}", str(path))) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (a decision record): refused if it does."""
    if path.exists():
        raise RefusedError(Problem("already exists and is never overwritten", str(path)))
    atomic_write(path, data)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def run_lock(directory: Path) -> Iterator[None]:
    """Hold the data directory's lock, or refuse at once if another kn run holds it."""
    import fcntl

    lock_path = directory / ".kn.lock"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError:
        # A read-only data directory: nothing will be written there, so no lock is needed.
        yield
        return
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefusedError(
                Problem(
                    "another kn run is writing in this data directory; wait for it to finish "
                    "and run again",
                    str(directory),
                )
            ) from None
        yield
    finally:
        handle.close()
