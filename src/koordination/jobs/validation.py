"""Checking a whole data directory, reporting every problem at once (``kn validate``).

Every file is read on its own, so that a problem in one never hides a problem in another; a
file that cannot be read is not used for further checks (no follow-on errors). Beside the
problems, *notes* say what the next run still needs and is not wrong yet: a budget still to
fill in, a population not imported yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from koordination.core.errors import KnError, Problem
from koordination.core.models import Budget, Network
from koordination.io.datadir import DataDir, load_budget, load_network, snapshot_for

YEAR_FILE = re.compile(r"^(\d{4})\.(yaml|xlsx)$")


@dataclass
class Report:
    """What ``kn validate`` found: problems (exit 1), notes (exit 0), files checked."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    checked: int = 0

    def add(self, found: list[Problem]) -> None:
        self.problems.extend(p for p in found if p not in self.problems)


def _year_files(folder: Path) -> list[int]:
    years = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = YEAR_FILE.match(path.name)
            if match:
                years.add(int(match.group(1)))
    return sorted(years)


def validate_dir(data: DataDir, today: date | None = None) -> Report:
    """All problems and notes of the data directory."""
    from koordination.core.invoices import invoicing_gaps
    from koordination.io.populations import (
        FORECAST_NAME,
        list_snapshots,
        read_forecast,
        read_snapshot,
    )

    report = Report()
    network: Network | None = None
    try:
        report.checked += 1
        network = load_network(data)
    except KnError as err:
        report.add(err.problems)
        if not data.root.is_dir():
            report.checked = 0
            return report
    snapshots = list_snapshots(data.populations)
    for _, path in snapshots:
        report.checked += 1
        try:
            read_snapshot(path)
        except KnError as err:
            report.add(err.problems)
    if data.populations.is_dir():
        for path in sorted(data.populations.iterdir()):
            if path.name == FORECAST_NAME:
                report.checked += 1
                try:
                    read_forecast(path)
                except KnError as err:
                    report.add(err.problems)
                continue
            if path.suffix == ".csv" and not re.match(r"^\d{4}-\d{2}-\d{2}\.csv$", path.name):
                report.problems.append(
                    Problem("a snapshot's file name must be its date, YYYY-MM-DD.csv", str(path))
                )
    report.checked += _validate_statistics(data, report)
    years = _year_files(data.budgets)
    if not snapshots and (not years or network is None):
        report.notes.append(Problem(
            "no population yet; import SCB's figures with 'kn population fetch YEAR' or "
            "'kn population import FILE'", str(data.populations)))
    if network is not None and network.fee is not None:  # a rate's years need no budget
        years = sorted(set(years) | _rate_years(network, snapshots))
    if not years and (network is None or network.fee is None):
        coming = (today or date.today()).year + 1
        report.notes.append(Problem(
            f"no budget yet; write budgets/{coming}.yaml (or .xlsx) for the coming fee year",
            str(data.budgets)))
    for year in years:
        report.checked += 1
        _validate_budget_year(data, network, year, year == years[-1], bool(snapshots), report)
    report.checked += _validate_actuals(data, network, report)
    report.checked += _validate_decisions(data, network, report)
    if network is not None:  # last: what the invoices will lack (reference 8)
        report.notes += [Problem(gap, str(data.network_file)) for gap in invoicing_gaps(network)]
    return report


def _unfilled(budget: Budget) -> bool:
    return all(line.yearly() == 0 for line in budget.lines) and not budget.funding


def _rate_years(network: Network, snapshots: list[tuple[date, Path]]) -> set[int]:
    """The fee years a ``fee:`` rate can be computed for: those whose snapshot is there."""
    rule = network.population
    years = {day.year + rule.lag for day, _ in snapshots
             if (day.month, day.day) == (rule.month, rule.day)}
    years |= {year for year, day in rule.by_year.items()
              if any(day == found for found, _ in snapshots)}
    return years


def _validate_budget_year(data: DataDir, network: Network | None, year: int, newest: bool,
                          any_snapshot: bool, report: Report) -> None:
    """A budget, and what allocating its year needs: the snapshot, members in it, a total.
    A missing snapshot of the newest budget year (the coming one) is a note."""
    from koordination.jobs.allocation import decided_allocation, year_budget

    try:
        # under a rate without a budget file: the whole year, no lines, no file
        budget, path = (year_budget(data, network, year) if network is not None
                        else load_budget(data, year))
    except KnError as err:
        report.add(err.problems)
        return
    if _unfilled(budget) and budget.lines:
        report.notes.append(Problem(
            f"fill in the budget: every amount for {year} is 0", str(path)))
    if network is None:
        return
    try:
        snapshot_for(data, network, year)
    except KnError as err:
        if newest or not any_snapshot:
            for p in err.problems:
                message = p.message if any_snapshot else "no population yet: " + re.sub(
                    r"^no population snapshot for \d{4}: ", "", p.message)
                report.notes.append(Problem(message, p.file, p.where))
            return
        report.add(err.problems)
        return
    if _unfilled(budget) and budget.lines:
        return
    try:
        decided_allocation(data, year, network)  # a decided year: its record's amounts too
    except KnError as err:
        report.add(err.problems)


def _validate_statistics(data: DataDir, report: Report) -> int:
    """Read every statistic snapshot (``statistics/NAME/DATE.csv``, reference 7) and name
    whatever else is there; returns the files read. Whether a year's snapshot exists and
    holds every member is checked when the year is allocated."""
    from koordination.io.statistics import list_statistics, read_statistic, stray_files

    checked = 0
    for files in list_statistics(data.statistics).values():
        for _, path in files:
            checked += 1
            try:
                read_statistic(path)
            except KnError as err:
                report.add(err.problems)
    for path in stray_files(data.statistics):
        report.problems.append(Problem(
            "not a statistic snapshot: a statistic is a folder named in lower case letters, "
            "digits and hyphens holding YYYY-MM-DD.csv files", str(path)))
    return checked


def _validate_decisions(data: DataDir, network: Network | None, report: Report) -> int:
    """Read and check every decision and revision record (``decisions/``), its members
    against the network's, every settlement decision and every invoice register; returns the
    files read."""
    from koordination.io.records import records
    from koordination.io.register import load_register, load_settlement_record

    names = sorted(data.decisions.glob("*.json")) if data.decisions.is_dir() else []
    for year in sorted({int(p.name[:4]) for p in names if re.match(r"^\d{4}\.", p.name)}):
        try:
            records(data, year, network)
        except KnError as err:
            report.add(err.problems)
    for path in names:
        match = re.match(r"^(settlement|invoices)-(\d{4})\.json$", path.name)
        if match is None:
            continue
        try:
            if match.group(1) == "settlement":
                load_settlement_record(data, int(match.group(2)))
            else:
                load_register(data, int(match.group(2)))
        except KnError as err:
            report.add(err.problems)
    return len(names)


def _validate_actuals(data: DataDir, network: Network | None, report: Report) -> int:
    """Check every ``actuals/YEAR`` file; a readable one is also settled, which finds a
    one-off cost on a day with no members. Returns the number of files checked."""
    from koordination.io.datadir import load_actuals
    from koordination.jobs.allocation import run_settlement

    years = _year_files(data.actuals)
    for year in years:
        try:
            load_actuals(data, year, network is None or network.fee is None)
        except KnError as err:
            report.add(err.problems)
            continue
        if network is None:
            continue
        try:
            from koordination.jobs.settle import checked_settlement

            checked_settlement(data, run_settlement(data, year, network))
        except KnError as err:
            report.add(err.problems)
    return len(years)

