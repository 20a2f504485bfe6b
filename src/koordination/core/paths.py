"""How output files name a file of the data directory: by its path inside the directory, its
parts joined by "/" on every system ("budgets/2015.yaml"), never by where the directory lies
on this machine, and the same however the directory's path was typed (on Windows: the drive
letter in either case, backslashes or slashes, a trailing separator). The functions take
paths of any flavour (``Path`` on this system, ``PureWindowsPath`` or ``PurePosixPath``), so
the tests show Windows' spellings on any machine."""

from __future__ import annotations

from pathlib import PurePath


def inside(path: PurePath, root: PurePath) -> str | None:
    """``path`` by its path inside ``root`` ("budgets/2015.yaml"), or None when it is not
    inside ``root``. Both are compared as their system compares paths (on Windows without
    regard to case), so give both resolved, or both as typed."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return None
    return relative.as_posix() if relative.parts else None


def in_folder(folder: str, name: str, flavour: type[PurePath] = PurePath) -> str:
    """The file ``name`` in ``folder`` as the system writes a path (an error line names a
    file the way its user typed the folder: ``C:\\kn\\data\\populations\\2013-12-31.csv`` on
    Windows, never with a "/" joined to backslashes)."""
    return str(flavour(folder) / name)


def folder_name(root: PurePath) -> str:
    """The data directory's own folder name ("data") from its resolved path: its last part;
    for the top of a drive or share, the drive or share without its trailing separator ("C:",
    "\\\\fil01\\ekonomi"), and "/" for the top of a POSIX file system."""
    return root.name or root.anchor.rstrip("\\/") or root.anchor
