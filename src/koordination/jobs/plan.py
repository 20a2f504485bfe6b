"""The plan job (reference section 6): the budget year's fees, as ``kn allocate`` gives them
(the decided ones when the year is decided), and those of each plan year after it.

A plan year is an allocation with a derived budget and a derived population; the choice of
population for a year is made in one place, :func:`population_for_year`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from koordination.core.allocation import allocate
from koordination.core.errors import DataError, Problem
from koordination.core.keyplan import make_plan
from koordination.core.models import Network, PopulationMethod, Snapshot, Statistic
from koordination.core.planning import (
    Plan,
    PlannedBudget,
    PlanYear,
    PopulationSource,
    check_years,
    forecast_snapshot,
    indexed_budget,
    population_source,
    trend_snapshot,
)
from koordination.core.results import PlanRun
from koordination.core.settlement import members_in
from koordination.io.datadir import DataDir, load_budget, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.io.populations import (
    FORECAST_NAME,
    list_snapshots,
    read_forecast,
    read_snapshot,
)
from koordination.io.records import record_in_force
from koordination.jobs.allocation import inputs_of, run_allocation, whole_year
from koordination.jobs.decision import Request, check
from koordination.render.labels import Lang


def population_for_year(
    data: DataDir, network: Network, year: int, method: PopulationMethod,
    start: date | None = None, end: date | None = None,
) -> tuple[Snapshot, PopulationSource, tuple[Path, ...]]:
    """The population of fee year ``year``: the snapshot the network's rule names when it
    exists, else the one ``method`` gives (``latest``, ``trend`` or ``forecast``), with the
    files it was read from. ``start``..``end`` (the year's period) says which members need a
    forecast figure."""
    available = {day: path for day, path in list_snapshots(data.populations)}
    source = population_source(network.population, year, sorted(available), method,
                               str(data.populations))
    if source.kind in ("snapshot", "latest"):
        path = available[source.snapshots[0]]
        return read_snapshot(path), source, (path,)
    if source.kind == "trend":
        latest_path, earlier_path = (available[d] for d in source.snapshots)
        snapshot = trend_snapshot(source, read_snapshot(latest_path), read_snapshot(earlier_path))
        return snapshot, source, (latest_path, earlier_path)
    path = data.populations / FORECAST_NAME
    forecast = read_forecast(path)
    present = members_in(network, start or date(year, 1, 1), end or date(year, 12, 31))
    members = [m for m in network.members if m.code in present]
    return forecast_snapshot(source, forecast, members), source, (path,)


def statistics_for_year(
    data: DataDir, network: Network, year: int
) -> tuple[dict[str, Statistic], tuple[tuple[str, PopulationSource], ...], list[Path]]:
    """The snapshot of every statistic the key counts for ``year``: the one the statistic's
    rule names when it exists, else the newest with the rule's month-day (a plan year after
    the newest figures). Returns the statistics, where each came from, and their files."""
    from koordination.io.statistics import list_statistics, read_statistic

    available = list_statistics(data.statistics)
    found: dict[str, Statistic] = {}
    sources: list[tuple[str, PopulationSource]] = []
    paths: list[Path] = []
    problems: list[Problem] = []
    for name in network.statistic_names:
        target = network.statistic_rule(name).snapshot_date(year)
        files = dict(available.get(name, []))
        if target in files:
            source = PopulationSource("snapshot", target, (target,))
        else:
            same_day = sorted(d for d in files if (d.month, d.day) == (target.month, target.day))
            if not same_day:
                problems.append(Problem(
                    f"no {name} snapshot for {year} ({target}) and none dated "
                    f"{target.month:02d}-{target.day:02d} to take the latest from; import one "
                    f"with 'kn statistic import {name} FILE --date {target}'",
                    str(data.statistics / name)))
                continue
            source = PopulationSource("latest", target, (same_day[-1],))
        path = files[source.snapshots[0]]
        found[name] = read_statistic(path)
        sources.append((name, source))
        paths.append(path)
    if problems:
        raise DataError(problems)
    return found, tuple(sources), paths


def run_plan(data: DataDir, year: int, years: int = 2) -> PlanRun:
    """The budget year ``year`` and ``years`` plan years after it."""
    check_years(years)
    network = load_network(data)
    run = run_allocation(data, year, network)
    # a decided year whose inputs now give other fees is refused (its notes are not shown)
    check(data, run, Request(), "en")
    record = record_in_force(data, year)
    base = run.allocation.budget
    base_path = next((path for kind, path in run.inputs.files if kind == "budget"), None)
    rate_file = str(data.network_file)
    snapshot_day = run.allocation.plan.snapshot.date
    plan_years = [PlanYear(
        PlannedBudget(base, "budget", str(base_path)) if base_path is not None else
        PlannedBudget(base, "rate", rate_file),
        PopulationSource("snapshot", snapshot_day, (snapshot_day,)),
        (str(run.snapshot_path),),
        run.allocation,
        record,
        tuple((name, PopulationSource("snapshot", stat.date, (stat.date,)))
              for name, stat in run.allocation.plan.statistics.items()),
    )]
    files: list[tuple[str, Path]] = list(run.inputs.files)
    method: PopulationMethod = base.plan.population if base.plan is not None else "latest"
    for plan_year in range(year + 1, year + years + 1):
        own = data.year_file(data.budgets, plan_year, "budget")
        if own is not None:
            budget, path = load_budget(data, plan_year)
            planned = PlannedBudget(budget, "own", str(path))
            files.append((f"budget {plan_year}", path))
        elif network.fee is not None:  # a rate sets the fees; a budget is not indexed
            planned = PlannedBudget(whole_year(plan_year), "rate", rate_file)
        else:
            planned = indexed_budget(base, plan_year, str(base_path))
        budget = planned.budget
        snapshot, source, paths = population_for_year(data, network, plan_year, method,
                                                      budget.start, budget.end)
        names = ", ".join(str(p) for p in paths)
        statistics, statistic_sources, statistic_paths = statistics_for_year(
            data, network, plan_year)
        key_plan = make_plan(network, snapshot, budget.start, budget.end, names, statistics)
        # change limits count from the year before in the plan (reference 13)
        last = {m.code: m.fee for m in plan_years[-1].allocation.members}
        allocation = allocate(key_plan, budget, None, planned.file, last,
                              budget_given=planned.kind != "rate")
        plan_years.append(PlanYear(planned, source, tuple(str(p) for p in paths), allocation,
                                   None, statistic_sources))
        files += [(f"population {plan_year}", p) for p in paths]
        files += [(f"statistic {plan_year}", p) for p in statistic_paths]
    unique: dict[Path, str] = {}
    for kind, path in files:
        unique.setdefault(path, kind)
    inputs = inputs_of(data, *((kind, path) for path, kind in unique.items()))
    # what the workbook and the JSON name: each file by its path inside the data directory
    shown = [replace(y, budget=replace(y.budget, file=data.shown(Path(y.budget.file))),
                     population_files=tuple(data.shown(Path(f)) for f in y.population_files))
             for y in plan_years]
    return PlanRun(Plan(tuple(shown)), inputs)


def default_target(data: DataDir, year: int, years: int) -> Path:
    return data.reports(year) / f"plan-{year}-{year + years}.xlsx"


def plan_years(data: DataDir, year: int, years: int, target: Path | None,
               lang: Lang) -> PlanRun:
    """The ``kn plan`` job: :func:`run_plan` under the data directory's lock, and the plan
    workbook written to ``target`` unless it is None."""
    with run_lock(data.root, create=False):
        run = run_plan(data, year, years)
        if target is not None:
            from koordination.render.xlsx.plan import plan_workbook

            content = plan_workbook(run, lang)
            atomic_write(target, content)
    return run
