"""The ``kn settle`` job: settle a year, write its workbook, and with ``--final`` record the
settlement decision (``decisions/settlement-YEAR.json``) that settlement invoices rest on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from koordination.core.errors import Problem, RefusedError
from koordination.core.forecast import refuse_forecast
from koordination.core.records import SettlementRecord, settled_members, settlement_differences
from koordination.core.results import SettlementRun
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, run_lock, undone_on_failure, write_new
from koordination.jobs.allocation import run_settlement
from koordination.jobs.decision import Request
from koordination.render.labels import Lang


@dataclass(frozen=True)
class Settled:
    """A settlement run, the settlement decision in force after it (None: not decided), the
    path of a decision this run recorded (None: none) and where the workbook went (None:
    nowhere)."""

    run: SettlementRun
    record: SettlementRecord | None
    recorded: Path | None = None
    target: Path | None = None


def default_target(data: DataDir, year: int, forecast: bool = False) -> Path:
    """``reports/YEAR/avrakning-YEAR.xlsx``, or for a forecast ``prognos-YEAR.xlsx``."""
    return data.reports(year) / f"{'prognos' if forecast else 'avrakning'}-{year}.xlsx"


def checked_settlement(data: DataDir, run: SettlementRun) -> SettlementRecord | None:
    """The settlement decision of ``run``'s year, when its amounts are the run's; None when
    the settlement is not decided. Refuses when today's inputs settle otherwise: a decided
    settlement is not settled again (there is no revision of a settlement)."""
    from koordination.io.register import load_settlement_record
    from koordination.jobs.decision import refusal

    year = run.settlement.year
    record = load_settlement_record(data, year)
    if record is None:
        return None
    diffs = settlement_differences(record, settled_members(run.settlement))
    if diffs:
        raise refusal(record, diffs, [], "put the actuals and the inputs back as they were "
                      "when the settlement was decided (a settlement decision is not revised)")
    return record


def settle_year(data: DataDir, year: int, target: Path | None, lang: Lang,
                default: bool = False, request: Request | None = None) -> Settled:
    """Settle ``year`` (the network read once) and write the workbook to ``target``, or with
    ``default`` to the year's reports folder (``avrakning-YEAR.xlsx``, a forecast's
    ``prognos-YEAR.xlsx``); with ``request.final``, then record the settlement decision."""
    run = run_settlement(data, year, load_network(data))
    if target is None and default:
        target = default_target(data, year, run.settlement.forecast is not None)
    record = checked_settlement(data, run)
    final = request is not None and request.final
    records: list[tuple[Path, bytes]] = []
    if final and record is None:
        from koordination.io.register import settlement_json, settlement_path
        from koordination.jobs.decision import input_checksums

        path = settlement_path(data, year)
        refuse_forecast(run.settlement, "a settlement decision", str(run.actuals_path))
        if run.charged.source == "recomputed":
            raise RefusedError(Problem(
                f"the fees of {year} are not decided; a settlement rests on the decided "
                f"fees: record them first with 'kn allocate {year} --final'", str(path)))
        assert request is not None
        when = request.decision_date or date.today()
        records.append((path, settlement_json(run.settlement, Path(run.charged.source).name,
                                              input_checksums(data, run), request.decided_by,
                                              when, request.ref)))
        record = SettlementRecord(path, year, when.isoformat(), request.decided_by,
                                  request.ref, (), {})
    if target is None and not records:
        return Settled(run, record)
    from koordination.io.records import record_in_force
    from koordination.render.xlsx.settlement import settlement_workbook

    content = (settlement_workbook(run, lang, record_in_force(data, year), record)
               if target is not None else b"")
    with run_lock(data.root):
        with undone_on_failure([target] if target is not None else []):
            if target is not None:
                atomic_write(target, content)
            for path, body in records:  # the record last, never overwriting one
                write_new(path, body)
    return Settled(run, record, records[0][0] if records else None, target)

