"""Safe writing: every file kn writes goes through :func:`atomic_write`, and runs that write
hold :func:`run_lock`.

A write goes to a temporary file in the target's directory, is flushed to disk, and is renamed
over the target: a run killed at any point leaves either the old file or the new one, whole.
The lock is an operating-system lock (``fcntl.flock``) on ``DIR/.kn.lock``: the kernel releases
it when the process dies, so a killed run never leaves a stale lock.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from koordination.core.errors import OutputError, Problem, RefusedError


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
    tmp = _write_temporary(path, data)
    try:
        os.replace(tmp, path)
        _sync_dir(path.parent)
        _remove_stale_temporaries(path)
    except OSError as err:
        _unlink(tmp)
        raise OutputError(Problem(f"cannot write: {_why(err)}", str(path))) from None
    except BaseException:
        _unlink(tmp)
        raise


def _write_temporary(path: Path, data: bytes) -> str:
    """``data`` in a new temporary file beside ``path``, flushed to disk; its name. On failure
    nothing is left behind."""
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
    except OSError as err:
        _unlink(tmp)
        raise OutputError(Problem(f"cannot write: {_why(err)}", str(path))) from None
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(name: str) -> None:
    with suppress(OSError):
        os.unlink(name)


def check_writable(path: Path) -> None:
    """Refuse early a target that cannot be written: a directory, or a place below a file or
    below a directory we may not write to. Used before a run records anything else."""
    if path.is_dir():
        raise OutputError(Problem("is a directory; give a file name", str(path)))
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(
            Problem("cannot write: a part of the path is a file, not a directory", str(path))
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            Problem("cannot write: permission denied; choose a place you may write to, "
                    "or ask for access", str(path))
        )


def _sync_dir(directory: Path) -> None:
    """Flush a directory entry (the rename) to disk; best effort where not supported."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


#: A temporary file older than this is left over from a killed run (a write takes moments).
STALE_SECONDS = 600


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of ``path`` that killed runs left behind (best effort)."""
    import time

    limit = time.time() - STALE_SECONDS
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


def _exists(path: Path) -> RefusedError:
    return RefusedError(Problem("already exists and is never overwritten", str(path)))


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (a decision record): refused if it does.

    The whole content is written to a temporary file first and then hard-linked to its name,
    which fails if the name exists: even two runs racing cannot overwrite a record, and a
    killed run leaves either no record or a whole one."""
    if path.exists():
        raise _exists(path)
    tmp = _write_temporary(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links: check and rename (the lock guards the gap).
            if path.exists():
                raise _exists(path) from None
            os.replace(tmp, path)
        _sync_dir(path.parent)
    except OSError as err:
        raise OutputError(Problem(f"cannot write: {_why(err)}", str(path))) from None
    finally:
        _unlink(tmp)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def run_lock(directory: Path, create: bool = True) -> Iterator[None]:
    """Hold the data directory's lock, or refuse at once if another kn run holds it.

    ``create``: make the directory when it does not exist (an import into a new data
    directory); commands that need an existing one pass False and report it missing."""
    import fcntl

    lock_path = directory / ".kn.lock"
    try:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the whole block
    except OSError:
        # No data directory (the run will say so) or a read-only one (nothing can be written
        # there, and the write reports it): there is nothing to guard.
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
