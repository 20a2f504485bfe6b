"""``kn invoices YEAR``: an invoice basis per member, the administrator's own share apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
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
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Write the invoice basis (fakturaunderlag) of every member for YEAR's fees, or with
    --settlement for YEAR's settlement. Invoicing details network.yaml lacks (org numbers,
    references, giro) are notes on stderr, never printed on the invoices."""
    import sys

    from koordination.io.datadir import DataDir
    from koordination.jobs.invoices import run_invoices
    from koordination.render.labels import label
    from koordination.render.terminal import clean
    from koordination.render.text.invoices import invoices_table
    from koordination.render.text.tables import console, print_table

    lg = lang.code
    day = invoice_date or date.today()
    run = run_invoices(DataDir.resolve(data), year, day, settlement, split, output, lg,
                       write=not as_json or output is not None)
    if as_json:
        import json

        from koordination.render.json import invoices_json
        from koordination.render.terminal import json_text

        payload = invoices_json(run.bases, run.unit, run.decision)
        sys.stdout.write(json_text(json.dumps(payload, ensure_ascii=False)) + "\n")
        for note in run.notes:
            sys.stderr.write(clean(note, newlines=False) + "\n")
        return
    out = console()
    if not run.bases:
        out.print(label("inv_nothing", lg, year=year))
        return
    written = (label("written_files", lg, count=run.files, path=run.written) if split
               else label("written", lg, path=run.written))
    print_table(out, invoices_table(run.title, run.bases, run.total, run.unit, lg))
    out.print(written, soft_wrap=True, markup=False)
    for note in run.notes:
        sys.stderr.write(clean(note, newlines=False) + "\n")
