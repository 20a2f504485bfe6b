"""Safe writing: every file kn writes goes through :func:`atomic_write` (or :func:`write_new`
for a record), and runs that write hold :func:`run_lock`.

A write goes to a temporary file in the target's directory, is flushed to disk, and is renamed
over the target: a run killed at any point leaves either the old file or the new one, whole.
The lock is an operating-system lock on ``DIR/.kn.lock`` (``flock`` on Linux and macOS,
``msvcrt.locking`` on Windows): the operating system releases it when the process dies, so a
killed run never leaves a stale lock. Only on a system with neither is the lock a file created
exclusively, and removed when the run ends.
"""

from __future__ import annotations

import errno
import glob
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from koordination.core.errors import OutputError, Problem, RefusedError
from koordination.io.gate import forget, kind_of, why

#: A temporary file older than this is left over from a killed run (a write takes moments).
STALE_SECONDS = 600


def _cannot(err: OSError, path: Path) -> OutputError:
    return OutputError(Problem(f"cannot write: {why(err)}", str(path)))


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same directory, fsync,
    rename). Creates missing parent directories. On failure nothing is left behind. A target
    that is a link, device, pipe or directory is refused, never replaced."""
    try:
        kind = kind_of(os.lstat(path).st_mode)
    except FileNotFoundError:
        kind = None
    except OSError as err:
        raise _cannot(err, path) from None
    if kind == "a directory":
        raise OutputError(Problem("is a directory; give a file name", str(path)))
    if kind is not None:
        raise OutputError(Problem(f"is {kind}, not a regular file; kn writes only regular "
                                  "files and never replaces anything else; give another name",
                                  str(path)))
    forget(path)
    with _temporary(path, data) as tmp:
        try:
            os.replace(tmp, path)
            _sync_dir(path.parent)
        except OSError as err:
            raise _cannot(err, path) from None
    limit = time.time() - STALE_SECONDS
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):  # left behind by a killed run
            if leftover.stat().st_mtime < limit:
                leftover.unlink()


@contextmanager
def _temporary(path: Path, data: bytes) -> Iterator[str]:
    """``data`` in a new temporary file beside ``path``, flushed to disk, for the block to
    move into place; the temporary name is gone when the block ends, however it ends: a
    Ctrl-C at any moment, even while the file is being made, leaves nothing behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _cannot(err, path) from None
    pattern = f".{glob.escape(path.name)}.*.tmp"
    before = set(path.parent.glob(pattern))
    tmp: str | None = None
    try:
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        except OSError as err:
            raise _cannot(err, path) from None
        yield tmp
    finally:
        if tmp is None:  # stopped inside mkstemp: the file may be there before its name is known
            made = set(path.parent.glob(pattern)) - before
        else:
            made = {Path(tmp)}
        for leftover in made:
            with suppress(OSError):
                leftover.unlink()


def _sync_dir(directory: Path) -> None:
    """Flush a directory entry (the rename) to disk; best effort where not supported."""
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (a decision record): refused if it does.

    The whole content is written to a temporary file first and then hard-linked to its name,
    which fails if the name exists: even two runs racing cannot overwrite a record, and a
    killed run leaves either no record or a whole one."""
    exists = RefusedError(Problem("already exists and is never overwritten", str(path)))
    if os.path.lexists(path):
        raise exists
    forget(path)
    with _temporary(path, data) as tmp:
        try:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise exists from None
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                    raise
                # A file system without hard links: check and rename (the lock guards the gap).
                if path.exists():
                    raise exists from None
                os.replace(tmp, path)
            _sync_dir(path.parent)
        except OSError as err:
            raise _cannot(err, path) from None


@contextmanager
def undone_on_failure(paths: Iterable[Path]) -> Iterator[None]:
    """A block that writes ``paths``: when it fails, each is put back as it was before the
    block, or removed if it did not exist (best effort: the run is failing)."""
    saved: dict[Path, bytes | None] = {}
    for path in paths:
        try:
            saved[path] = path.read_bytes() if os.path.isfile(path) else None
        except OSError:
            saved[path] = None
    try:
        yield
    except BaseException:
        for path, content in saved.items():
            with suppress(OSError, OutputError):
                if content is None:
                    os.unlink(path)
                else:
                    atomic_write(path, content)
        raise


@contextmanager
def run_lock(directory: Path, create: bool = True) -> Iterator[None]:
    """Hold the data directory's lock, or refuse at once if another kn run holds it.

    ``create``: make the directory when it does not exist (an import into a new data
    directory); commands that need an existing one pass False and report it missing."""
    lock_path = directory / ".kn.lock"
    odd = RefusedError(Problem(
        "the lock file is not a regular file (a directory or a link?); kn never runs "
        "without its lock: remove it and run again", str(lock_path)))
    release: Callable[[], None] | None = None
    try:
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        if _present_but_odd(lock_path):
            raise odd
        if directory.is_dir():  # else there is no data directory, and the run will say so
            release = _take_lock(lock_path)
    except _Held:
        raise RefusedError(Problem(
            "another kn run is writing in this data directory; wait for it to finish and run "
            "again", str(directory))) from None
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EOPNOTSUPP) \
                or _present_but_odd(lock_path):
            raise odd from None
        if err.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.EROFS,
                             errno.EPERM, errno.ENAMETOOLONG):
            raise OutputError(Problem(f"cannot take the lock: {why(err)}", str(lock_path))) \
                from None
        # A read-only data directory (nothing can be written there, and the write reports it)
        # or none: there is nothing to guard.
    try:
        yield
    finally:
        if release is not None:
            release()


class _Held(Exception):
    """Another process holds the lock."""


def _present_but_odd(path: Path) -> bool:
    """True when something that is not a regular file is at ``path``."""
    try:
        return kind_of(os.lstat(path).st_mode) is not None
    except OSError:
        return False


# _take_lock(path): take the lock on ``path`` without waiting (:class:`_Held` when another run
# has it) and return what releases it.
if sys.platform == "win32":

    def _take_lock(path: Path) -> Callable[[], None]:
        import msvcrt

        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EACCES, errno.EDEADLOCK):
                raise _Held from None
            raise

        def release() -> None:
            with suppress(OSError):
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.close(fd)
            with suppress(OSError):  # still open in a run that waits to take it
                os.unlink(path)

        return release

if sys.platform != "win32":  # flock, on every system that has it

    def _take_lock(path: Path) -> Callable[[], None]:
        try:
            import fcntl
        except ImportError:  # a system with neither flock nor msvcrt
            return _take_file_lock(path)
        # O_NOFOLLOW where the system has it: a link planted as the lock file is not followed
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EACCES, errno.EAGAIN, errno.EWOULDBLOCK):
                raise _Held from None
            raise

        def release() -> None:
            # the file stays: a run waiting for it locks the same file, never a new one
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

        return release


def _take_file_lock(path: Path) -> Callable[[], None]:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise _Held from None
    os.close(fd)

    def release() -> None:
        with suppress(OSError):
            os.unlink(path)

    return release
