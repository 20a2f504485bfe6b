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
DraftOption = Annotated[
    bool, typer.Option("--draft", help="Write drafts (UTKAST, not invoices: no number, OCR or "
                       "due date), also for a year or settlement not decided; nothing is "
                       "registered.")
]
PeppolOption = Annotated[
    Path | None,
    typer.Option("--peppol", metavar="DIR", show_default=False,
                 help="Also write each invoice and credit note as a Peppol BIS Billing 3.0 "
                 "document, DIR/NUMBER.xml."),
]
InvoiceDateOption = Annotated[
    date | None,
    typer.Option("--invoice-date", parser=parse_date, metavar="YYYY-MM-DD", show_default=False,
                 help="Date of the invoices issued now, YYYY-MM-DD (default: today); the "
                 "due date is this date plus invoicing.terms_days (default 30), moved to "
                 "the next Swedish bank day. Registered invoices keep their dates."),
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
    draft: DraftOption = False,
    peppol: PeppolOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
) -> None:
    """Issue the invoices (fakturaunderlag) of YEAR's decided fees, or with --settlement of
    its decided settlement, register them in decisions/invoices-YEAR.json and write them;
    after a revision, the corrections. Running again issues nothing new and writes the same
    documents. Invoicing details network.yaml lacks are printed as 'saknas'."""
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
                       write=not as_json or output is not None or peppol is not None,
                       draft=draft, peppol=peppol)
    if as_json:
        import json

        from koordination.render.json import invoices_json
        from koordination.render.terminal import json_text

        payload = invoices_json(run.bases, run.unit, run.decision, run.registered, run.draft)
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
    if run.peppol is not None:
        out.print(label("written_peppol", lg, count=run.peppol_files, path=run.peppol),
                  soft_wrap=True, markup=False)
    if run.draft:
        out.print(label("inv_drafts_note", lg), soft_wrap=True, markup=False)
    elif run.issued:
        out.print(label("inv_registered", lg, count=len(run.issued),
                        path=run.issued_register), soft_wrap=True, markup=False)
    else:
        out.print(label("inv_nothing_new", lg), soft_wrap=True, markup=False)
    for note in run.notes:
        sys.stderr.write(clean(note, newlines=False) + "\n")
