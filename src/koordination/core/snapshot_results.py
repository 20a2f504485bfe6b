"""What the population and statistic jobs hand back: a snapshot written or imported, the
snapshots of a data directory listed (apart from :mod:`koordination.core.results`, which
every allocation loads)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from koordination.core.models import Network


@dataclass(frozen=True)
class Change:
    """One municipality whose figure differs (None: absent on that side)."""

    code: str
    old: int | None
    new: int | None

    def describe(self) -> str:
        if self.old is None:
            return f"not in the snapshot, {self.new} in the new figures"
        if self.new is None:
            return f"{self.old} in the snapshot, not in the new figures"
        return (f"{self.old} in the snapshot, {self.new} in the new figures "
                f"({self.new - self.old:+d})")


@dataclass(frozen=True)
class UpdateResult:
    """What was done. ``status``: written (new file), replaced (--force), unchanged."""

    path: Path
    day: date
    populations: Mapping[str, int]
    status: Literal["written", "replaced", "unchanged"]
    changes: tuple[Change, ...]
    source: str
    left_out: int = 0
    noise: bool = False

    @property
    def total(self) -> int:
        return sum(self.populations.values())


@dataclass(frozen=True)
class SnapshotEntry:
    """One snapshot file for ``kn population list``: its figures, or why it cannot be read.

    Attributes:
        municipalities: how many municipalities it has a figure for. total: their population.
        members_present: how many of the network's ``members`` it has a figure for.
        problem: the first problem of a file that is not a valid snapshot (the rest None).
    """

    day: date
    path: Path
    members: int
    municipalities: int | None = None
    total: int | None = None
    members_present: int | None = None
    problem: str | None = None


@dataclass(frozen=True)
class SnapshotList:
    """The snapshots of a data directory, and the fee years still without theirs (as (fee
    year, reference date, the file it needs): every year with a budget and the coming one)."""

    network: Network
    folder: Path
    entries: tuple[SnapshotEntry, ...]
    missing: tuple[tuple[int, date, Path], ...] = ()


@dataclass(frozen=True)
class StatisticFile:
    """One snapshot file of a statistic, as read (``problem`` set when it is not valid).

    Attributes:
        name: the statistic. day: its reference date. path: the file.
        municipalities: how many it holds. total: the sum of its values.
        members_present: how many of the network's members it holds.
        in_key: True when the network's key counts this statistic.
    """

    name: str
    day: date
    path: Path
    municipalities: int = 0
    total: Decimal = Decimal(0)
    members_present: int = 0
    in_key: bool = False
    problem: str | None = None


@dataclass(frozen=True)
class StatisticImport:
    """What ``kn statistic import`` did. ``status``: written, replaced (--force), unchanged.

    Attributes:
        name, day, path: the snapshot written. values: per SCB code.
        source: the format read. ages: the age band summed, if any.
        left_out: how many rows for Riket and counties were left out.
        changes: how many municipalities' values changed (replaced).
    """

    name: str
    day: date
    path: Path
    values: Mapping[str, Decimal]
    status: Literal["written", "replaced", "unchanged"]
    source: str
    ages: str | None = None
    left_out: int = 0
    changes: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))
