"""``budgets/YEAR.xlsx`` for a new cooperation: the annex's lines with amounts to fill in, laid
out as kn reads budget workbooks (``koordination.io.excel``), so that the filled-in file is read
back as written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from koordination.core.nextyear import NextBudget
from koordination.render.init import ANNEX_LINES
from koordination.render.labels import Lang, label
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    FILL_IN,
    KR_ORE,
    LEFT,
    TITLE,
    WRAP,
    a4,
    freeze,
    header_row,
    height,
    merge,
    new_workbook,
    put,
    to_bytes,
    widths,
)

#: The columns kn reads from a budget sheet (io.excel.BUDGET_COLUMNS; a test holds them equal).
BUDGET_COLUMNS = ("kind", "group", "name", "amount", "overhead_percent", "rate", "per_month",
                  "quantity")
HEADER_ROW = 7


def budget_form(name: str, year: int, lang: Lang) -> bytes:
    """The workbook's bytes: one sheet "Budget" with year, start, end and basis above the
    table kind | group | name | amount | overhead_percent | rate | per_month | quantity | note."""
    wb = new_workbook(date(year, 1, 1))
    ws = wb.sheet("Budget")
    put(ws, 1, 1, label("form_title", lang, name=name, year=year), font=TITLE)
    put(ws, 2, 1, label("form_help", lang), alignment=WRAP)
    merge(ws, 2, 1, 2, len(BUDGET_COLUMNS) + 1)
    height(ws, 2, 48)
    for row, (key, value) in enumerate(
        (("year", year), ("start", date(year, 1, 1)), ("end", date(year, 12, 31)),
         ("basis", "annual")), start=3):
        put(ws, row, 1, key, font=BOLD)
        put(ws, row, 2, value, "yyyy-mm-dd" if isinstance(value, date) else None,
            alignment=LEFT)
    header_row(ws, HEADER_ROW, [*BUDGET_COLUMNS, "note"])
    for offset, (group, line, form) in enumerate(ANNEX_LINES, start=1):
        row = HEADER_ROW + offset
        put(ws, row, 1, "line", border=BOX)
        put(ws, row, 2, group, border=BOX)
        put(ws, row, 3, line, border=BOX)
        for col, key in enumerate(BUDGET_COLUMNS[3:], start=4):
            value = form.get(key)
            if value is None:
                put(ws, row, col, None, KR_ORE, border=BOX)
            else:
                put(ws, row, col, Decimal(value), KR_ORE, border=BOX, fill=FILL_IN)
        put(ws, row, len(BUDGET_COLUMNS) + 1, label("form_note", lang), border=BOX)
    widths(ws, [9, 30, 32, 14, 17, 11, 11, 11, 36])
    freeze(ws, HEADER_ROW + 1, 4)
    a4(ws, landscape=True)
    return to_bytes(wb)


#: The Plan sheet of a budget workbook: the population rule on row 1 (``population`` in A1,
#: the method in B1), the index table's header on row 3 (io.excel reads the same layout).
PLAN_SHEET = "Plan"
PLAN_COLUMNS = ("group", "year", "index")
PLAN_HEADER_ROW = 3


def next_budget_workbook(name: str, result: NextBudget, source: str, how: str,
                         lang: Lang) -> bytes:
    """Next year's budget as a workbook laid out as kn reads budget workbooks: the sheet
    Budget (year, start, end, basis, then one row per line, every amount as a number) and,
    when the budget has a plan section, the sheet Plan."""
    budget = result.budget
    wb = new_workbook(date(budget.year, 1, 1))
    ws = wb.sheet("Budget")
    put(ws, 1, 1, label("form_title", lang, name=name, year=budget.year), font=TITLE)
    put(ws, 2, 1, label("new_help", lang, source=source, how=how), alignment=WRAP)
    merge(ws, 2, 1, 2, len(BUDGET_COLUMNS))
    height(ws, 2, 62)
    for row, (key, value) in enumerate(
        (("year", budget.year), ("start", budget.start), ("end", budget.end),
         ("basis", budget.basis)), start=3):
        put(ws, row, 1, key, font=BOLD)
        put(ws, row, 2, value, "yyyy-mm-dd" if isinstance(value, date) else None,
            alignment=LEFT)
    header_row(ws, HEADER_ROW, list(BUDGET_COLUMNS))
    for offset, line in enumerate(budget.lines, start=1):
        row = HEADER_ROW + offset
        put(ws, row, 1, "line", border=BOX)
        put(ws, row, 2, line.group, border=BOX)
        put(ws, row, 3, line.name, border=BOX)
        for col, key in enumerate(BUDGET_COLUMNS[3:], start=4):
            put(ws, row, col, getattr(line, key),
                KR_ORE if key in ("amount", "rate") else "0.####", border=BOX)
    widths(ws, [9, 30, 32, 14, 17, 11, 11, 11])
    freeze(ws, HEADER_ROW + 1, 4)
    a4(ws, landscape=True)
    plan = budget.plan
    if plan is not None:
        ps = wb.sheet(PLAN_SHEET)
        put(ps, 1, 1, "population", font=BOLD)
        put(ps, 1, 2, plan.population)
        put(ps, 2, 1, label("plan_sheet_help", lang), alignment=WRAP)
        merge(ps, 2, 1, 2, 4)
        height(ps, 2, 48)
        header_row(ps, PLAN_HEADER_ROW, list(PLAN_COLUMNS))
        row = PLAN_HEADER_ROW + 1
        rules = ([("default", plan.default)] if plan.default is not None else []) + \
            list(plan.index.items())
        for group, rule in rules:
            entries = [(None, rule.every)] if rule.every is not None else sorted(
                rule.by_year.items())
            for year, percent in entries:
                put(ps, row, 1, group, border=BOX)
                put(ps, row, 2, year, border=BOX)
                put(ps, row, 3, percent, "0.0#", border=BOX)
                row += 1
        widths(ps, [32, 10, 10, 30])
        a4(ps)
    return to_bytes(wb)
