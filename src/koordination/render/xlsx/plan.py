"""The plan workbook (reference section 6): every member's fee in the budget year and the plan
years, the population each year rests on, each year's budget lines with the index applied,
and the method. Plan years are marked preliminary (Plan) wherever they appear."""

from __future__ import annotations

from datetime import date

from koordination import __version__
from koordination.core.planning import Plan, PlanYear
from koordination.core.results import PlanRun
from koordination.render.labels import Lang, label
from koordination.render.method import index_figures, plan_basis_text, plan_method_lines
from koordination.render.text.decision import describe
from koordination.render.xlsx.allocation import stat_format
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    INT,
    KR_ORE,
    PCT,
    TITLE,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    Book,
    Sheet,
    a4,
    freeze,
    header_row,
    height,
    merge,
    money_format,
    new_workbook,
    number,
    page_frame,
    print_area,
    put,
    repeat_rows,
    text_height,
    to_bytes,
    total,
    widths,
)

HEADER_ROW = 5
FIRST_ROW = 6
LINE_FORMAT = KR_ORE
METHOD_WIDTH = 75


def plan_workbook(run: PlanRun, lang: Lang) -> bytes:
    """The bytes of the plan workbook; identical inputs give identical bytes."""
    wb = new_workbook(date(run.plan.first, 1, 1))
    plan = run.plan
    fees_sheet(wb, plan, lang)
    population_sheet(wb, plan, lang)
    budget_sheet(wb, plan, lang)
    method_sheet(wb, run, lang)
    return to_bytes(wb)


def year_title(year: PlanYear, lang: Lang) -> str:
    if year.is_plan:
        return label("col_plan_year", lang, year=year.year)
    return label("col_budget_year", lang, year=year.year)


def print_setup(ws: Sheet, plan: Plan, lang: Lang, landscape: bool = False) -> None:
    """A4, one page wide; the cooperation and the years on top, kn's version and the page
    number at the bottom of every page."""
    a4(ws, landscape=landscape)
    page_frame(ws, f"{plan.network_name} {plan.first}–{plan.last}",
               label("footer_version", lang, version=__version__), label("page_of", lang))


def _heading(ws: Sheet, plan: Plan, lang: Lang, title_key: str, columns: int) -> None:
    first = plan.years[0]
    put(ws, 1, 1, label(title_key, lang, name=plan.network_name, year=plan.first,
                        first=plan.first + 1, last=plan.last), font=TITLE)
    if first.decided is not None:
        status = label("plan_status_decided", lang, year=first.year,
                       record=describe(first.decided, lang))
    else:
        status = label("plan_status_proposal", lang, year=first.year)
    put(ws, 2, 1, status)
    note(ws, 3, label("plan_note", lang, first=plan.first + 1, last=plan.last), columns)


def note(ws: Sheet, row: int, text: str, columns: int) -> None:
    """Bold text wrapped across the first ``columns`` columns."""
    put(ws, row, 1, text, font=BOLD, alignment=WRAP)
    merge(ws, row, 1, row, columns)
    height(ws, row, 32)


def fees_sheet(wb: Book, plan: Plan, lang: Lang) -> None:
    ws = wb.sheet(label("sheet_plan", lang, first=plan.first, last=plan.last))
    _heading(ws, plan, lang, "title_plan", len(plan.years) + 3)
    fmt = money_format(plan.years[0].allocation.plan.unit)
    n = len(plan.years)
    columns = [label("col_kommun", lang)] + [year_title(y, lang) for y in plan.years] + [
        label("col_plan_change", lang, first=plan.first, last=plan.last),
        label("col_plan_change_pct", lang, first=plan.first, last=plan.last),
    ]
    header_row(ws, HEADER_ROW, columns)
    row = FIRST_ROW
    change_col, pct_col = n + 2, n + 3
    for m in plan.members:
        put(ws, row, 1, m.name, border=BOX)
        for col, y in enumerate(plan.years, start=2):
            value = m.fees[y.year]
            if value is None:
                put(ws, row, col, label("plan_not_member", lang), border=BOX)
            else:
                put(ws, row, col, value, fmt, border=BOX)
        put(ws, row, change_col, m.change, fmt, border=BOX)
        ratio = m.change_ratio
        put(ws, row, pct_col, None if ratio is None else number(ratio, 4), PCT, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in range(2, change_col + 1):
        total(ws, row, col, range(FIRST_ROW, last + 1), fmt,
                font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    put(ws, row, pct_col, number(plan.change_ratio, 4), PCT, font=BOLD, fill=TOTAL_FILL,
        border=TOTAL_BOX)
    widths(ws, [22] + [17] * n + [17, 14])
    height(ws, HEADER_ROW, 32)
    freeze(ws, FIRST_ROW, 2)
    print_setup(ws, plan, lang, landscape=n > 4)
    repeat_rows(ws, HEADER_ROW)
    print_area(ws, row, pct_col)


def population_sheet(wb: Book, plan: Plan, lang: Lang) -> None:
    ws = wb.sheet(label("sheet_plan_population", lang))
    _heading(ws, plan, lang, "title_plan_population", len(plan.years) + 1)
    columns = [label("col_kommun", lang)] + [year_title(y, lang) for y in plan.years]
    header_row(ws, HEADER_ROW, columns)
    put(ws, HEADER_ROW + 1, 1, label("plan_population_basis", lang), font=BOLD, border=BOX)
    for col, y in enumerate(plan.years, start=2):
        put(ws, HEADER_ROW + 1, col, plan_basis_text(y, lang), border=BOX, alignment=WRAP)
    first = HEADER_ROW + 2
    row = first
    for m in plan.members:
        put(ws, row, 1, m.name, border=BOX)
        for col, y in enumerate(plan.years, start=2):
            value = m.populations[y.year]
            if value is None:
                put(ws, row, col, label("plan_not_member", lang), border=BOX)
            else:
                put(ws, row, col, value, INT, border=BOX)
        row += 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in range(2, len(columns) + 1):
        total(ws, row, col, range(first, row), INT, font=BOLD,
                fill=TOTAL_FILL, border=TOTAL_BOX)
    row = statistic_blocks(ws, plan, lang, row + 2)
    widths(ws, [22] + [20] * len(plan.years))
    height(ws, HEADER_ROW, 32)
    height(ws, HEADER_ROW + 1, 32)
    freeze(ws, first, 2)
    print_setup(ws, plan, lang)
    repeat_rows(ws, HEADER_ROW, HEADER_ROW + 1)


def statistic_blocks(ws: Sheet, plan: Plan, lang: Lang, row: int) -> int:
    """Under the population, each statistic the key counts (reference 7): the snapshot each
    year used, and every member's value; the row after the blocks."""
    names = list(dict.fromkeys(name for y in plan.years for name, _ in y.statistics))
    for name in names:
        header_row(ws, row, [name] + [
            label(f"plan_stat_{source.kind}", lang, date=source.snapshots[0].isoformat())
            for y in plan.years for n, source in y.statistics if n == name])
        height(ws, row, 32)
        first = row + 1
        row = first
        for m in plan.members:
            put(ws, row, 1, m.name, border=BOX)
            for col, y in enumerate(plan.years, start=2):
                stats = y.allocation.plan.statistics
                value = stats[name].values.get(m.code) if name in stats else None
                present = any(fee.code == m.code for fee in y.allocation.members)
                put(ws, row, col, value if present else label("plan_not_member", lang),
                    stat_format(stats[name]) if present and value is not None else None,
                    border=BOX)
            row += 1
        put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
        for col in range(2, len(plan.years) + 2):
            stats = plan.years[col - 2].allocation.plan.statistics
            total(ws, row, col, range(first, row),
                    stat_format(stats[name]) if name in stats else INT, font=BOLD,
                    fill=TOTAL_FILL, border=TOTAL_BOX)
        row += 2
    return row


def budget_sheet(wb: Book, plan: Plan, lang: Lang) -> None:
    """One block per year: the lines by group, the index applied to each, the amounts."""
    ws = wb.sheet(label("sheet_plan_budget", lang))
    put(ws, 1, 1, label("title_plan_budget", lang, name=plan.network_name, year=plan.first,
                        first=plan.first + 1, last=plan.last), font=TITLE)
    note(ws, 3, label("plan_note", lang, first=plan.first + 1, last=plan.last), 6)
    base_year = plan.first
    row = 5
    breaks: list[int] = []
    for y in plan.years:
        if row > 5:
            breaks.append(row - 1)  # each year's block on a page of its own, with its header
        budget = y.budget.budget
        unit = y.allocation.plan.unit
        key = {"budget": "plan_block_budget", "own": "plan_block_own",
               "indexed": "plan_block_indexed", "rate": "plan_block_rate"}[y.budget.kind]
        put(ws, row, 1, label(key, lang, year=y.year, file=y.budget.file), font=BOLD)
        row += 1
        header_row(ws, row, [label("col_group", lang), label("col_line", lang),
                             label("col_base_yearly", lang, year=base_year),
                             label("col_index", lang), label("col_yearly", lang),
                             label("col_year_amount", lang, year=y.year)])
        row += 1
        first = row
        for i, la in enumerate(y.allocation.lines):
            put(ws, row, 1, la.line.group, border=BOX)
            put(ws, row, 2, la.line.name, border=BOX)
            if y.budget.kind == "indexed":
                il = y.budget.lines[i]
                put(ws, row, 3, number(il.base, 2), LINE_FORMAT, border=BOX)
                put(ws, row, 4, index_figures(il.steps, lang), border=BOX)
            else:
                put(ws, row, 3, None, border=BOX)
                put(ws, row, 4, None, border=BOX)
            put(ws, row, 5, number(la.yearly, 2), LINE_FORMAT, border=BOX)
            put(ws, row, 6, number(la.period, 2), LINE_FORMAT, border=BOX)
            row += 1
        put(ws, row, 1, label("budget_total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
        for col in (2, 3, 4):
            put(ws, row, col, None, fill=TOTAL_FILL, border=BOX)
        for col in (5, 6):
            total(ws, row, col, range(first, row), LINE_FORMAT,
                    font=BOLD, fill=TOTAL_FILL, border=BOX)
        row += 1
        for source in budget.funding:
            put(ws, row, 1, label("funding", lang))
            put(ws, row, 2, source.name)
            put(ws, row, 6, -source.amount, LINE_FORMAT)
            row += 1
        put(ws, row, 1, label("to_allocate", lang), font=BOLD)
        put(ws, row, 6, y.allocation.total, money_format(unit), font=BOLD)
        row += 2
    widths(ws, [26, 32, 18, 26, 16, 16])
    print_setup(ws, plan, lang, landscape=True)
    ws.ws.set_h_pagebreaks(breaks)


def method_sheet(wb: Book, run: PlanRun, lang: Lang) -> None:
    plan = run.plan
    ws = wb.sheet(label("sheet_method", lang))
    put(ws, 1, 1, label("title_method", lang), font=TITLE)
    row = 3
    for row, text in enumerate(plan_method_lines(plan, lang), start=3):
        put(ws, row, 1, text, alignment=WRAP)
        height(ws, row, text_height(text, METHOD_WIDTH))
    row += 2
    put(ws, row, 1, label("inputs", lang), font=BOLD)
    for _, path in run.inputs.files:
        row += 1
        text = f"{run.inputs.shown(path)}: {run.inputs.checksums[str(path)]}"
        put(ws, row, 1, text, alignment=WRAP)
        height(ws, row, text_height(text, METHOD_WIDTH))
    row += 2
    put(ws, row, 1, label("version", lang, version=__version__))
    widths(ws, [METHOD_WIDTH])
    print_area(ws, row, 1)
    print_setup(ws, plan, lang)
