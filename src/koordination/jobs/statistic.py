"""Statistic snapshots of a data directory (reference 7): what ``kn statistic list`` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.errors import KnError
from koordination.core.models import Network
from koordination.io.datadir import DataDir


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


def list_statistic_files(data: DataDir, network: Network) -> list[StatisticFile]:
    """Every statistic snapshot under ``DIR/statistics``, by name and date."""
    from koordination.io.statistics import list_statistics, read_statistic

    used = set(network.key.statistic_names)
    found = []
    for name, files in list_statistics(data.statistics).items():
        for day, path in files:
            try:
                stat = read_statistic(path)
            except KnError as err:
                found.append(StatisticFile(name, day, path, in_key=name in used,
                                           problem=err.problems[0].message))
                continue
            found.append(StatisticFile(
                name, day, path, len(stat.values), sum(stat.values.values(), Decimal(0)),
                sum(1 for m in network.members if m.code in stat.values), name in used))
    return found
