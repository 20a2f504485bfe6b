"""Invoice bases as a workbook: a summary sheet and one sheet per invoice, credit note or the
administrator's own share (or one workbook per member with ``--split``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta

from koordination import __version__
from koordination.core.invoices import InvoiceBasis
from koordination.core.models import Invoicing
from koordination.core.money import to_decimal
from koordination.core.records import Record, SettlementRecord
from koordination.render.labels import Lang, label
from koordination.render.standing import short_standing, standing
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    DATE,
    HEADER_ALIGN,
    HEADER_FILL,
    INT,
    KR,
    KR_ORE,
    LEFT,
    PCT,
    TITLE,
    TOP,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    Book,
    Look,
    Sheet,
    a4,
    formula,
    freeze,
    header_row,
    height,
    merge,
    new_workbook,
    page_frame,
    print_area,
    put,
    repeat_rows,
    text_height,
    to_bytes,
    total,
    widths,
)

SHEET_NAME_MAX = 31


def money_fmt(bases: Sequence[InvoiceBasis]) -> str:
    whole = all(line.amount == line.amount.to_integral_value() for b in bases for line in b.lines)
    return KR if whole else KR_ORE


def kind(basis: InvoiceBasis, lang: Lang) -> str:
    if basis.own_share:
        return label("kind_own_share", lang)
    if basis.draft:
        return label("kind_draft_credit" if basis.is_credit else "kind_draft", lang)
    return label("kind_credit" if basis.is_credit else "kind_invoice", lang)


def sheet_name(basis: InvoiceBasis, lang: Lang, taken: set[str]) -> str:
    """The member's name (the own share marked), within Excel's 31 characters, unique."""
    name = basis.recipient.short
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
    ``kreditfaktura-...`` for a credit note; ``fakturaunderlag-2015-0162-2-danderyd.xlsx``,
    ``kreditfaktura-2015-0162-K1-danderyd.xlsx`` for a member's later documents)."""
    ascii_name = unicodedata.normalize("NFKD", basis.recipient.short).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.decode().lower()).strip("-")
    stem = ("egen-andel" if basis.own_share
            else "kreditfaktura" if basis.is_credit else "fakturaunderlag")
    code = basis.recipient.code
    # a member's later documents keep their number's ending: -2, -K1 (a settlement's -A2)
    tail = (basis.reference or "").partition(f"-{basis.year}-{code}")[2]
    if basis.basis == "settlement" and tail.startswith("-A"):
        tail = tail[2:]
    if tail and not tail.startswith("-"):
        tail = "-" + tail
    return f"{stem}-{basis.year}-{code}{tail}-{slug}.xlsx"


def invoices_workbook(bases: Sequence[InvoiceBasis], network_name: str, year: int,
                      lang: Lang, title: str | None = None,
                      decision: Record | SettlementRecord | None = None,
                      sender: Invoicing | None = None) -> bytes:
    """A summary sheet (headed ``title``, by default the fee year's), then one sheet per
    basis (the own share last). ``decision`` is the record the amounts rest on (None: a
    proposal); ``sender`` the administrator's invoicing details."""
    wb = new_workbook(date(year, 1, 1))
    heading = title or label("title_invoices", lang, name=network_name, year=year)
    details = sender or Invoicing()
    summary_sheet(wb, bases, network_name, year, heading, lang, decision)
    taken = {wb.sheets[0].title.lower()}
    fmt = money_fmt(bases)
    for basis in bases:
        basis_sheet(wb, basis, network_name, lang, sheet_name(basis, lang, taken), fmt,
                    decision, details)
    return to_bytes(wb)


def single_invoice_workbook(basis: InvoiceBasis, network_name: str, lang: Lang,
                            decision: Record | SettlementRecord | None = None,
                            sender: Invoicing | None = None) -> bytes:
    """One basis alone, for ``--split``."""
    wb = new_workbook(date(basis.year, 1, 1))
    basis_sheet(wb, basis, network_name, lang, sheet_name(basis, lang, set()), money_fmt([basis]),
                decision, sender or Invoicing())
    return to_bytes(wb)


def status(decision: Record | SettlementRecord | None, lang: Lang, draft: bool) -> str:
    """The page header's status: what the documents rest on, or on a draft "UTKAST – inte
    en faktura" (on every printed page)."""
    return label("inv_draft", lang) if draft else short_standing(decision, lang)


def frame(ws: Sheet, network_name: str, year: int, lang: Lang,
          decision: Record | SettlementRecord | None, draft: bool = False) -> None:
    a4(ws)
    page_frame(ws, f"{network_name} {year}", label("footer_version", lang, version=__version__),
               label("page_of", lang), status(decision, lang, draft))


#: The summary's columns: heading, width, and whether a draft shows it. A draft has no number,
#: OCR reference or due date and corrects no invoice: its summary leaves those columns out.
SUMMARY_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("inv_reference", 17, False), ("col_kind", 25, True), ("inv_recipient", 23, True),
    ("inv_orgnr_short", 13, True), ("inv_ocr", 13, False), ("col_amount_kr", 13, True),
    ("inv_date", 14, True), ("inv_due", 15, False), ("inv_corrects", 17, False))


def _summary_cells(basis: InvoiceBasis, lang: Lang, fmt: str
                   ) -> dict[str, tuple[object, str | None]]:
    """A basis's cells in the summary, by column, with their number formats."""
    return {
        "inv_reference": (basis.reference, None), "col_kind": (kind(basis, lang), None),
        "inv_recipient": (basis.recipient.name, None),
        "inv_orgnr_short": (basis.recipient.orgnr or "", None),
        "inv_ocr": (basis.ocr or "", None), "col_amount_kr": (basis.total, fmt),
        "inv_date": (None if basis.own_share else basis.invoice_date, DATE),
        "inv_due": (basis.due_date, DATE if basis.due_date else None),
        "inv_corrects": (basis.corrects or "", None)}


def summary_sheet(wb: Book, bases: Sequence[InvoiceBasis], network_name: str, year: int,
                  title: str, lang: Lang, decision: Record | SettlementRecord | None) -> None:
    fmt = money_fmt(bases)
    ws = wb.sheet(label("sheet_summary", lang))
    put(ws, 1, 1, title, font=TITLE)
    if bases:
        first = bases[0]
        put(ws, 2, 1, f"{label('inv_period', lang)}: "
            + label("inv_period_value", lang, start=first.start.isoformat(),
                    end=first.end.isoformat()))
        put(ws, 3, 1, f"{label('inv_sender', lang)}: {first.sender.name}")
    put(ws, 4, 1, f"{label('st_label', lang)}: {standing(decision, lang)}", font=BOLD)
    draft = any(b.draft for b in bases)
    if draft:
        put(ws, 5, 1, label("inv_draft_note", lang), font=BOLD)
    columns = [key for key, _, on_draft in SUMMARY_COLUMNS if on_draft or not draft]
    amount = columns.index("col_amount_kr") + 1
    head = 6
    header_row(ws, head, [label(key, lang) for key in columns])
    height(ws, head, 30)
    row = head + 1
    for basis in bases:
        cells = _summary_cells(basis, lang, fmt)
        for col, key in enumerate(columns, start=1):
            value, number_format = cells[key]
            put(ws, row, col, value, number_format, border=BOX)
        row += 1
    last = row - 1
    invoiced = [i for i, b in enumerate(bases, start=head + 1) if not b.own_share]
    own = [i for i, b in enumerate(bases, start=head + 1) if b.own_share]
    width = len(columns)
    for key, rows in (("inv_invoiced_total", invoiced), ("inv_own_total", own)):
        put(ws, row, 1, label(key, lang), border=BOX)
        for col in range(2, width + 1):
            put(ws, row, col, None, border=BOX)
        total(ws, row, amount, rows, fmt, border=BOX)
        row += 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in range(2, width + 1):
        put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    total(ws, row, amount, range(head + 1, max(last, head + 1) + 1), fmt, font=BOLD,
          fill=TOTAL_FILL, border=TOTAL_BOX)
    row += 2
    put(ws, row, 1, label("inv_vat", lang))
    widths(ws, [size for key, size, on_draft in SUMMARY_COLUMNS if on_draft or not draft])
    freeze(ws, head + 1)
    repeat_rows(ws, head)
    a4(ws, landscape=True)
    page_frame(ws, f"{network_name} {year}", label("footer_version", lang, version=__version__),
               label("page_of", lang), status(decision, lang, draft))


def _facts(basis: InvoiceBasis, lang: Lang, decision: Record | SettlementRecord | None,
           sender: Invoicing) -> list[tuple[str, object, str | None]]:
    """The head of an invoice basis: parties, references, dates. A detail the buyer needs
    that network.yaml does not give is printed as "saknas" ("missing"), never left out; a
    draft has no number, OCR reference or due date."""
    facts: list[tuple[str, object, str | None]] = []
    missing = label("inv_missing", lang)

    def add(key: str, value: object, number_format: str | None = None) -> None:
        if value:
            facts.append((label(key, lang), value, number_format))

    def needed(key: str, value: str | None) -> None:
        facts.append((label(key, lang), value or missing, None))

    own = basis.own_share
    add("inv_municipality" if own else "inv_sender", basis.sender.name)
    if own:
        add("inv_orgnr", basis.sender.orgnr)
    else:
        needed("inv_orgnr", basis.sender.orgnr)
        needed("inv_sender_address", sender.address)
        needed("inv_our_reference", sender.contact)
        if sender.bankgiro or not sender.plusgiro:
            needed("inv_bankgiro", sender.bankgiro)
        add("inv_plusgiro", sender.plusgiro)
        facts.append(("", None, None))
        add("inv_recipient", basis.recipient.name)
        needed("inv_orgnr", basis.recipient.orgnr)
        needed("inv_address", basis.recipient.address)
        needed("inv_your_reference", basis.recipient.reference)
    facts.append(("", None, None))
    if not own and not basis.draft:
        add("inv_number", basis.reference)
        needed("inv_ocr", basis.ocr)
    if not own:
        add("inv_date", basis.invoice_date, DATE)
    if basis.due_date is not None:
        add("inv_due", basis.due_date, DATE)
        if basis.terms_days is not None:
            moved = basis.invoice_date + timedelta(days=basis.terms_days) != basis.due_date
            facts.append(("", label("inv_terms_moved" if moved else "inv_terms", lang,
                                    days=basis.terms_days), None))
    if basis.corrects:
        date_text = basis.corrects_date.isoformat() if basis.corrects_date else ""
        add("inv_corrects" if basis.is_credit else "inv_changes",
            label("inv_invoice_of", lang, number=basis.corrects, date=date_text)
            if date_text else basis.corrects)
    add("inv_period", label("inv_period_value", lang, start=basis.start.isoformat(),
                            end=basis.end.isoformat()))
    add("st_label", standing(decision, lang))
    return facts


#: Characters that fit in columns B to D of an invoice basis (widths 22 + 12 + 18).
FACT_WIDTH = 50
#: Characters of a note that fit on one line over columns A to D (widths 34 + 22 + 12 + 18).
NOTE_WIDTH = 80
#: Characters of a line's description that fit on one line over columns A to C.
LINE_WIDTH = 66
_THIN = {"color": BOX["border_color"], "style": 1}  # BOX's line
_DARK = {"color": TOTAL_BOX["top_color"], "style": 2}  # TOTAL_BOX's top and bottom


def _sides(left: dict[str, object] | None, right: dict[str, object] | None,
           edge: dict[str, object]) -> Look:
    """A border with ``edge`` on top and bottom and the given left and right sides."""
    look: dict[str, object] = {"top": edge["style"], "top_color": edge["color"],
                               "bottom": edge["style"], "bottom_color": edge["color"]}
    for side, line in (("left", left), ("right", right)):
        if line is not None:
            look[side], look[f"{side}_color"] = line["style"], line["color"]
    return look


#: Columns A to C drawn as one box (as BOX and TOTAL_BOX draw one cell) without merging them:
#: the left cell, the middle one and the right one.
SPAN_BOX = (_sides(_THIN, None, _THIN), _sides(None, None, _THIN), _sides(None, _THIN, _THIN))
SPAN_TOTAL_BOX = (_sides(_THIN, None, _DARK), _sides(None, None, _DARK),
                  _sides(None, _THIN, _DARK))


def _span(ws: Sheet, row: int, text: str, box: tuple[Look, Look, Look], font: Look | None = None,
          fill: Look | None = None, alignment: Look | None = None) -> None:
    """``text`` in column A of a box over columns A to C: one line of text runs over the empty
    cells beside it, so the row prints as a merged range would (merging is slow to write in
    a workbook of many bases)."""
    for col, (value, border) in enumerate(((text, box[0]), (None, box[1]), (None, box[2])),
                                          start=1):
        put(ws, row, col, value, font=font, fill=fill, border=border, alignment=alignment)


def basis_sheet(wb: Book, basis: InvoiceBasis, network_name: str, lang: Lang, title: str,
                fmt: str, decision: Record | SettlementRecord | None = None,
                sender: Invoicing | None = None) -> None:
    ws = wb.sheet(title)
    heading = ("title_own_share" if basis.own_share
               else "title_credit" if basis.is_credit else "title_invoice")
    put(ws, 1, 1, label(heading, lang), font=TITLE)
    subject = label("inv_subject", lang, name=network_name, year=basis.year)
    if basis.draft:
        subject = f"{label('inv_draft', lang)}. {subject}"
    put(ws, 2, 1, subject, font=BOLD if basis.draft else None)
    row = 4
    for name, value, number_format in _facts(basis, lang, decision, sender or Invoicing()):
        if name:
            put(ws, row, 1, name, font=BOLD, alignment=TOP)
        if isinstance(value, str):
            if len(value) <= FACT_WIDTH and "\n" not in value:
                # one line that fits columns B to D runs over their empty cells: it prints
                # as a merged range would, and a workbook of many bases stays quick to write
                put(ws, row, 2, value, alignment=LEFT)
            else:
                # the text has columns B to D, wrapped: an address or a decision is never cut
                put(ws, row, 2, value, alignment={**LEFT, **WRAP})
                merge(ws, row, 2, row, 4)
                height(ws, row, text_height(value, FACT_WIDTH))
        elif value is not None:
            put(ws, row, 2, value, number_format, alignment=LEFT)
        row += 1
    row += 1
    header = row
    _span(ws, header, label("col_description", lang), SPAN_BOX, font=BOLD, fill=HEADER_FILL,
          alignment=HEADER_ALIGN)
    put(ws, header, 4, label("col_amount_kr", lang), font=BOLD, fill=HEADER_FILL, border=BOX,
        alignment=HEADER_ALIGN)
    row += 1
    for line in basis.lines:
        if len(line.description) <= LINE_WIDTH and "\n" not in line.description:
            _span(ws, row, line.description, SPAN_BOX, alignment=TOP)
        else:  # wrapped over columns A to C: a long description is never cut
            put(ws, row, 1, line.description, border=BOX, alignment=WRAP)
            merge(ws, row, 1, row, 3)
            height(ws, row, text_height(line.description, LINE_WIDTH))
        put(ws, row, 4, line.amount, fmt, border=BOX)
        row += 1
    total_key = ("inv_own_total" if basis.own_share
                 else "inv_to_credit" if basis.is_credit else "inv_to_pay")
    _span(ws, row, label(total_key, lang), SPAN_TOTAL_BOX, font=BOLD, fill=TOTAL_FILL)
    total(ws, row, 4, range(header + 1, row), fmt, font=BOLD, fill=TOTAL_FILL,
          border=TOTAL_BOX)
    row += 2
    row = computation(ws, row, basis, lang, fmt)
    notes = []
    if basis.draft:
        notes.append(label("inv_draft_note", lang))
    if basis.own_share:
        notes.append(label("own_share_note", lang))
    elif basis.is_credit:
        notes.append(label("credit_note", lang, invoice=basis.corrects) if basis.corrects
                     else label("credit_note_refund", lang))
    notes.append(label("inv_vat", lang))
    for note in notes:
        if len(note) <= NOTE_WIDTH and "\n" not in note:
            # one line runs over the empty columns B to D: it prints as a merged range would
            put(ws, row, 1, note, alignment=TOP)
        else:
            put(ws, row, 1, note, alignment=WRAP)
            merge(ws, row, 1, row, 4)
        height(ws, row, text_height(note, NOTE_WIDTH))
        row += 1
    widths(ws, [34, 22, 12, 18])
    print_area(ws, row, 4)
    frame(ws, network_name, basis.year, lang, decision, basis.draft)


def computation(ws: Sheet, row: int, basis: InvoiceBasis, lang: Lang, fmt: str) -> int:
    """"Så har beloppet räknats": for each computed line the amount shared, the figures of
    the key, the exact share (two decimals), the rounding and the amount, which the
    spreadsheet adds up (``=exact + rounding``). Returns the next free row."""
    computed = [line for line in basis.lines if line.base is not None]
    if not computed:
        return row
    put(ws, row, 1, label("inv_computation", lang), font=BOLD)
    row += 1
    for line in computed:
        day = line.population_date.isoformat() if line.population_date else ""
        steps: list[tuple[str, object, str]] = [(label("inv_base", lang), line.base, fmt)]
        if line.population is not None:
            steps.append((label("inv_population", lang, date=day), line.population, INT))
        if line.population_total is not None:
            steps.append((label("inv_population_total", lang, date=day),
                          line.population_total, INT))
        if line.days is not None:
            steps.append((label("inv_days", lang), line.days, INT))
        if line.percent is not None:
            steps.append((label("inv_share", lang), line.percent / 100, PCT))
        for name, value, number_format in steps:
            put(ws, row, 1, name)
            put(ws, row, 4, value, number_format)
            row += 1
        if line.exact is not None:
            exact = to_decimal(line.exact, 2)
            how = ("inv_exact_population" if line.population_total is not None
                   and line.days is None else "inv_exact")
            put(ws, row, 1, label(how, lang))
            put(ws, row, 4, exact, KR_ORE)
            put(ws, row + 1, 1, label("inv_rounding", lang))
            put(ws, row + 1, 4, line.amount - exact, "+#,##0.00;−#,##0.00;0.00")
            put(ws, row + 2, 1, line.description, font=BOLD)
            formula(ws, row + 2, 4, f"=D{row}+D{row + 1}", fmt, line.amount, font=BOLD)
            row += 3
        else:
            put(ws, row, 1, line.description, font=BOLD)
            put(ws, row, 4, line.amount, fmt, font=BOLD)
            row += 1
    return row + 1

