"""Checking a whole data directory, reporting every problem at once (``kn validate``)."""

from __future__ import annotations

import re
from pathlib import Path

from koordination.core.errors import KnError, Problem
from koordination.core.models import Network
from koordination.io.datadir import (
    DataDir,
    load_budget,
    load_network,
    snapshot_for,
    statistics_for,
)

YEAR_FILE = re.compile(r"^(\d{4})\.(yaml|xlsx)$")


def _year_files(folder: Path) -> list[int]:
    years = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = YEAR_FILE.match(path.name)
            if match:
                years.add(int(match.group(1)))
    return sorted(years)


def validate_dir(data: DataDir) -> tuple[list[Problem], int]:
    """All problems of the data directory and the number of files checked."""
    from koordination.core.keyplan import make_plan
    from koordination.io.populations import (
        FORECAST_NAME,
        list_snapshots,
        read_forecast,
        read_snapshot,
    )
    from koordination.io.statistics import list_statistics, read_statistic, stray_files

    problems: list[Problem] = []
    checked = 0
    network: Network | None = None
    try:
        checked += 1
        network = load_network(data)
    except KnError as err:
        problems.extend(err.problems)
        if not data.root.is_dir():
            return problems, 0
    for _, path in list_snapshots(data.populations):
        checked += 1
        try:
            read_snapshot(path)
        except KnError as err:
            problems.extend(err.problems)
    if data.populations.is_dir():
        for path in sorted(data.populations.iterdir()):
            if path.name == FORECAST_NAME:
                checked += 1
                try:
                    read_forecast(path)
                except KnError as err:
                    problems.extend(err.problems)
                continue
            if path.suffix == ".csv" and not re.match(r"^\d{4}-\d{2}-\d{2}\.csv$", path.name):
                problems.append(
                    Problem("a snapshot's file name must be its date, YYYY-MM-DD.csv", str(path))
                )
    for files in list_statistics(data.statistics).values():
        for _, path in files:
            checked += 1
            try:
                read_statistic(path)
            except KnError as err:
                problems.extend(err.problems)
    for path in stray_files(data.statistics):
        problems.append(Problem(
            "not a statistic snapshot: a statistic is a folder named in lower case letters, "
            "digits and hyphens holding YYYY-MM-DD.csv files", str(path)))
    for year in _year_files(data.budgets):
        checked += 1
        try:
            budget, _ = load_budget(data, year)
        except KnError as err:
            problems.extend(err.problems)
            continue
        if network is None:
            continue
        try:
            snapshot, path = snapshot_for(data, network, year)
            statistics = statistics_for(data, network, year)
            make_plan(network, snapshot, budget.start, budget.end, str(path),
                      {name: stat for name, (stat, _) in statistics.items()})
        except KnError as err:
            problems.extend(p for p in err.problems if p not in problems)
    checked += _validate_actuals(data, network, problems)
    checked += _validate_decisions(data, problems)
    return problems, checked


def _validate_decisions(data: DataDir, problems: list[Problem]) -> int:
    """Read every decision and revision record (``decisions/``); returns the files read."""
    from koordination.io.records import records

    names = sorted(data.decisions.glob("*.json")) if data.decisions.is_dir() else []
    for year in sorted({int(p.name[:4]) for p in names if re.match(r"^\d{4}\.", p.name)}):
        try:
            records(data, year)
        except KnError as err:
            problems.extend(p for p in err.problems if p not in problems)
    return len(names)


def _validate_actuals(data: DataDir, network: Network | None, problems: list[Problem]) -> int:
    """Check every ``actuals/YEAR`` file; a readable one is also settled, which finds a
    one-off cost on a day with no members. Returns the number of files checked."""
    from koordination.io.datadir import load_actuals
    from koordination.jobs.allocation import run_settlement

    years = _year_files(data.actuals)
    for year in years:
        try:
            load_actuals(data, year)
        except KnError as err:
            problems.extend(p for p in err.problems if p not in problems)
            continue
        if network is None:
            continue
        try:
            run_settlement(data, year)
        except KnError as err:
            problems.extend(p for p in err.problems if p not in problems)
    return len(years)
