"""Jobs on a data directory: load what a year needs, run the core, return results with the
input files they came from. The CLI calls these and only renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from koordination.core.allocation import Allocation, allocate
from koordination.core.plan import make_plan
from koordination.datadir import DataDir, load_budget, load_network, snapshot_for
from koordination.errors import DataError
from koordination.io.files import sha256
from koordination.models import Network


@dataclass(frozen=True)
class Inputs:
    """The files a result was computed from, with their SHA-256 checksums."""

    files: tuple[tuple[str, Path], ...]
    checksums: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, *pairs: tuple[str, Path]) -> Inputs:
        return cls(tuple(pairs), {str(path): sha256(path) for _, path in pairs})


@dataclass(frozen=True)
class AllocationRun:
    allocation: Allocation
    inputs: Inputs
    snapshot_path: Path


def carried_into(
    data: DataDir, year: int, network: Network | None = None
) -> tuple[dict[str, Decimal], list[tuple[str, Path]]]:
    """Settlement amounts of ``year - 1`` carried into ``year`` (SPEC 3.10), with their files.
    Pass ``network`` when it is loaded already (it is read once per run)."""
    if network is None:
        network = load_network(data)
    if network.surplus != "carry_forward" and network.deficit != "carry_forward":
        return {}, []
    if data.year_file(data.actuals, year - 1, "actuals file") is None:
        return {}, []
    from koordination.jobs_settle import carried_from_previous

    return carried_from_previous(data, network, year)


def run_allocation(data: DataDir, year: int) -> AllocationRun:
    """Load the network, the year's budget and snapshot, and allocate (SPEC 3.1-3.8, 3.10)."""
    network = load_network(data)
    budget, budget_path = load_budget(data, year)
    snapshot, snapshot_path = snapshot_for(data, network, year)
    plan = make_plan(network, snapshot, budget.start, budget.end, str(snapshot_path))
    carried, carried_files = carried_into(data, year, network)
    allocation = allocate(plan, budget, carried, str(budget_path))
    inputs = Inputs.of(
        ("network", data.network_file),
        ("budget", budget_path),
        ("population", snapshot_path),
        *carried_files,
    )
    return AllocationRun(allocation, inputs, snapshot_path)


def require_year(year: int) -> None:
    if not 1971 <= year <= 2100:
        raise DataError(f"year {year} is out of range; give a fee year such as 2015")
