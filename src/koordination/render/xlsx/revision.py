"""The revision workbook: what was decided, what the inputs give now, and the difference."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.records import Record, union
from koordination.render.labels import Lang, label
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    TITLE,
    TOTAL_FILL,
    a4,
    freeze,
    header_row,
    money_format,
    new_workbook,
    page_frame,
    put,
    repeat_rows,
    to_bytes,
    total,
    widths,
)


def revision_workbook(alloc: Allocation, record: Record, number: int, inputs: dict[str, str],
                      changed: list[str], lang: Lang) -> bytes:
    """Beslutat | Ny | Differens per member, and the input files that changed."""
    year = alloc.year
    fmt = money_format(alloc.plan.unit)
    wb = new_workbook(date(year, 1, 1))
    ws = wb.sheet(label("sheet_revision", lang, year=year, number=number))
    put(ws, 1, 1, label("title_revision", lang, name=alloc.plan.network.name, year=year,
                        number=number), font=TITLE)
    who = ", ".join(p for p in (record.decided_by, record.ref) if p)
    put(ws, 2, 1, label("revises", lang, what=record.path.name, date=record.decision_date,
                        who=f" ({who})" if who else ""))
    header_row(ws, 4, [label(k, lang) for k in
                       ("col_kommun", "col_code", "col_decided", "col_new", "col_difference")])
    decided = record.amounts
    new = {m.code: m.amount for m in alloc.members}
    row = 5
    for code, name in union(record, alloc):
        put(ws, row, 1, name, border=BOX)
        put(ws, row, 2, code, border=BOX)
        put(ws, row, 3, decided.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 4, new.get(code, Decimal(0)), fmt, border=BOX)
        put(ws, row, 5, new.get(code, Decimal(0)) - decided.get(code, Decimal(0)), fmt,
            border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    put(ws, row, 2, None, fill=TOTAL_FILL, border=BOX)
    for col in (3, 4, 5):
        total(ws, row, col, range(5, last + 1), fmt, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    row += 2
    put(ws, row, 1, label("changed_inputs", lang), font=BOLD)
    row += 1
    if changed:
        header_row(ws, row, [label(k, lang) for k in ("col_file", "col_decided_sha",
                                                       "col_new_sha")])
        row += 1
        for name in changed:
            put(ws, row, 1, name)
            put(ws, row, 2, record.inputs.get(name, "—"))
            put(ws, row, 3, inputs.get(name, "—"))
            row += 1
    else:
        put(ws, row, 1, label("no_changed_inputs", lang))
        row += 1
    row += 1
    put(ws, row, 1, label("version", lang, version=__version__))
    widths(ws, [30, 12, 66, 66, 16])
    freeze(ws, 5, 2)
    repeat_rows(ws, 4)
    a4(ws, landscape=True)
    page_frame(ws, f"{alloc.plan.network.name} {year}",
               label("footer_version", lang, version=__version__), label("page_of", lang),
               label("st_revision_number", lang, number=number))
    return to_bytes(wb)
