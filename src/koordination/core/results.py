"""What a job hands back: a result of the core together with the input files it came from.

These are plain records; renderers read them and never compute money from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from koordination.core.allocation import Allocation
from koordination.core.planning import Plan
from koordination.core.settlement import Settlement


@dataclass(frozen=True)
class Inputs:
    """The files a result was computed from, with their SHA-256 checksums.

    Attributes:
        files: (kind, path) pairs, such as ("budget", budgets/2015.yaml), in reading order.
        checksums: the SHA-256 of each file, keyed by ``str(path)``.
    """

    files: tuple[tuple[str, Path], ...]
    checksums: dict[str, str] = field(default_factory=dict)


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
class PlanRun:
    """A plan (the budget year and its plan years) and the files it was computed from."""

    plan: Plan
    inputs: Inputs
