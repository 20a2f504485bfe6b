"""The ``kn report`` job: the year's financial report for the steering group (reference 14),
from the year's allocation (the decided fees when the year is decided), its actuals and its
settlement decision, if there is one (refused, as ``kn settle`` refuses, when today's inputs
settle otherwise)."""

from __future__ import annotations

from pathlib import Path

from koordination.core.paths import inside
from koordination.core.report import Report, make_report
from koordination.core.results import ReportRun
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.jobs.allocation import run_settlement
from koordination.render.labels import Lang


def default_target(data: DataDir, year: int) -> Path:
    return data.reports(year) / f"rapport-{year}.xlsx"


def report_of(data: DataDir, year: int) -> tuple[Report, ReportRun]:
    """The report of ``year`` and the settlement run it rests on."""
    from koordination.jobs.settle import checked_settlement

    run = run_settlement(data, year, load_network(data))
    record = checked_settlement(data, run)  # a decided settlement: today's must agree
    report = make_report(run.allocation_run.allocation, run.settlement,
                         _inside(data, run.charged.source),
                         None if record is None else _inside(data, str(record.path)))
    return report, ReportRun(report, run)


def _inside(data: DataDir, source: str) -> str:
    """A decision file by its path inside the data directory (never the machine's path);
    "recomputed" and anything outside the directory as they are."""
    return inside(Path(source), data.root) or source


def report_year(data: DataDir, year: int, target: Path | None, lang: Lang) -> ReportRun:
    """Make ``year``'s report and write its workbook to ``target`` unless it is None."""
    _, run = report_of(data, year)
    if target is not None:
        from koordination.io.records import record_in_force
        from koordination.render.xlsx.report import report_workbook

        content = report_workbook(run, lang, record_in_force(data, year))
        with run_lock(data.root):
            atomic_write(target, content)
    return run
