"""The comparison workbook of ``kn compare YEAR_A YEAR_B``."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter

from koordination import __version__
from koordination.core.compare import Comparison
from koordination.render.labels import Lang, label
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    INT,
    PCT,
    TITLE,
    TOTAL_FILL,
    WRAP,
    a4,
    formula,
    header_row,
    money_format,
    new_workbook,
    put,
    to_bytes,
    widths,
)

FIRST_ROW = 5


def compare_workbook(comp: Comparison, lang: Lang) -> bytes:
    """Kommun | Kommunkod | Befolkning A | Befolkning B | Förändring befolkning | Avgift A |
    Avgift B | Förändring kr | Förändring % | Anmärkning, with a total row."""
    a, b = comp.year_a, comp.year_b
    fmt = money_format(comp.unit)
    wb = new_workbook()
    ws = wb.create_sheet(label("sheet_compare", lang, a=a, b=b))
    put(ws, 1, 1, label("title_compare", lang, name=comp.network, a=a, b=b), font=TITLE)
    put(ws, 2, 1, label("compare_basis", lang, a=a, b=b, date_a=comp.population_date_a,
                        date_b=comp.population_date_b))
    header_row(ws, 4, [
        label("col_kommun", lang), label("col_code", lang),
        label("col_population_year", lang, year=a), label("col_population_year", lang, year=b),
        label("col_population_change", lang),
        label("col_fee_year", lang, year=a), label("col_fee_year", lang, year=b),
        label("col_change_kr", lang), label("col_change_pct", lang), label("col_note", lang),
    ])
    row = FIRST_ROW
    for m in comp.members:
        put(ws, row, 1, m.name, border=BOX)
        put(ws, row, 2, m.code, border=BOX)
        put(ws, row, 3, m.a.population if m.a else None, INT, border=BOX)
        put(ws, row, 4, m.b.population if m.b else None, INT, border=BOX)
        put(ws, row, 5, m.population_change, INT, border=BOX)
        put(ws, row, 6, m.a.fee if m.a else None, fmt, border=BOX)
        put(ws, row, 7, m.b.fee if m.b else None, fmt, border=BOX)
        put(ws, row, 8, m.fee_change, fmt, border=BOX)
        pct = m.fee_change_percent
        put(ws, row, 9, None if pct is None else pct / 100, PCT, border=BOX)
        note = ""
        if m.a is None:
            note = label("only_in", lang, year=b)
        elif m.b is None:
            note = label("only_in", lang, year=a)
        put(ws, row, 10, note, border=BOX, alignment=WRAP)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    put(ws, row, 2, None, fill=TOTAL_FILL, border=BOX)
    for col, number_format in ((3, INT), (4, INT), (6, fmt), (7, fmt), (8, fmt)):
        letter = get_column_letter(col)
        formula(ws, row, col, f"=SUM({letter}{FIRST_ROW}:{letter}{last})", number_format,
                font=BOLD, fill=TOTAL_FILL, border=BOX)
    formula(ws, row, 5, f"=D{row}-C{row}", INT, font=BOLD, fill=TOTAL_FILL, border=BOX)
    total_pct = comp.total_change_percent
    put(ws, row, 9, None if total_pct is None else total_pct / Decimal(100), PCT, font=BOLD,
        fill=TOTAL_FILL, border=BOX)
    put(ws, row, 10, None, fill=TOTAL_FILL, border=BOX)
    put(ws, row + 2, 1, label("version", lang, version=__version__))
    widths(ws, [22, 11, 15, 15, 14, 16, 16, 15, 13, 24])
    ws.row_dimensions[4].height = 32
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)
    a4(ws, landscape=True)
    ws.print_title_rows = "4:4"
    return to_bytes(wb)
