"""The gate: the one place kn opens a file it reads, and the one table of size limits.

Every input passes :func:`read`: it must be a regular file (never a device, pipe, socket or
directory, also when a link points there), no larger than the limit of its kind, and it is
read once, whole; the SHA-256 recorded for it is of those very bytes. A pipe or device is
refused from what ``stat`` says, before it is opened (opening a pipe would wait for a
writer), and what was opened is checked again with ``fstat``. Standard input (``-``) passes
:func:`read_stdin`, under the same limits.

Within a run (:func:`run`, entered once per command), a file is read at most once: a
second :func:`read` of the same path returns the same bytes, and :func:`parsed` keeps what a
reader made of them, so that a file is also parsed at most once. A file the run writes is
forgotten, so that a later read sees what was written.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from koordination.core.errors import DataError, KnError, Problem

MIB = 1024 * 1024

Kind = Literal["yaml", "workbook", "snapshot", "forecast", "record", "export", "text",
               "answer"]

#: Every size limit of what kn reads, in bytes, and what the file is called in messages.
LIMITS: dict[Kind, tuple[int, str]] = {
    "yaml": (5 * MIB, "YAML file"),              # network.yaml, budgets, actuals
    "workbook": (20 * MIB, "workbook"),          # budgets and actuals as .xlsx
    "snapshot": (2 * MIB, "snapshot"),           # populations/ and statistics/ CSV files
    "forecast": (10 * MIB, "population forecast"),
    "record": (5 * MIB, "decision record"),      # decisions/*.json
    "export": (20 * MIB, "table"),               # SCB and Kolada exports to import
    "text": (1 * MIB, "text file"),              # a README kn shows
    "answer": (20 * MIB, "answer"),              # one answer of SCB's API
}

#: Unpacking a workbook (a zip archive): the largest part, all parts, the number of parts,
#: and the largest compression ratio of a part over 1 MiB.
XLSX_PART_BYTES = 50 * MIB
XLSX_TOTAL_BYTES = 200 * MIB
XLSX_PARTS = 2000
XLSX_RATIO = 200


def limit(kind: Kind) -> int:
    return LIMITS[kind][0]


@dataclass(frozen=True)
class Input:
    """One file as read: its name in messages, its bytes and their SHA-256."""

    file: str
    data: bytes
    sha256: str


@dataclass
class _Run:
    inputs: dict[str, Input] = field(default_factory=dict)
    parsed: dict[Hashable, object] = field(default_factory=dict)


_RUN: ContextVar[_Run | None] = ContextVar("kn_run", default=None)

T = TypeVar("T")


@contextmanager
def run() -> Iterator[None]:
    """One run: within it every file is read, and parsed, at most once. Nested runs are the
    outer one."""
    token = _RUN.set(_RUN.get() or _Run())
    try:
        yield
    finally:
        _RUN.reset(token)


def forget(path: Path) -> None:
    """The run writes ``path``: a later read sees the new bytes."""
    current = _RUN.get()
    if current is not None:
        current.inputs.pop(os.path.abspath(path), None)
        current.parsed.clear()


def parsed(key: Hashable, parse: Callable[[], T]) -> T:
    """What ``parse()`` returns (or raises), computed once per run for ``key``."""
    current = _RUN.get()
    if current is None:
        return parse()
    if key not in current.parsed:
        try:
            current.parsed[key] = parse()
        except KnError as err:
            current.parsed[key] = err
    found = current.parsed[key]
    if isinstance(found, KnError):
        raise found
    return found  # type: ignore[return-value]


#: What a file that is not a regular file is, in a user's words.
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a link"), (stat.S_ISFIFO, "a pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))

#: What an operating-system error means, in the user's words (and what would fix it).
_WHY: dict[int | None, str] = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EROFS: "the file system is read-only; choose another place with -o",
    errno.EACCES: "permission denied; choose a place you may write to, or ask for access",
    errno.EPERM: "permission denied; choose a place you may write to, or ask for access",
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EEXIST: "a part of the path is a file, not a directory",
    errno.EISDIR: "is a directory; give a file name",
    errno.ENAMETOOLONG: "the file name is too long; choose a shorter name",
    errno.ELOOP: "the path is a link that leads nowhere or in a circle; give a plain file",
}


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is; None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def why(err: OSError) -> str:
    return _WHY.get(err.errno, err.strerror or str(err))


if sys.platform == "win32":
    #: Windows: in binary mode (Python opens every file there without inheriting it, and
    #: :func:`read` refuses anything but a regular file before it opens).
    _FLAGS = os.O_RDONLY | os.O_BINARY
if sys.platform != "win32":
    #: POSIX: without waiting (a pipe put in the file's place after the check would block)
    #: and without inheriting; each flag where the system has it.
    _FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read(path: Path, kind: Kind, file: str | None = None, what: str | None = None) -> Input:
    """``path`` read through the gate (see the module's words); every problem is a
    :class:`DataError` naming the file as ``file`` (default: the path) and what it is as
    ``what`` (default: the name of its kind)."""
    name = file or str(path)
    current = _RUN.get()
    key = os.path.abspath(path)
    if current is not None and key in current.inputs:
        found = current.inputs[key]
        return found if found.file == name else Input(name, found.data, found.sha256)
    most, called = LIMITS[kind]
    what = what or called
    try:
        info = os.stat(path)
        odd = kind_of(info.st_mode)
        if odd == "a directory":
            raise DataError(Problem(f"is a directory; give the {what} itself", name))
        if odd is not None:
            raise DataError(Problem(f"is {odd}, not a regular file; give the {what} itself",
                                    name))
        if info.st_size > most:
            raise DataError(Problem(f"file is {info.st_size} bytes; kn reads a {what} of up to "
                                    f"{most} bytes (is this the right file?)", name))
        fd = os.open(path, _FLAGS)
        with open(fd, "rb") as handle:
            if kind_of(os.fstat(handle.fileno()).st_mode) is not None:  # swapped since stat
                raise DataError(Problem(f"is not a regular file; give the {what} itself", name))
            data = handle.read(most + 1)
    except FileNotFoundError:
        raise DataError(Problem("file not found", name)) from None
    except IsADirectoryError:
        raise DataError(Problem(f"is a directory; give the {what} itself", name)) from None
    except OSError as err:
        raise DataError(Problem(f"cannot read: {why(err)}", name)) from None
    if len(data) > most:
        raise DataError(Problem(f"file grew past {most} bytes while it was read", name))
    got = Input(name, data, hashlib.sha256(data).hexdigest())
    if current is not None:
        current.inputs[key] = got
    return got


def read_text(path: Path, kind: Kind, file: str | None = None, what: str | None = None) -> str:
    """:func:`read`, decoded as UTF-8 (a byte-order mark is dropped)."""
    got = read(path, kind, file, what)
    try:
        return got.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(Problem("not UTF-8 text; save the file as UTF-8", got.file)) from None


def read_stdin(kind: Kind, name: str = "standard input") -> Input:
    """Standard input (``-``), read to its end under the limit of ``kind``. A terminal is
    refused: kn would wait for typing."""
    most, what = LIMITS[kind]
    stream = sys.stdin
    if stream is None or stream.isatty():
        raise DataError(Problem(f"is a terminal; pipe the {what} in (kn ... - < FILE) or give "
                                "its name", name))
    try:
        content = stream.buffer.read(most + 1)
    except OSError as err:
        raise DataError(Problem(f"cannot read: {why(err)}", name)) from None
    if len(content) > most:
        raise DataError(Problem(f"more than {most} bytes; kn reads a {what} of up to {most} "
                                "bytes (is this the right file?)", name))
    return Input(name, content, hashlib.sha256(content).hexdigest())


def checksum(path: Path) -> str:
    """The SHA-256 of ``path`` as this run read it (read now if it was not)."""
    return read(path, "workbook" if path.suffix.lower() == ".xlsx" else "export").sha256
