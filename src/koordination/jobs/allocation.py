"""The allocation and settlement jobs: load what a year needs, run the core, and hand back
results with the input files they came from.

The two are one module because they chain: the allocation of year Y needs the settlement of
Y-1 when a network carries settlements forward, and that settlement needs the fees charged
for Y-1, that is the allocation of Y-1. Nothing is stored: a carried amount is recomputed
from ``actuals/Y-1`` whenever year Y is allocated. The chain is computed once, oldest year
first, from inputs loaded once per run (``io/datadir``'s loaders, through the gate); no job
is entered twice for it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.allocation import allocate
from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import make_plan
from koordination.core.models import Budget, Network
from koordination.core.results import AllocationRun, Charged, Inputs, SettlementRun
from koordination.io.datadir import (
    DataDir,
    load_actuals,
    load_budget,
    load_network,
    snapshot_for,
    statistics_for,
)
from koordination.io.gate import checksum
from koordination.io.gate import run as one_run
from koordination.io.records import record_in_force


def inputs_of(data: DataDir, *pairs: tuple[str, Path]) -> Inputs:
    """The files ``pairs`` names, with their checksums and their paths inside ``data``."""
    return Inputs(tuple(pairs), {str(path): checksum(path) for _, path in pairs},
                  {str(path): data.shown(path) for _, path in pairs}, data.folder_name,
                  str(data.root))


def run_allocation(data: DataDir, year: int, network: Network | None = None) -> AllocationRun:
    """Load the network (unless given), the year's budget and snapshot, and allocate
    (docs/reference.md, arithmetic rules 1-8 and 10). When the network carries settlements
    forward, the chain of years before is computed first, oldest first, from inputs the run
    loads once: each year's allocation, its settlement, and what that carries into the next."""
    with one_run():  # every file read and parsed once (the command's run, when there is one)
        if network is None:
            network = load_network(data)
        carried: dict[str, Decimal] = {}
        files: list[tuple[str, Path]] = []
        for earlier in _chain(data, network, year):
            settled = _settle(data, earlier, network,
                              _allocation(data, earlier, network, carried, files))
            carried, files = _carried(settled, earlier)
        return _allocation(data, year, network, carried, files)


def _chain(data: DataDir, network: Network, year: int) -> list[int]:
    """The years before ``year`` whose settlements carry, one into the next, into ``year``
    (rule 10): the unbroken run of years with actuals just before it, oldest first; none
    when the network carries nothing."""
    if network.surplus != "carry_forward" and network.deficit != "carry_forward":
        return []
    years: list[int] = []
    while data.year_file(data.actuals, year - len(years) - 1, "actuals file") is not None:
        years.insert(0, year - len(years) - 1)
    return years


def _allocation(data: DataDir, year: int, network: Network, carried: dict[str, Decimal],
                carried_files: list[tuple[str, Path]]) -> AllocationRun:
    """Allocate ``year`` with what the year before carries into it."""
    budget, budget_path = year_budget(data, network, year)
    snapshot, snapshot_path = snapshot_for(data, network, year)
    statistics = statistics_for(data, network, year)
    plan = make_plan(network, snapshot, budget.start, budget.end, str(snapshot_path),
                     {name: stat for name, (stat, _) in statistics.items()})
    last = last_year_fees(data, network, year)
    try:
        allocation = allocate(plan, budget, carried, str(budget_path) if budget_path else None,
                              last, budget_given=budget_path is not None)
    except DataError as err:
        raise DataError([Problem(p.message, str(data.network_file), p.where)
                         if p.file is None and (p.where or "").startswith("limits") else p
                         for p in err.problems]) from None
    inputs = inputs_of(
        data,
        ("network", data.network_file),
        *((("budget", budget_path),) if budget_path is not None else ()),
        ("population", snapshot_path),
        *((f"statistic {name}", path) for name, (_, path) in statistics.items()),
        *carried_files,
    )
    return AllocationRun(allocation, inputs, snapshot_path)


def year_budget(data: DataDir, network: Network, year: int) -> tuple[Budget, Path | None]:
    """The budget of ``year`` and its file; under a ``fee:`` rate without a budget file, the
    whole year (:func:`whole_year`) and no file: a rate needs no budget."""
    if network.fee is not None and data.year_file(data.budgets, year, "budget") is None:
        return whole_year(year), None
    return load_budget(data, year)


def whole_year(year: int) -> Budget:
    """The budget of a year under a ``fee:`` rate without a budget file: the whole calendar
    year, no lines (each fee is the rate's, reference 13)."""
    return Budget(year, date(year, 1, 1), date(year, 12, 31), "annual", ())


def last_year_fees(data: DataDir, network: Network, year: int) -> dict[str, Decimal]:
    """Each member's ``fee`` of ``year - 1`` for the change limits of ``limits:`` (reference
    13): the record in force, else the fees computed from that year's inputs; nothing when the
    network has no change limit or ``year - 1`` has neither a record nor a budget."""
    if network.limits is None or not network.limits.needs_last_year:
        return {}
    previous = year - 1
    record = record_in_force(data, previous, network)
    if record is not None:
        return {m.code: m.fee for m in record.members if m.fee is not None}
    if data.year_file(data.budgets, previous, "budget") is None:
        return {}
    run = run_allocation(data, previous, network)
    return {m.code: m.fee for m in run.allocation.members}


def _carried(run: SettlementRun, year: int) -> tuple[dict[str, Decimal], list[tuple[str, Path]]]:
    """What the settlement of ``year`` carries into the next year (rule 10), with the files
    it was computed from; nothing for a forecast (``through:``): a forecast is never carried,
    the settlement is, once the year has closed."""
    from koordination.core.settlement import carried_amounts

    if run.settlement.forecast is not None:
        return {}, []
    carried = carried_amounts(run.settlement)
    if not carried:
        return {}, []
    files = [
        (f"{kind} {year}", path)
        for kind, path in run.inputs.files
        if kind != "network" and not kind.endswith(f" {year - 1}")
    ]
    return carried, files


def charged_fees(data: DataDir, run: AllocationRun) -> Charged:
    """The fees charged for ``year``: the decided fees when the year has a recorded decision
    (``decisions/YEAR.json`` or its latest revision), else recomputed from the inputs the
    allocation used. The key plan (segments, shares) is always today's. A decided year whose
    inputs now give other amounts is refused, as ``kn allocate`` refuses it (reference 9)."""
    alloc = run.allocation
    year = alloc.year
    carried_in = {m.code: m.carried for m in alloc.members if m.carried}
    record = record_in_force(data, year, alloc.plan.network)
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
    from koordination.jobs.decision import decided_run

    decided_run(data, run)  # other amounts today: revise first, never settle two versions
    return Charged(decided, carried_in, str(record.path), run)


def decided_allocation(data: DataDir, year: int, network: Network | None = None) -> AllocationRun:
    """The allocation of ``year`` for a command that states its money (invoices, explain):
    today's, refused when ``year`` has a record in force with other amounts (reference
    section 9)."""
    from koordination.jobs.decision import decided_run

    run = run_allocation(data, year, network)
    decided_run(data, run)
    return run


def next_period(data: DataDir, year: int) -> tuple[date, date]:
    """The period of ``year + 1``: its budget's period if there is a budget, else the year."""
    following = year + 1
    if data.year_file(data.budgets, following, "budget") is not None:
        budget, _ = load_budget(data, following)
        return budget.start, budget.end
    return date(following, 1, 1), date(following, 12, 31)


def run_settlement(data: DataDir, year: int, network: Network | None = None) -> SettlementRun:
    """Settle ``year``: its actuals against the fees charged, by the year's own key plan.
    Actuals with ``through:`` give the forecast (reference 14): the settlement of the outcome
    the year is expected to have."""
    with one_run():
        if network is None:
            network = load_network(data)
        # its problems first (loaded once: _settle has it again); a rate needs no budget
        load_actuals(data, year, network.fee is None)
        return _settle(data, year, network, run_allocation(data, year, network))


def _settle(data: DataDir, year: int, network: Network, run: AllocationRun) -> SettlementRun:
    """The settlement of ``year`` whose allocation is ``run``."""
    # the settlement's code, loaded only by the runs that settle (kn allocate seldom does)
    from koordination.core.forecast import forecast
    from koordination.core.settlement import members_in, settle

    actuals, actuals_path = load_actuals(data, year, network.fee is None)
    charged = charged_fees(data, run)
    alloc = charged.run.allocation
    network = alloc.plan.network
    continuing: frozenset[str] = frozenset()
    if network.surplus == "carry_forward" or network.deficit == "carry_forward":
        start, end = next_period(data, year)
        continuing = members_in(network, start, end)
    if actuals.is_forecast:  # the same settlement, of the outcome the year is expected to have
        settlement = forecast(alloc.plan, actuals, alloc.lines, charged.fees, charged.carried_in,
                              continuing, str(actuals_path))
    else:
        settlement = settle(alloc.plan, actuals, charged.fees, charged.carried_in, continuing,
                            str(actuals_path))
    inputs = charged.run.inputs.merged(inputs_of(data, ("actuals", actuals_path)))
    return SettlementRun(settlement, charged, inputs, charged.run.snapshot_path, actuals_path)
