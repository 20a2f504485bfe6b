"""The ``kn settle`` job: settle a year and write its workbook."""

from __future__ import annotations

from pathlib import Path

from koordination.core.results import SettlementRun
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.jobs.allocation import run_settlement
from koordination.render.labels import Lang


def default_target(data: DataDir, year: int) -> Path:
    return data.reports(year) / f"avrakning-{year}.xlsx"


def settle_year(data: DataDir, year: int, target: Path | None, lang: Lang) -> SettlementRun:
    """Settle ``year`` (the network read once) and write the workbook to ``target`` unless it
    is None."""
    run = run_settlement(data, year, load_network(data))
    if target is not None:
        from koordination.io.records import record_in_force
        from koordination.render.xlsx.settlement import settlement_workbook

        content = settlement_workbook(run, lang, record_in_force(data, year))
        with run_lock(data.root):
            atomic_write(target, content)
    return run
