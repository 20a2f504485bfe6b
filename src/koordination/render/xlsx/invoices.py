"""Invoice bases as a workbook: a summary sheet and one sheet per invoice, credit note or the
administrator's own share (or one workbook per member with ``--split``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from koordination import __version__
from koordination.core.invoices import InvoiceBasis
from koordination.render.labels import Lang, label
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    PCT,
    TITLE,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    a4,
    formula,
    header_row,
    new_workbook,
    page_frame,
    put,
    to_bytes,
    widths,
)

DATE = "yyyy-mm-dd"
LEFT = Alignment(horizontal="left")
INT = "#,##0"
SHEET_NAME_MAX = 31


def money_fmt(bases: Sequence[InvoiceBasis]) -> str:
    whole = all(line.amount == line.amount.to_integral_value() for b in bases for line in b.lines)
    return "#,##0" if whole else "#,##0.00"


def kind(basis: InvoiceBasis, lang: Lang) -> str:
    if basis.own_share:
        return label("kind_own_share", lang)
    return label("kind_credit" if basis.is_credit else "kind_invoice", lang)


def sheet_name(basis: InvoiceBasis, lang: Lang, taken: set[str]) -> str:
    """The member's name (the own share marked), within Excel's 31 characters, unique."""
    name = basis.recipient.name
    if basis.own_share:
        name = label("sheet_own_share", lang, name=name)
    name = re.sub(r"[\[\]:*?/\\]", "-", name)[:SHEET_NAME_MAX]
    candidate, n = name, 2
    while candidate.lower() in taken:
        candidate = f"{name[:SHEET_NAME_MAX - 4]} ({n})"
        n += 1
    taken.add(candidate.lower())
    return candidate


def file_name(basis: InvoiceBasis) -> str:
    """``fakturaunderlag-2015-0162-danderyd.xlsx`` (``egen-andel-...`` for the own share,
    ``kreditfaktura-...`` for a credit note)."""
    ascii_name = unicodedata.normalize("NFKD", basis.recipient.name).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-")
    stem = ("egen-andel" if basis.own_share
            else "kreditfaktura" if basis.is_credit else "fakturaunderlag")
    return f"{stem}-{basis.year}-{basis.recipient.code}-{slug}.xlsx"


def invoices_workbook(bases: Sequence[InvoiceBasis], network_name: str, year: int,
                      lang: Lang, title: str | None = None) -> bytes:
    """A summary sheet (headed ``title``, by default the fee year's), then one sheet per
    basis (the own share last)."""
    wb = new_workbook()
    heading = title or label("title_invoices", lang, name=network_name, year=year)
    summary_sheet(wb, bases, network_name, year, heading, lang)
    taken = {wb.worksheets[0].title.lower()}
    for basis in bases:
        basis_sheet(wb, basis, network_name, lang, sheet_name(basis, lang, taken),
                    money_fmt(bases))
    return to_bytes(wb)


def single_invoice_workbook(basis: InvoiceBasis, network_name: str, lang: Lang) -> bytes:
    """One basis alone, for ``--split``."""
    wb = new_workbook()
    basis_sheet(wb, basis, network_name, lang, sheet_name(basis, lang, set()), money_fmt([basis]))
    return to_bytes(wb)


def frame(ws: Worksheet, network_name: str, year: int, lang: Lang) -> None:
    a4(ws)
    page_frame(ws, f"{network_name} {year}", label("footer_version", lang, version=__version__),
               label("page_of", lang))


def summary_sheet(wb: Workbook, bases: Sequence[InvoiceBasis], network_name: str, year: int,
                  title: str, lang: Lang) -> None:
    fmt = money_fmt(bases)
    ws = wb.create_sheet(label("sheet_summary", lang))
    put(ws, 1, 1, title, font=TITLE)
    if bases:
        first = bases[0]
        put(ws, 2, 1, f"{label('inv_period', lang)}: "
            + label("inv_period_value", lang, start=first.start.isoformat(),
                    end=first.end.isoformat()))
        put(ws, 3, 1, f"{label('inv_sender', lang)}: {first.sender.name}")
    header_row(ws, 5, [label(k, lang) for k in (
        "inv_reference", "col_kind", "inv_recipient", "inv_orgnr_short", "col_amount_kr",
        "inv_date", "inv_due")])
    ws.row_dimensions[5].height = 30
    row = 6
    for basis in bases:
        put(ws, row, 1, basis.reference, border=BOX)
        put(ws, row, 2, kind(basis, lang), border=BOX)
        put(ws, row, 3, basis.recipient.name, border=BOX)
        put(ws, row, 4, basis.recipient.orgnr or "", border=BOX)
        put(ws, row, 5, basis.total, fmt, border=BOX)
        put(ws, row, 6, basis.invoice_date, DATE, border=BOX)
        put(ws, row, 7, basis.due_date, DATE if basis.due_date else None, border=BOX)
        row += 1
    last = row - 1
    invoiced = [i for i, b in enumerate(bases, start=6) if not b.own_share]
    own = [i for i, b in enumerate(bases, start=6) if b.own_share]
    for key, rows in (("inv_invoiced_total", invoiced), ("inv_own_total", own)):
        put(ws, row, 1, label(key, lang), border=BOX)
        for col in range(2, 8):
            put(ws, row, col, None, border=BOX)
        cells = ",".join(f"E{r}" for r in rows) or "0"
        formula(ws, row, 5, f"=SUM({cells})", fmt, border=BOX)
        row += 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in range(2, 8):
        put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    formula(ws, row, 5, f"=SUM(E6:E{max(last, 6)})", fmt, font=BOLD, fill=TOTAL_FILL,
            border=TOTAL_BOX)
    row += 2
    put(ws, row, 1, label("inv_vat", lang))
    widths(ws, [16, 13, 18, 14, 14, 13, 14])
    ws.freeze_panes = "A6"
    ws.print_title_rows = "5:5"
    frame(ws, network_name, year, lang)


def basis_sheet(wb: Workbook, basis: InvoiceBasis, network_name: str, lang: Lang, title: str,
                fmt: str) -> None:
    ws = wb.create_sheet(title)
    heading = ("title_own_share" if basis.own_share
               else "title_credit" if basis.is_credit else "title_invoice")
    put(ws, 1, 1, label(heading, lang), font=TITLE)
    put(ws, 2, 1, label("inv_subject", lang, name=network_name, year=basis.year))
    missing = label("inv_orgnr_missing", lang)
    facts: list[tuple[str, object, str | None]] = [
        (label("inv_sender", lang), basis.sender.name, None),
        (label("inv_orgnr", lang), basis.sender.orgnr or missing, None),
        (label("inv_recipient", lang), basis.recipient.name, None),
        (label("inv_orgnr", lang), basis.recipient.orgnr or missing, None),
        ("", None, None),
        (label("inv_reference", lang), basis.reference, None),
        (label("inv_date", lang), basis.invoice_date, DATE),
    ]
    if basis.due_date is not None:
        days = (basis.due_date - basis.invoice_date).days
        facts.append((label("inv_due", lang), basis.due_date, DATE))
        facts.append(("", label("inv_terms", lang, days=days), None))
    facts.append((label("inv_period", lang),
                  label("inv_period_value", lang, start=basis.start.isoformat(),
                        end=basis.end.isoformat()), None))
    row = 4
    for name, value, number_format in facts:
        if name:
            put(ws, row, 1, name, font=BOLD)
        if value is not None:
            put(ws, row, 2, value, number_format, alignment=LEFT)
        row += 1
    row += 1
    header = row
    header_row(ws, header, [label("col_description", lang), "", "", label("col_amount_kr", lang)])
    ws.merge_cells(start_row=header, start_column=1, end_row=header, end_column=3)
    row += 1
    for line in basis.lines:
        put(ws, row, 1, line.description, border=BOX)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        put(ws, row, 4, line.amount, fmt, border=BOX)
        row += 1
    total_key = ("inv_own_total" if basis.own_share
                 else "inv_to_credit" if basis.is_credit else "inv_to_pay")
    put(ws, row, 1, label(total_key, lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    formula(ws, row, 4, f"=SUM(D{header + 1}:D{row - 1})", fmt, font=BOLD, fill=TOTAL_FILL,
            border=TOTAL_BOX)
    row += 2
    computed = [line for line in basis.lines if line.base is not None]
    if computed:
        put(ws, row, 1, label("inv_computation", lang), font=BOLD)
        row += 1
        for line in computed:
            steps: list[tuple[str, object, str]] = [(label("inv_base", lang), line.base, fmt)]
            day = line.population_date.isoformat() if line.population_date else ""
            if line.population is not None:
                steps.append((label("inv_population", lang, date=day), line.population, INT))
            if line.population_total is not None:
                steps.append((label("inv_population_total", lang, date=day),
                              line.population_total, INT))
            if line.days is not None:
                steps.append((label("inv_days", lang), line.days, INT))
            if line.percent is not None:
                steps.append((label("inv_share", lang), line.percent / 100, PCT))
            steps.append((line.description, line.amount, fmt))
            for name, value, number_format in steps:
                put(ws, row, 1, name)
                put(ws, row, 4, value, number_format)
                row += 1
        row += 1
    notes = []
    if basis.own_share:
        notes.append(label("own_share_note", lang))
    elif basis.is_credit:
        notes.append(label("credit_note", lang))
    notes.append(label("inv_vat", lang))
    for note in notes:
        put(ws, row, 1, note, alignment=WRAP)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 30 if len(note) > 70 else 15
        row += 1
    widths(ws, [34, 22, 12, 18])
    ws.print_area = f"A1:{get_column_letter(4)}{row}"
    frame(ws, network_name, basis.year, lang)
