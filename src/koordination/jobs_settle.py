"""The settlement job: load a year's outcome, the fees charged for it and the next year's
membership, and settle (SPEC 3.9-3.10). Nothing is stored: a carried amount is recomputed
from ``actuals/Y`` whenever year Y+1 is allocated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.settlement import Settlement, carried_amounts, members_in, settle
from koordination.datadir import DataDir, load_actuals, load_budget
from koordination.errors import DataError, Problem
from koordination.jobs import AllocationRun, Inputs, run_allocation
from koordination.models import Network


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
    settlement: Settlement
    charged: Charged
    inputs: Inputs
    snapshot_path: Path
    actuals_path: Path

    @property
    def allocation_run(self) -> AllocationRun:
        return self.charged.run


def charged_fees(data: DataDir, year: int) -> Charged:
    """The fees charged for ``year``: the decided fees when the year has a recorded decision
    (``decisions/YEAR.json`` or its latest revision), else recomputed from the inputs the
    allocation used. The key plan (segments, shares) is always today's."""
    from koordination.decisions import record_in_force

    run = run_allocation(data, year)
    alloc = run.allocation
    carried_in = {m.code: m.carried for m in alloc.members if m.carried}
    record = record_in_force(data, year)
    if record is None:
        return Charged({m.code: m.fee for m in alloc.members}, carried_in, "recomputed", run)
    decided = {m.code: m.fee for m in record.members if m.fee is not None}
    present = {m.code for m in alloc.members}
    if set(decided) != present:
        names = {m.code: m.name for m in alloc.members} | {m.code: m.name for m in record.members}
        odd = sorted(set(decided) ^ present)
        raise DataError(
            Problem(
                f"the decided members differ from the members of {year} today "
                f"({', '.join(names[c] for c in odd)}); record the change with "
                f"'kn allocate {year} --revise' before settling",
                str(record.path),
            )
        )
    return Charged(decided, carried_in, str(record.path), run)


def next_period(data: DataDir, year: int) -> tuple[date, date]:
    """The period of ``year + 1``: its budget's period if there is a budget, else the year."""
    following = year + 1
    if data.year_file(data.budgets, following, "budget") is not None:
        budget, _ = load_budget(data, following)
        return budget.start, budget.end
    return date(following, 1, 1), date(following, 12, 31)


def run_settlement(data: DataDir, year: int) -> SettlementRun:
    """Settle ``year``: its actuals against the fees charged, by the year's own key plan."""
    actuals, actuals_path = load_actuals(data, year)
    charged = charged_fees(data, year)
    alloc = charged.run.allocation
    network = alloc.plan.network
    continuing: frozenset[str] = frozenset()
    if network.surplus == "carry_forward" or network.deficit == "carry_forward":
        start, end = next_period(data, year)
        continuing = members_in(network, start, end)
    settlement = settle(
        alloc.plan,
        actuals,
        charged.fees,
        charged.carried_in,
        continuing,
        str(actuals_path),
    )
    inputs = Inputs(
        charged.run.inputs.files + (("actuals", actuals_path),),
        {**charged.run.inputs.checksums, **Inputs.of(("actuals", actuals_path)).checksums},
    )
    return SettlementRun(settlement, charged, inputs, charged.run.snapshot_path, actuals_path)


def carried_from_previous(
    data: DataDir, network: Network, year: int
) -> tuple[dict[str, Decimal], list[tuple[str, Path]]]:
    """The settlement of ``year - 1`` carried into ``year``'s fees (SPEC 3.10), with the files
    it was computed from."""
    previous = year - 1
    if data.year_file(data.actuals, previous, "actuals file") is None:
        return {}, []
    run = run_settlement(data, previous)
    carried = carried_amounts(run.settlement)
    if not carried:
        return {}, []
    files = [
        (f"{kind} {previous}", path)
        for kind, path in run.inputs.files
        if kind != "network" and not kind.endswith(f" {previous - 1}")
    ]
    return carried, files
