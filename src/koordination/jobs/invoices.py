"""The ``kn invoices`` job: the invoice bases of a year's fees or settlement, and their
workbook (one, or one per member)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from koordination.core.forecast import refuse_forecast
from koordination.core.invoices import (
    InvoiceBasis,
    allocation_invoices,
    bases_total,
    invoicing_gaps,
    settlement_invoices,
)
from koordination.core.records import Record
from koordination.io.datadir import DataDir, load_network
from koordination.io.files import atomic_write, restore, restore_on_failure, run_lock
from koordination.io.records import record_in_force
from koordination.jobs.allocation import decided_allocation, run_settlement
from koordination.render.labels import Lang, label
from koordination.render.xlsx.invoices import file_name, invoices_workbook, single_invoice_workbook


@dataclass(frozen=True)
class InvoicesRun:
    """What was invoiced and written.

    Attributes:
        bases: one per member (and the administrator's own share), empty when nothing is due.
        total: the bases' totals summed. unit: the network's rounding unit.
        title: the title of the summary. written: the workbook, or the folder of --split files
        (None when there was nothing to write). files: how many files were written.
        decision: the record in force the amounts rest on (None: a proposal).
        notes: the invoicing details network.yaml does not give, one line each.
    """

    bases: tuple[InvoiceBasis, ...]
    total: Decimal
    unit: Decimal
    title: str
    written: Path | None
    files: int
    decision: Record | None = None
    notes: tuple[str, ...] = ()


def run_invoices(data: DataDir, year: int, day: date, settlement: bool, split: bool,
                 output: Path | None, lang: Lang, write: bool = True) -> InvoicesRun:
    """The invoice bases dated ``day`` of ``year``'s fees (or with ``settlement`` its
    settlement), written (unless ``write`` is False) to ``output`` or the year's reports
    folder; with the decision they rest on and notes on missing invoicing details."""
    if output is not None:
        data.check_output(output, folder=split)
    network = load_network(data)
    decision = record_in_force(data, year)
    notes = tuple(f"note: {data.network_file}: {gap}" for gap in invoicing_gaps(network))
    name = network.name
    if settlement:
        settled = run_settlement(data, year, network).settlement
        refuse_forecast(settled, "a settlement invoice", str(data.year_file(
            data.actuals, year, "actuals file")))
        unit = settled.plan.unit
        bases = settlement_invoices(settled, day,
                                    label("inv_settle_text", lang, name=name, year=year))
        title = label("title_settlement_invoices", lang, name=name, year=year)
        stem = f"fakturaunderlag-avrakning-{year}"
    else:
        alloc = decided_allocation(data, year, network).allocation  # a decided year: its record's
        unit = alloc.plan.unit
        bases = allocation_invoices(
            alloc, day, label("inv_fee_text", lang, name=name, year=year),
            label("inv_carried_text", lang, year=year - 1),
        )
        title = label("title_invoices", lang, name=name, year=year)
        stem = f"fakturaunderlag-{year}"
    if not bases:
        return InvoicesRun((), Decimal(0), unit, title, None, 0, decision, notes)
    sender = network.invoicing
    if split:
        target = output or data.reports(year) / stem
        files = {target / file_name(b): single_invoice_workbook(b, name, lang, decision, sender)
                 for b in bases}
    else:
        target = output or data.reports(year) / f"{stem}.xlsx"
        files = {target: invoices_workbook(bases, name, year, lang, title, decision, sender)}
    if not write:
        return InvoicesRun(tuple(bases), bases_total(bases), unit, title, None, 0, decision,
                           notes)
    with run_lock(data.root):
        saved = restore_on_failure(list(files))  # a failed run leaves nothing new
        try:
            for path, content in files.items():
                atomic_write(path, content)
        except BaseException:
            restore(saved)
            raise
    return InvoicesRun(tuple(bases), bases_total(bases), unit, title, target, len(files),
                       decision, notes)
