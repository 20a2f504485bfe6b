"""The allocation workbook (SPEC section 5): Fördelning, Budget, Underlag, Metod."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.explain import allocation_rounding
from koordination.io.xlsx import (
    BOLD,
    BOX,
    EXACT,
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
    number,
    put,
    to_bytes,
    widths,
)
from koordination.jobs import AllocationRun
from koordination.labels import Lang, label
from koordination.method import method_lines

FIRST_ROW = 5  # header on row 4, members from row 5


def allocation_workbook(run: AllocationRun, lang: Lang = "sv") -> bytes:
    """The bytes of the allocation workbook; identical inputs give identical bytes."""
    wb = new_workbook()
    build_allocation_sheets(wb, run, lang)
    return to_bytes(wb)


def build_allocation_sheets(wb: Workbook, run: AllocationRun, lang: Lang) -> None:
    alloc = run.allocation
    fordelning_sheet(wb, alloc, lang)
    budget_sheet(wb, alloc, lang)
    basis_sheet(wb, run, lang)
    method_sheet(wb, alloc, str(run.snapshot_path), lang)


def fordelning_sheet(wb: Workbook, alloc: Allocation, lang: Lang) -> None:
    plan, network = alloc.plan, alloc.plan.network
    year = alloc.year
    ws = wb.create_sheet(label("sheet_allocation", lang, year=year))
    fmt = money_format(plan.unit)
    put(ws, 1, 1, label("title_allocation", lang, name=network.name, year=year), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                        days=plan.period_days))
    pct_label = "col_population_pct" if alloc.percent_is_population_share else "col_share_pct"
    columns: list[str] = [
        label("col_kommun", lang),
        label("col_population", lang, date=plan.snapshot.date.isoformat()),
        label(pct_label, lang),
        label("col_cost", lang, name=network.name),
    ]
    columns += [f.name for f in alloc.budget.funding]
    carried = any(m.carried for m in alloc.members)
    if carried:
        columns += [label("col_carried", lang, year=year - 1), label("col_amount", lang)]
    partial = plan.is_partial()
    if partial:
        columns.append(label("col_days", lang))
    header_row(ws, 4, columns)
    row = FIRST_ROW
    for m in alloc.members:
        values: list[tuple[object, str | None]] = [
            (m.name, None),
            (m.population, INT),
            (number(m.percent / 100, 4), PCT),
            (m.fee, fmt),
        ]
        values += [(part, fmt) for part in m.funding]
        if carried:
            values += [(m.carried, fmt), (m.amount, fmt)]
        if partial:
            values.append((m.days, INT))
        for col, (value, number_format) in enumerate(values, start=1):
            put(ws, row, col, value, number_format, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    sum_cols = list(range(2, 5 + len(alloc.budget.funding) + (2 if carried else 0)))
    for col in range(2, len(columns) + 1):
        if col in sum_cols:
            letter = get_column_letter(col)
            number_format = INT if col == 2 else PCT if col == 3 else fmt
            formula(ws, row, col, f"=SUM({letter}{FIRST_ROW}:{letter}{last})", number_format,
                    font=BOLD, fill=TOTAL_FILL, border=BOX)
        else:
            put(ws, row, col, None, fill=TOTAL_FILL, border=BOX)
    widths(ws, [22, 18, 13, 20] + [18] * (len(columns) - 4))
    ws.row_dimensions[4].height = 32
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)
    a4(ws)
    ws.print_title_rows = "4:4"
    ws.oddHeader.center.text = f"{network.name} {year}"
    ws.oddFooter.left.text = label("version", lang, version=__version__)
    ws.oddFooter.right.text = "&P / &N"
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = label("chart_title", lang, year=year)
    chart.y_axis.title = label("chart_axis", lang)
    chart.y_axis.numFmt = "#,##0"
    chart.y_axis.majorGridlines = None
    chart.legend = None
    data = Reference(ws, min_col=4, min_row=4, max_row=last)
    cats = Reference(ws, min_col=1, min_row=FIRST_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height = max(7.5, 0.55 * len(alloc.members) + 2)
    chart.width = 16
    ws.add_chart(chart, f"A{row + 3}")


def budget_sheet(wb: Workbook, alloc: Allocation, lang: Lang) -> None:
    budget, network = alloc.budget, alloc.plan.network
    ws = wb.create_sheet(label("sheet_budget", lang, year=budget.year))
    put(ws, 1, 1, label("title_budget", lang, name=network.name, year=budget.year), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=budget.start.isoformat(),
                        end=budget.end.isoformat(), days=budget.days))
    header_row(ws, 4, [label(k, lang) for k in
                       ("col_group", "col_line", "col_basis", "col_yearly", "col_for_period")])
    fmt = "#,##0.00"
    row = 5
    for group in dict.fromkeys(la.line.group for la in alloc.lines):
        for la in (la for la in alloc.lines if la.line.group == group):
            put(ws, row, 1, group, border=BOX)
            put(ws, row, 2, la.line.name, border=BOX)
            put(ws, row, 3, la.line.formula(), border=BOX)
            put(ws, row, 4, number(la.yearly, 2), fmt, border=BOX)
            put(ws, row, 5, number(la.period, 2), fmt, border=BOX)
            row += 1
    last = row - 1
    put(ws, row, 1, label("budget_total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col in (2, 3):
        put(ws, row, col, None, fill=TOTAL_FILL, border=BOX)
    for col in (4, 5):
        letter = get_column_letter(col)
        formula(ws, row, col, f"=SUM({letter}5:{letter}{last})", fmt, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    row += 2
    for source in alloc.budget.funding:
        put(ws, row, 1, label("funding", lang))
        put(ws, row, 2, source.name)
        put(ws, row, 5, -source.amount, fmt)
        row += 1
    put(ws, row, 1, label("to_allocate", lang), font=BOLD)
    put(ws, row, 5, alloc.total, money_format(alloc.plan.unit), font=BOLD)
    widths(ws, [28, 36, 26, 16, 20])
    ws.freeze_panes = "A5"
    a4(ws)


def basis_sheet(wb: Workbook, run: AllocationRun, lang: Lang) -> None:
    alloc = run.allocation
    plan = alloc.plan
    fmt = money_format(plan.unit)
    ws = wb.create_sheet(label("sheet_basis", lang))
    put(ws, 1, 1, label("title_basis", lang, year=alloc.year), font=TITLE)
    header_row(ws, 3, [label(k, lang) for k in (
        "col_code", "col_kommun", "col_population", "col_weight", "col_days", "col_exact",
        "col_rounded", "col_adjustment", "col_truncated", "col_remainder", "col_rank",
        "col_extra", "col_tie")])
    put(ws, 3, 3, label("col_population", lang, date=plan.snapshot.date.isoformat()),
        font=BOLD)
    report = allocation_rounding(alloc)
    row = 4
    for m in alloc.members:
        step = report.step(m.code)
        put(ws, row, 1, m.code, border=BOX)
        put(ws, row, 2, m.name, border=BOX)
        put(ws, row, 3, m.population, INT, border=BOX)
        put(ws, row, 4, m.weight, INT, border=BOX)
        put(ws, row, 5, m.days, INT, border=BOX)
        put(ws, row, 6, number(m.exact, 4), EXACT, border=BOX)
        put(ws, row, 7, m.fee, fmt, border=BOX)
        put(ws, row, 8, number(m.adjustment, 4), EXACT, border=BOX)
        put(ws, row, 9, number(step.truncated, 2), fmt, border=BOX)
        put(ws, row, 10, number(step.remainder, 4), EXACT, border=BOX)
        put(ws, row, 11, step.rank, INT, border=BOX)
        put(ws, row, 12, number(step.extra, 2), fmt, border=BOX)
        put(ws, row, 13, label("tie_yes", lang) if step.tie else None, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col, f in ((6, EXACT), (7, fmt), (8, EXACT), (9, fmt), (12, fmt)):
        letter = get_column_letter(col)
        formula(ws, row, col, f"=SUM({letter}4:{letter}{last})", f, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    row += 1
    largest = report.largest
    put(ws, row, 1, label("largest_adjustment", lang))
    put(ws, row, 2, next(m.name for m in alloc.members if m.code == largest.code))
    put(ws, row, 8, number(largest.adjustment, 4), EXACT)
    row += 1
    put(ws, row, 1, label("left_over", lang))
    put(ws, row, 12, report.left_over, INT)
    row += 1
    put(ws, row, 1, label("tie_rule", lang))
    row += 1
    put(ws, row, 1, label("sum_rounded", lang))
    put(ws, row, 7, sum((m.fee for m in alloc.members), Decimal(0)), fmt)
    row += 1
    put(ws, row, 1, label("total", lang))
    put(ws, row, 7, alloc.total, fmt)
    row += 1
    put(ws, row, 1, label("rounding_check", lang))
    put(ws, row, 7, label("check_ok" if report.sums_to_total else "check_failed", lang),
        font=BOLD)
    row += 2
    put(ws, row, 1, label("segments", lang), font=BOLD)
    row += 1
    header_row(ws, row, [label(k, lang) for k in (
        "col_from", "col_to", "col_days", "col_segment_cost", "col_members")])
    row += 1
    for segment in plan.segments:
        cost = alloc.total * segment.days / plan.period_days
        put(ws, row, 1, segment.start.isoformat())
        put(ws, row, 2, segment.end.isoformat())
        put(ws, row, 3, segment.days, INT)
        put(ws, row, 4, number(cost, 2), "#,##0.00")
        names = {m.code: m.name for m in plan.members}
        put(ws, row, 5, ", ".join(names[c] for c in segment.members), alignment=WRAP)
        row += 1
    row += 1
    put(ws, row, 1, label("snapshot", lang), font=BOLD)
    put(ws, row, 2, str(run.snapshot_path))
    row += 1
    put(ws, row, 1, label("snapshot_date", lang))
    put(ws, row, 2, plan.snapshot.date.isoformat())
    row += 2
    put(ws, row, 1, label("inputs", lang), font=BOLD)
    row += 1
    for _, path in run.inputs.files:
        put(ws, row, 1, str(path))
        put(ws, row, 2, run.inputs.checksums[str(path)])
        row += 1
    row += 1
    put(ws, row, 1, label("version", lang, version=__version__))
    widths(ws, [24, 22, 24, 18, 10, 18, 18, 18, 18, 14, 12, 14, 22])
    ws.freeze_panes = "C4"
    a4(ws, landscape=True)


def method_sheet(wb: Workbook, alloc: Allocation, snapshot_file: str, lang: Lang) -> None:
    ws = wb.create_sheet(label("sheet_method", lang))
    put(ws, 1, 1, label("title_method", lang), font=TITLE)
    for i, text in enumerate(method_lines(alloc, snapshot_file, lang), start=3):
        put(ws, i, 1, text, alignment=WRAP)
    widths(ws, [110])
    a4(ws)
