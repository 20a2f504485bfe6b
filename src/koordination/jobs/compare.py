"""The ``kn compare`` job: two years' allocations side by side, and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from koordination.core.compare import Comparison, compare
from koordination.core.errors import DataError, KnError, Problem
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.jobs.allocation import run_allocation
from koordination.jobs.decision import departures
from koordination.render.labels import Lang


@dataclass(frozen=True)
class CompareRun:
    """The comparison, the notes on years whose fees differ from their decision, and the
    workbook written (None: none was asked for)."""

    comparison: Comparison
    notes: tuple[str, ...]
    written: Path | None


def default_target(data: DataDir, year_a: int, year_b: int) -> Path:
    return data.reports(year_b) / f"jamforelse-{year_a}-{year_b}.xlsx"


def run_compare(data: DataDir, year_a: int, year_b: int, target: Path | None,
                lang: Lang) -> CompareRun:
    """Allocate both years (the network read once; the problems of both reported together),
    compare them, and write the workbook to ``target`` unless it is None."""
    with run_lock(data.root, create=False):
        network = load_network(data)
        runs = []
        problems: list[Problem] = []
        for year in (year_a, year_b):
            try:
                runs.append(run_allocation(data, year, network))
            except KnError as err:
                problems += [p for p in err.problems if p not in problems]
        if problems:
            raise DataError(problems)
        comparison = compare(runs[0].allocation, runs[1].allocation)
        notes = tuple(note for note in (departures(data, run) for run in runs) if note)
        if target is not None:
            from koordination.io.records import record_in_force
            from koordination.render.xlsx.compare import compare_workbook

            decisions = (record_in_force(data, year_a), record_in_force(data, year_b))
            atomic_write(target, compare_workbook(comparison, lang, decisions))
    return CompareRun(comparison, notes, target)
