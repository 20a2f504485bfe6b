"""The comparison workbook of ``kn compare YEAR_A YEAR_B``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koordination import __version__
from koordination.core.compare import Comparison
from koordination.core.records import Record
from koordination.render.labels import Lang, label
from koordination.render.standing import short_standing, standing
from koordination.render.text.compare import headline, year_notes
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    INT,
    PCT,
    TITLE,
    TOTAL_FILL,
    WRAP,
    Look,
    Sheet,
    a4,
    figure,
    formula,
    freeze,
    header_row,
    height,
    merge,
    money_format,
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

FIRST_ROW = 6
CHANGE = "+#,##0;−#,##0;0"
CHANGE_ORE = "+#,##0.00;−#,##0.00;0.00"
PER_INHABITANT = "#,##0.00"


def wrapped(ws: Sheet, row: int, text: str, sizes: list[int],
            font: Look | None = None) -> None:
    """``text`` wrapped across the table's width on ``row`` (never past the printed page)."""
    put(ws, row, 1, text, font=font, alignment=WRAP)
    merge(ws, row, 1, row, len(sizes))
    height(ws, row, text_height(text, sum(sizes) * 1.1))


def compare_workbook(comp: Comparison, lang: Lang,
                     decisions: tuple[Record | None, Record | None] = (None, None)) -> bytes:
    """Kommun | Kommunkod | Befolkning A | Befolkning B | Förändring befolkning | Avgift A |
    Avgift B | Förändring kr | of which from the total | of which from the share |
    Förändring % | kr per inhabitant and year A, B | Anmärkning, with a total row, then the
    notes a reader needs (population dates, partial or funded years, settlement carried in,
    members of one year) and what each year rests on (``decisions``: the records in force)."""
    a, b = comp.year_a, comp.year_b
    fmt = money_format(comp.unit)
    ta, tb = comp.total_a, comp.total_b
    wb = new_workbook(date(b, 1, 1))
    ws = wb.sheet(label("sheet_compare", lang, a=a, b=b))
    put(ws, 1, 1, label("title_compare", lang, name=comp.network, a=a, b=b), font=TITLE)
    put(ws, 2, 1, label("compare_basis", lang, a=a, b=b, date_a=comp.population_date_a,
                        date_b=comp.population_date_b))
    put(ws, 3, 1, f"{label('st_label', lang)}: "
        + "; ".join(f"{year}: {standing(record, lang)}"
                    for year, record in zip((a, b), decisions, strict=True)), font=BOLD)
    put(ws, 4, 1, headline(comp, lang), font=BOLD)
    head = FIRST_ROW - 1
    notes = any(m.a is None or m.b is None for m in comp.members)
    header_row(ws, head, [
        label("col_kommun", lang), label("col_code", lang),
        label("col_population_year", lang, year=a), label("col_population_year", lang, year=b),
        label("col_population_change", lang),
        label("col_fee_year_kr", lang, year=a), label("col_fee_year_kr", lang, year=b),
        label("col_change_kr", lang), label("col_from_total", lang),
        label("col_from_share", lang), label("col_change_pct", lang),
        label("col_per_inhabitant", lang, year=a), label("col_per_inhabitant", lang, year=b),
        *([label("col_note", lang)] if notes else []),
    ])
    row = FIRST_ROW
    for m in comp.members:
        pct = m.fee_change_percent
        values: list[tuple[object, str | None]] = [
            (m.name, None), (m.code, None),
            (m.a.population if m.a and not m.party else None, INT),
            (m.b.population if m.b and not m.party else None, INT),
            (m.population_change, "+#,##0;−#,##0;0"),
            (m.a.fee if m.a else None, fmt), (m.b.fee if m.b else None, fmt),
            (m.fee_change, CHANGE if comp.unit >= 1 else CHANGE_ORE),
            (m.change_from_total(ta, tb), CHANGE_ORE), (m.change_from_share(ta, tb), CHANGE_ORE),
            (None if pct is None else pct / 100, PCT),
            (m.a.per_inhabitant if m.a else None, PER_INHABITANT),
            (m.b.per_inhabitant if m.b else None, PER_INHABITANT),
        ]
        for col, (value, number_format) in enumerate(values, start=1):
            put(ws, row, col, value, number_format, border=BOX)
        if notes:
            note = ""
            if m.a is None:
                note = label("only_in", lang, year=b)
            elif m.b is None:
                note = label("only_in", lang, year=a)
            put(ws, row, 14, note, border=BOX, alignment=WRAP)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    put(ws, row, 2, None, fill=TOTAL_FILL, border=BOX)
    change = CHANGE if comp.unit >= 1 else CHANGE_ORE
    for col, number_format in ((3, INT), (4, INT), (6, fmt), (7, fmt), (8, change),
                               (9, CHANGE_ORE), (10, CHANGE_ORE)):
        total(ws, row, col, range(FIRST_ROW, last + 1), number_format,
                font=BOLD, fill=TOTAL_FILL, border=BOX)
    formula(ws, row, 5, f"=D{row}-C{row}", "+#,##0;−#,##0;0",
            figure(ws, row, 4) - figure(ws, row, 3), font=BOLD, fill=TOTAL_FILL, border=BOX)
    total_pct = comp.total_change_percent
    put(ws, row, 11, None if total_pct is None else total_pct / Decimal(100), PCT, font=BOLD,
        fill=TOTAL_FILL, border=BOX)
    for col in (12, 13, 14) if notes else (12, 13):
        put(ws, row, col, None, fill=TOTAL_FILL, border=BOX)
    row += 2
    put(ws, row, 1, label("compare_notes", lang), font=BOLD)
    # Narrow columns under wrapped headers, so that the page prints at a readable scale on
    # A4 landscape in both languages; the note column only when a member was in one year.
    name_width = max([12, *(len(m.name) + 2 for m in comp.members)])
    sizes = [name_width, 11, 10, 10, 10, 11, 11, 10, 12, 12, 11, 10, 10, *([16] if notes else [])]
    for note in year_notes(comp, lang):
        row += 1
        wrapped(ws, row, note, sizes)
    for top in (2, 3, 4):  # basis, decisions, headline: wrapped within the table's width
        wrapped(ws, top, str(ws.values.get((top, 1), "")), sizes,
                font=None if top == 2 else BOLD)
    put(ws, row + 2, 1, label("version", lang, version=__version__))
    widths(ws, sizes)
    print_area(ws, row + 2, len(sizes))
    height(ws, head, 62)
    freeze(ws, FIRST_ROW, 2)
    a4(ws, landscape=True)
    repeat_rows(ws, head)
    status = " / ".join(f"{year}: {short_standing(record, lang)}"
                        for year, record in zip((a, b), decisions, strict=True))
    page_frame(ws, f"{comp.network} {a}–{b}", label("footer_version", lang, version=__version__),
               label("page_of", lang), status)
    return to_bytes(wb)
