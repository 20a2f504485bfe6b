"""What a job hands back: a result of the core together with the input files it came from.

These are plain records; renderers read them and never compute money from them. What the
population and statistic jobs hand back is in :mod:`koordination.core.snapshot_results`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from koordination.core.allocation import Allocation
from koordination.core.paths import inside

if TYPE_CHECKING:  # named in annotations only: a run of kn allocate loads none of them
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
