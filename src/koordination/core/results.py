"""What a job hands back: a result of the core together with the input files it came from.

These are plain records; renderers read them and never compute money from them. The last
ones are what the population jobs hand back (a snapshot written, the snapshots listed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from koordination.core.allocation import Allocation
from koordination.core.paths import inside

if TYPE_CHECKING:  # named in annotations only: a run of kn allocate loads none of them
    from koordination.core.models import Network
    from koordination.core.planning import Plan
    from koordination.core.report import Report
    from koordination.core.settlement import Settlement


@dataclass(frozen=True)
class Inputs:
    """The files a result was computed from, with their SHA-256 checksums.

    Attributes:
        files: (kind, path) pairs, such as ("budget", budgets/2015.yaml), in reading order.
        checksums: the SHA-256 of each file, keyed by ``str(path)``.
        names: each file's path inside the data directory ("budgets/2015.yaml"), keyed by
            ``str(path)``: what an output file names, never a path of the machine.
        folder: the data directory's own folder name ("data").
        root: the data directory as it was given, to name other files inside it.
    """

    files: tuple[tuple[str, Path], ...]
    checksums: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    folder: str = ""
    root: str = ""

    def shown(self, path: Path | str) -> str:
        """``path`` as an output file names it: its path inside the data directory, else
        its file name alone (never where it lies on this machine)."""
        text = str(path)
        if text in self.names:
            return self.names[text]
        return (inside(Path(text), Path(self.root)) if self.root else None) or Path(text).name

    def merged(self, other: Inputs) -> Inputs:
        """These files and then ``other``'s."""
        return Inputs(self.files + other.files, {**self.checksums, **other.checksums},
                      {**self.names, **other.names}, self.folder or other.folder,
                      self.root or other.root)


@dataclass(frozen=True)
class AllocationRun:
    """An allocation and what it was computed from."""

    allocation: Allocation
    inputs: Inputs
    snapshot_path: Path


@dataclass(frozen=True)
class Charged:
    """The fees charged for a year and where they come from.

    Attributes:
        fees: each member's fee for the year (``fee``, without amounts carried in).
        carried_in: what was carried into the year from the year before (shown only).
        source: "recomputed" (from the same inputs as the allocation), or the decision file.
        run: the allocation the fees were taken from (its plan shares the settlement).
    """

    fees: Mapping[str, Decimal]
    carried_in: Mapping[str, Decimal]
    source: str
    run: AllocationRun


@dataclass(frozen=True)
class SettlementRun:
    """A settlement, the fees it was settled against, and its input files."""

    settlement: Settlement
    charged: Charged
    inputs: Inputs
    snapshot_path: Path
    actuals_path: Path

    @property
    def allocation_run(self) -> AllocationRun:
        return self.charged.run


@dataclass(frozen=True)
class ReportRun:
    """The year's report and the settlement (or forecast) run it was made from."""

    report: Report
    settlement_run: SettlementRun

    @property
    def inputs(self) -> Inputs:
        return self.settlement_run.inputs


@dataclass(frozen=True)
class PlanRun:
    """A plan (the budget year and its plan years) and the files it was computed from."""

    plan: Plan
    inputs: Inputs


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
