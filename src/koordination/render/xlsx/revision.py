"""The revision workbook: the revision's own decision, what was decided before, the inputs
that changed (each budget line, funding source, population or statistic from old to new),
and each member's decided, new and difference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.records import Record, input_changes, union
from koordination.render.labels import Lang, label
from koordination.render.text.decision import who
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    INT,
    KR_ORE,
    TITLE,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    Sheet,
    a4,
    freeze,
    header_row,
    height,
    merge,
    money_format,
    new_workbook,
    page_frame,
    put,
    repeat_rows,
    signed_format,
    text_height,
    to_bytes,
    total,
    widths,
)

SMALL = {"font_size": 8}
WIDTHS = [30, 26, 16, 16, 16]  # the amount columns as wide as their figures need


def revision_workbook(alloc: Allocation, record: Record, number: int, inputs: dict[str, str],
                      changed: list[str], lang: Lang, this: Record | None = None) -> bytes:
    """Beslutat | Ny | Differens per member, the inputs that changed and the files behind
    them. ``record`` is the record revised; ``this`` the revision's own decision (who, when,
    §)."""
    year = alloc.year
    fmt = money_format(alloc.plan.unit)
    signed = signed_format(fmt)
    wb = new_workbook(date(year, 1, 1))
    ws = wb.sheet(label("sheet_revision", lang, year=year, number=number))
    put(ws, 1, 1, label("title_revision", lang, name=alloc.plan.network.name, year=year,
                        number=number), font=TITLE)
    if this is not None:
        put(ws, 2, 1, label("rev_this", lang, date=this.decision_date, who=who(this)),
            font=BOLD)
    put(ws, 3, 1, label("revises", lang, what=record.path.name, date=record.decision_date,
                        who=who(record)))
    head = 5
    header_row(ws, head, [label(k, lang) for k in
                          ("col_kommun", "col_code", "col_decided", "col_new", "col_difference")])
    decided = record.amounts
    new = {m.code: m.amount for m in alloc.members}
    row = head + 1
    for code, name in union(record, alloc):
        put(ws, row, 1, name, border=BOX)
        put(ws, row, 2, code, border=BOX)
        put(ws, row, 3, decided.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 4, new.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 5, new.get(code, Decimal(0)) - decided.get(code, Decimal(0)), signed,
            border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    put(ws, row, 2, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in (3, 4, 5):
        total(ws, row, col, range(head + 1, last + 1), fmt if col < 5 else signed, font=BOLD,
              fill=TOTAL_FILL, border=TOTAL_BOX)
    row += 2
    row = _input_changes(ws, row, alloc, record, lang)
    row = _files(ws, row + 1, record, inputs, changed, lang)
    put(ws, row + 1, 1, label("version", lang, version=__version__))
    widths(ws, WIDTHS)
    height(ws, head, 32)
    freeze(ws, head + 1, 2)
    repeat_rows(ws, head)
    a4(ws)
    page_frame(ws, f"{alloc.plan.network.name} {year}",
               label("footer_version", lang, version=__version__), label("page_of", lang),
               label("st_revision_number", lang, number=number))
    return to_bytes(wb)


def _input_changes(ws: Sheet, row: int, alloc: Allocation, record: Record,
                   lang: Lang) -> int:
    """Each budget line, funding source, population or statistic from old to new; the row
    after the block."""
    put(ws, row, 1, label("rev_changes", lang), font=BOLD)
    row += 1
    if record.basis is None:
        text = label("rev_no_basis", lang)
        put(ws, row, 1, text, alignment=WRAP)
        merge(ws, row, 1, row, len(WIDTHS))
        height(ws, row, text_height(text, sum(WIDTHS) - 4))
        return row + 1
    changes = input_changes(record.basis, alloc)
    if not changes:
        put(ws, row, 1, label("rev_no_changes", lang))
        return row + 1
    header_row(ws, row, [label("col_input_kind", lang), label("col_input_what", lang),
                         label("col_decided", lang), label("col_new", lang),
                         label("col_difference", lang)])
    row += 1
    for change in changes:
        kind, _, name = change.kind.partition(" ")
        number_format: str | None = KR_ORE if kind in ("line", "funding") else INT
        if kind == "statistic":
            number_format = None  # as many decimals as the statistic has
        old = change.old if change.old is not None else 0
        new = change.new if change.new is not None else 0
        put(ws, row, 1, label(f"rev_kind_{kind}", lang, name=name), border=BOX, alignment=WRAP)
        put(ws, row, 2, change.what, border=BOX, alignment=WRAP)
        put(ws, row, 3, change.old, number_format, border=BOX)
        put(ws, row, 4, change.new, number_format, border=BOX)
        put(ws, row, 5, Decimal(new) - Decimal(old),
            signed_format(number_format) if number_format else None, border=BOX)
        lines = max(text_height(change.what, WIDTHS[1]),
                    text_height(label(f"rev_kind_{kind}", lang, name=name), WIDTHS[0]))
        if lines > 17:
            height(ws, row, lines)
        row += 1
    return row


def _files(ws: Sheet, row: int, record: Record, inputs: dict[str, str], changed: list[str],
           lang: Lang) -> int:
    """The input files that changed, each with its checksum at the decision and now (small,
    across the table's width, so that no checksum is cut); the row after the block."""
    put(ws, row, 1, label("changed_inputs", lang), font=BOLD)
    row += 1
    if not changed:
        put(ws, row, 1, label("no_changed_inputs", lang))
        return row + 1
    for name in changed:
        put(ws, row, 1, name, alignment=WRAP)
        put(ws, row, 2, label("rev_sha_decided", lang, sha=record.inputs.get(name, "—")),
            font=SMALL)
        merge(ws, row, 2, row, len(WIDTHS))
        put(ws, row + 1, 2, label("rev_sha_now", lang, sha=inputs.get(name, "—")), font=SMALL)
        merge(ws, row + 1, 2, row + 1, len(WIDTHS))
        row += 2
    return row
