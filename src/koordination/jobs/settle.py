"""The ``kn settle`` job: settle a year and write its workbook."""

from __future__ import annotations

from pathlib import Path

from koordination.core.results import SettlementRun
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock
from koordination.jobs.allocation import run_settlement
from koordination.render.labels import Lang


def default_target(data: DataDir, year: int, forecast: bool = False) -> Path:
    """``reports/YEAR/avrakning-YEAR.xlsx``, or for a forecast ``prognos-YEAR.xlsx``."""
    return data.reports(year) / f"{'prognos' if forecast else 'avrakning'}-{year}.xlsx"


def settle_year(data: DataDir, year: int, target: Path | None, lang: Lang,
                default: bool = False) -> tuple[SettlementRun, Path | None]:
    """Settle ``year`` (the network read once) and write the workbook to ``target``, or with
    ``default`` to the year's reports folder (``avrakning-YEAR.xlsx``, a forecast's
    ``prognos-YEAR.xlsx``); hand back the run and where the workbook went (None: nowhere)."""
    run = run_settlement(data, year, load_network(data))
    if target is None and default:
        target = default_target(data, year, run.settlement.forecast is not None)
    if target is not None:
        from koordination.io.records import record_in_force
        from koordination.render.xlsx.settlement import settlement_workbook

        content = settlement_workbook(run, lang, record_in_force(data, year))
        with run_lock(data.root):
            atomic_write(target, content)
    return run, target
