"""The ``kn allocate`` job: allocate a year, hold it against its decision record, write the
council workbook and, last, any record the run makes (``--final``, ``--revise``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from koordination.core.results import AllocationRun
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import run_lock
from koordination.jobs.allocation import run_allocation
from koordination.jobs.decision import Request, check
from koordination.render.labels import Lang


@dataclass(frozen=True)
class AllocateRun:
    """The allocation, the workbook written (None: none was asked for) and the notes about
    the year's decision record."""

    run: AllocationRun
    written: Path | None
    notes: tuple[str, ...]


def default_target(data: DataDir, year: int) -> Path:
    return data.reports(year) / f"fordelning-{year}.xlsx"


def allocate_year(data: DataDir, year: int, target: Path | None, request: Request,
                  lang: Lang) -> AllocateRun:
    """Allocate ``year``; refuse (before anything is written) amounts that differ from the
    record in force unless revising; write the workbook to ``target`` (unless it is None) and
    every other workbook of the run, and only then any record (reference section 9). A run
    that fails leaves nothing new: the workbooks it wrote are put back, no record written."""
    with run_lock(data.root, create=False):
        run = run_allocation(data, year, load_network(data))
        decision = check(data, run, request, lang)  # refuses before anything is written
        if target is not None:
            from koordination.render.xlsx.allocation import allocation_workbook

            decision.workbooks.insert(0, (target, allocation_workbook(run, lang,
                                                                      decision.standing)))
        notes = decision.commit()  # every workbook, then the record
    return AllocateRun(run, target, tuple(notes))
