"""The one exception family of kn.

Every problem a user can fix is a :class:`Problem` (file, place in the file, what is wrong and
what would fix it). A :class:`KnError` carries one or more problems; the CLI prints one line per
problem on stderr and exits with the error's ``exit_code``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    Attributes:
        message: what is wrong and, where possible, what would fix it.
        file: the file the problem is in (as the user named it), if any.
        where: the row, key or cell inside the file, e.g. ``members[3].kommun``.
    """

    message: str
    file: str | None = None
    where: str | None = None

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.where, self.message) if part)


class KnError(Exception):
    """Base class of every error kn reports to a user (exit code 1)."""

    exit_code = 1

    def __init__(self, problems: str | Problem | Iterable[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DataError(KnError):
    """The data directory holds something kn cannot use."""


class RefusedError(KnError):
    """An action kn refuses, such as changing a decided allocation."""


class OutputError(KnError):
    """A file could not be written."""


class NetworkError(KnError):
    """Statistics Sweden's API could not be reached or answered with an error."""


class UsageError(KnError):
    """A value on the command line kn cannot use (exit code 2, as click's own errors)."""

    exit_code = 2
