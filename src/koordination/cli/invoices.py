"""``kn invoices YEAR``: an invoice basis per member, the administrator's own share apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    LangOption,
    Language,
    YearArgument,
    parse_date,
    reports_errors,
)

InvoiceOutOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", show_default=False,
                 help="Write the workbook here (with --split: a directory for the files)."),
]
SplitOption = Annotated[
    bool, typer.Option("--split", help="Write one workbook per member instead of one sheet each.")
]
SettlementOption = Annotated[
    bool, typer.Option("--settlement",
                       help="Invoice YEAR's settlement (kn settle) instead of its fees: "
                       "overruns and one-off costs as invoices, refunds as credit notes.")
]
InvoiceDateOption = Annotated[
    date | None,
    typer.Option("--invoice-date", parser=parse_date, metavar="YYYY-MM-DD", show_default=False,
                 help="Date of the invoices, YYYY-MM-DD (default: today); the due date is "
                 "this date plus the network's payment_days (default 30)."),
]


def register(app: typer.Typer) -> None:
    app.command("invoices")(invoices_command)


@reports_errors
def invoices_command(
    year: YearArgument,
    data: DataOption = None,
    output: InvoiceOutOption = None,
    split: SplitOption = False,
    invoice_date: InvoiceDateOption = None,
    settlement: SettlementOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Write the invoice basis (fakturaunderlag) of every member for YEAR's fees, or with
    --settlement for YEAR's settlement."""
    from rich.table import Table

    from koordination.core.invoices import allocation_invoices, settlement_invoices
    from koordination.io.datadir import DataDir
    from koordination.io.files import atomic_write, run_lock
    from koordination.render.labels import label
    from koordination.render.text.tables import console, kr
    from koordination.render.xlsx.invoices import (
        file_name,
        invoices_workbook,
        kind,
        single_invoice_workbook,
    )

    lg = lang.code
    data_dir = DataDir.resolve(data)
    if output is not None:
        data_dir.check_output(output, folder=split)
    day = invoice_date or date.today()
    if settlement:
        from koordination.jobs.allocation import run_settlement

        settled = run_settlement(data_dir, year).settlement
        plan = settled.plan
        name = plan.network.name
        bases = settlement_invoices(settled, day,
                                    label("inv_settle_text", lg, name=name, year=year))
        title = label("title_settlement_invoices", lg, name=name, year=year)
        stem = f"fakturaunderlag-avrakning-{year}"
    else:
        from koordination.jobs.allocation import decided_allocation

        alloc = decided_allocation(data_dir, year).allocation
        plan = alloc.plan
        name = plan.network.name
        bases = allocation_invoices(
            alloc, day, label("inv_fee_text", lg, name=name, year=year),
            label("inv_carried_text", lg, year=year - 1),
        )
        title = label("title_invoices", lg, name=name, year=year)
        stem = f"fakturaunderlag-{year}"
    if not bases:
        console().print(label("inv_nothing", lg, year=year))
        return
    if split:
        target = output or data_dir.reports(year) / stem
        files = {target / file_name(b): single_invoice_workbook(b, name, lg) for b in bases}
        with run_lock(data_dir.root):
            for path, content in files.items():
                atomic_write(path, content)
        written = label("written_files", lg, count=len(files), path=target)
    else:
        target = output or data_dir.reports(year) / f"{stem}.xlsx"
        content = invoices_workbook(bases, name, year, lg, title)
        with run_lock(data_dir.root):
            atomic_write(target, content)
        written = label("written", lg, path=target)
    unit = plan.unit
    table = Table(title=title, show_footer=True)
    table.add_column(label("inv_reference", lg), label("total", lg))
    table.add_column(label("col_kind", lg))
    table.add_column(label("inv_recipient", lg))
    table.add_column(label("col_amount_plain", lg), kr(sum(b.total for b in bases), unit, lang=lg),
                     justify="right")
    table.add_column(label("inv_due", lg))
    for b in bases:
        table.add_row(b.reference, kind(b, lg), b.recipient.name, kr(b.total, unit, lang=lg),
                      b.due_date.isoformat() if b.due_date else "")
    out = console()
    out.print(table)
    out.print(written, soft_wrap=True, markup=False)
