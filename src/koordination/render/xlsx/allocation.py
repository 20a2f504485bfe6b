"""The allocation workbook (reference section 5): Fördelning, Budget, Underlag, Metod."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.explain import allocation_rounding
from koordination.core.models import Statistic
from koordination.core.municipalities import swedish_sort_key
from koordination.core.records import Record
from koordination.core.results import AllocationRun, Inputs
from koordination.render.labels import Lang, label
from koordination.render.method import line_basis, method_lines
from koordination.render.standing import short_standing, standing
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    EXACT,
    INT,
    PCT,
    TITLE,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    a4,
    formula,
    header_row,
    merge,
    money_format,
    new_workbook,
    number,
    page_frame,
    put,
    stamp,
    text_height,
    to_bytes,
    widths,
)

FIRST_ROW = 5  # header on row 4, members from row 5
TOP = Alignment(vertical="top")


def allocation_workbook(run: AllocationRun, lang: Lang,
                        decision: Record | None = None) -> bytes:
    """The bytes of the allocation workbook; identical inputs give identical bytes.
    ``decision`` is the record the year's amounts rest on (None: a proposal, Förslag)."""
    wb = new_workbook()
    build_allocation_sheets(wb, run, lang)
    stamp(wb, short_standing(decision, lang),
          f"{label('st_label', lang)}: {standing(decision, lang)}")
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
    fmt = money_format(plan.unit, kr=True)  # the annex's headings name no unit
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
    stats = list(plan.statistics.values())  # what the key counts besides population
    first_stat = len(columns) + 1
    columns += [label("col_statistic", lang, name=stat.name, date=stat.date.isoformat())
                for stat in stats]
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
        values += [(stat.values[m.code], stat_format(stat)) for stat in stats]
        for col, (value, number_format) in enumerate(values, start=1):
            put(ws, row, col, value, number_format, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    sum_cols = list(range(2, 5 + len(alloc.budget.funding) + (2 if carried else 0)))
    sum_cols += list(range(first_stat, first_stat + len(stats)))
    for col in range(2, len(columns) + 1):
        if col in sum_cols:
            letter = get_column_letter(col)
            number_format = (INT if col == 2 else PCT if col == 3 else
                             stat_format(stats[col - first_stat]) if col >= first_stat else fmt)
            formula(ws, row, col, f"=SUM({letter}{FIRST_ROW}:{letter}{last})", number_format,
                    font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
        else:
            put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    if network.rounding_method == "each":
        # each member rounded on its own (reference 7): the column sums to the rounded
        # amounts; the budget's total and the difference are shown under it
        put(ws, row + 1, 1, label("budget_total_row", lang))
        put(ws, row + 1, 4, alloc.total, fmt)
        put(ws, row + 2, 1, label("rounding_difference", lang))
        formula(ws, row + 2, 4, f"=D{row}-D{row + 1}", fmt)
        row += 2
    sizes = [22, 18, 13, 20] + [18] * (len(columns) - 4)
    widths(ws, sizes)
    ws.row_dimensions[4].height = 32
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)
    print_setup(ws, alloc, lang)
    ws.print_title_rows = "4:4"
    chart_rows = cost_chart(ws, alloc, lang, last, row + 2, len(columns) + 2, sum(sizes))
    ws.print_area = f"A1:{get_column_letter(len(columns))}{row + 2 + chart_rows}"


def print_setup(ws: Worksheet, alloc: Allocation, lang: Lang, landscape: bool = False) -> None:
    """A4, one page wide; the cooperation and year on top, kn's version and the page number
    at the bottom of every page."""
    a4(ws, landscape=landscape)
    page_frame(
        ws,
        f"{alloc.plan.network.name} {alloc.year}",
        label("footer_version", lang, version=__version__),
        label("page_of", lang),
    )


CM_PER_CHAR = 0.2  # width of one unit of column width, roughly, in centimetres
CM_PER_ROW = 0.53  # a default row (15 points)


def cost_chart(ws: Worksheet, alloc: Allocation, lang: Lang, last: int, anchor_row: int,
               data_col: int, table_chars: int) -> int:
    """A horizontal bar chart of the cost per municipality, largest on top, under the table.

    The bars come from a small range to the right of the table (hidden, outside the print
    area) that lists the members by cost, so the table keeps the annex's alphabetical order. The
    range refers to the table's cells, so both always agree. Returns the rows the chart takes.
    """
    fmt = money_format(alloc.plan.unit)
    members = alloc.members
    order = sorted(range(len(members)),
                   key=lambda i: (-members[i].amount, swedish_sort_key(members[i].name)))
    name_col, cost_col = data_col, data_col + 1
    put(ws, 4, name_col, label("chart_data", lang), font=BOLD)
    put(ws, 4, cost_col, label("col_cost_short", lang), font=BOLD)
    value_col = 4 if not any(m.carried for m in alloc.members) else 6 + len(alloc.budget.funding)
    value_letter = get_column_letter(value_col)
    for offset, index in enumerate(order):
        source = FIRST_ROW + index
        formula(ws, FIRST_ROW + offset, name_col, f"=A{source}")
        formula(ws, FIRST_ROW + offset, cost_col, f"={value_letter}{source}", fmt)
    for col, size in ((name_col, 18), (cost_col, 14)):
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = size
        dimension.hidden = True  # helper data for the chart, out of the reader's sight
    chart = BarChart()
    chart.type = "bar"
    chart.style = 2
    chart.title = (label("chart_title_amount", lang, year=alloc.year, previous=alloc.year - 1)
                   if alloc.carried_total else label("chart_title", lang, year=alloc.year))
    chart.y_axis.title = label("chart_axis", lang)
    chart.y_axis.numFmt = NumFmt(formatCode="#,##0", sourceLinked=False)
    chart.y_axis.majorGridlines = None  # no lines through the bars' value labels
    chart.y_axis.delete = False
    chart.y_axis.crosses = "max"
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"
    chart.legend = None
    chart.visible_cells_only = False  # the helper columns are hidden
    chart.gapWidth = 60
    data = Reference(ws, min_col=cost_col, min_row=FIRST_ROW, max_row=last)
    cats = Reference(ws, min_col=name_col, min_row=FIRST_ROW, max_row=last)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(cats)
    series = chart.series[0]
    series.graphicalProperties.solidFill = "4F6D8F"
    series.graphicalProperties.line.solidFill = "4F6D8F"
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    series.dLbls.numFmt = "#,##0"
    chart.height = max(8.0, 0.6 * len(alloc.members) + 3)
    chart.width = table_chars * CM_PER_CHAR
    ws.add_chart(chart, f"A{anchor_row}")
    return int(chart.height / CM_PER_ROW) + 1


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
            put(ws, row, 3, line_basis(la.line, lang), border=BOX)
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
    if alloc.carried_total:
        put(ws, row + 1, 1, label("budget_carried", lang, previous=alloc.year - 1))
        put(ws, row + 1, 5, alloc.carried_total, money_format(alloc.plan.unit))
        put(ws, row + 2, 1, label("budget_to_pay", lang), font=BOLD)
        formula(ws, row + 2, 5, f"=E{row}+E{row + 1}", money_format(alloc.plan.unit),
                font=BOLD)
    widths(ws, [26, 32, 24, 15, 18])
    ws.row_dimensions[4].height = 32  # the amount headers wrap onto two lines
    ws.freeze_panes = "A5"
    print_setup(ws, alloc, lang)
    ws.print_title_rows = "4:4"


def basis_sheet(wb: Workbook, run: AllocationRun, lang: Lang) -> None:
    alloc = run.allocation
    plan = alloc.plan
    fmt = money_format(plan.unit)
    ws = wb.create_sheet(label("sheet_basis", lang))
    put(ws, 1, 1, label("title_basis", lang, year=alloc.year), font=TITLE)
    stats = list(plan.statistics.values())
    first_stat = 14  # each statistic the key counts, after the rounding columns
    header_row(ws, 3, [label(k, lang) for k in (
        "col_code", "col_kommun", "col_population", "col_weight", "col_days", "col_exact",
        "col_rounded", "col_adjustment", "col_truncated", "col_remainder", "col_rank",
        "col_extra", "col_tie")] + [label("col_statistic", lang, name=stat.name,
                                          date=stat.date.isoformat()) for stat in stats])
    ws.cell(row=3, column=3).value = label("col_population", lang,
                                           date=plan.snapshot.date.isoformat())
    ws.row_dimensions[3].height = 32
    report = allocation_rounding(alloc)
    each = report.each
    row = 4
    for m in alloc.members:
        step = report.step(m.code)
        put(ws, row, 1, m.code, border=BOX)
        put(ws, row, 2, m.name, border=BOX)
        put(ws, row, 3, m.population, INT, border=BOX)
        put(ws, row, 4, m.weight, INT, border=BOX)
        put(ws, row, 5, m.days, INT, border=BOX)
        put(ws, row, 6, number(m.exact, 8), EXACT, border=BOX)
        put(ws, row, 7, m.fee, fmt, border=BOX)
        put(ws, row, 8, number(m.adjustment, 8), EXACT, border=BOX)
        put(ws, row, 9, number(step.truncated, 2), fmt, border=BOX)
        put(ws, row, 10, number(step.remainder, 8), EXACT, border=BOX)
        put(ws, row, 11, None if each else step.rank, INT, border=BOX)
        put(ws, row, 12, number(step.extra, 2), fmt, border=BOX)
        put(ws, row, 13, label("tie_yes", lang) if step.tie else None, border=BOX)
        for i, stat in enumerate(stats):
            put(ws, row, first_stat + i, stat.values[m.code], stat_format(stat), border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in (2, 3, 4, 5, 10, 11, 13):
        put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    sums = [(6, EXACT), (7, fmt), (8, EXACT), (9, fmt), (12, fmt)]
    sums += [(first_stat + i, stat_format(stat)) for i, stat in enumerate(stats)]
    for col, f in sums:
        letter = get_column_letter(col)
        formula(ws, row, col, f"=SUM({letter}4:{letter}{last})", f, font=BOLD,
                fill=TOTAL_FILL, border=TOTAL_BOX)
    row += 1
    largest = report.largest
    put(ws, row, 1, label("largest_adjustment", lang))
    put(ws, row, 2, next(m.name for m in alloc.members if m.code == largest.code))
    put(ws, row, 8, number(largest.adjustment, 8), EXACT)
    row += 1
    put(ws, row, 1, label("left_over", lang))
    put(ws, row, 12, report.left_over, INT)
    row += 1
    put(ws, row, 1, label("tie_rule", lang))
    row += 1
    put(ws, row, 1, label("sum_rounded", lang))
    put(ws, row, 7, alloc.fee_total, fmt)
    row += 1
    put(ws, row, 1, label("total", lang))
    put(ws, row, 7, alloc.total, fmt)
    row += 1
    if each:
        put(ws, row, 1, label("rounding_difference", lang))
        put(ws, row, 7, alloc.rounding_difference, fmt, font=BOLD)
        row += 1
        put(ws, row, 1, label("check_each", lang))
    else:
        put(ws, row, 1, label("rounding_check", lang))
        put(ws, row, 7, label("check_ok" if report.sums_to_total else "check_failed", lang),
            font=BOLD)
    row += 2
    put(ws, row, 1, label("segments", lang), font=BOLD)
    row += 1
    header_row(ws, row, [label(k, lang) for k in (
        "col_from", "col_to", "col_days", "col_segment_cost", "col_members")])
    merge(ws, row, 5, row, 8)
    row += 1
    names = {m.code: m.name for m in plan.members}
    for segment in plan.segments:
        cost = alloc.total * segment.days / plan.period_days
        put(ws, row, 1, segment.start.isoformat(), border=BOX, alignment=TOP)
        put(ws, row, 2, segment.end.isoformat(), border=BOX, alignment=TOP)
        put(ws, row, 3, segment.days, INT, border=BOX, alignment=TOP)
        put(ws, row, 4, number(cost, 2), "#,##0.00", border=BOX, alignment=TOP)
        text = ", ".join(names[c] for c in segment.members)
        put(ws, row, 5, text, alignment=WRAP, border=BOX)
        merge(ws, row, 5, row, 8)
        ws.row_dimensions[row].height = text_height(text, 70)
        row += 1
    row += 1
    provenance(ws, row, run.snapshot_path, plan.snapshot.date, run.inputs, lang)
    widths(ws, [24, 22, 24, 18, 10, 18, 18, 18, 18, 14, 12, 14, 22] + [22] * len(stats))
    ws.freeze_panes = "C4"
    print_setup(ws, alloc, lang, landscape=True)
    ws.print_title_rows = "3:3"


def stat_format(stat: Statistic) -> str:
    """Thousands separated, with as many decimals as the statistic's values carry."""
    places = max((max(0, -int(v.as_tuple().exponent)) for v in stat.values.values()),
                 default=0)
    return INT if places == 0 else "#,##0." + "0" * min(places, 8)


METHOD_WIDTH = 75


def method_sheet(wb: Workbook, alloc: Allocation, snapshot_file: str, lang: Lang) -> None:
    ws = wb.create_sheet(label("sheet_method", lang))
    put(ws, 1, 1, label("title_method", lang), font=TITLE)
    row = 3
    for row, text in enumerate(method_lines(alloc, snapshot_file, lang), start=3):
        put(ws, row, 1, text, alignment=WRAP)
        ws.row_dimensions[row].height = text_height(text, METHOD_WIDTH)
    widths(ws, [METHOD_WIDTH])
    ws.print_area = f"A1:A{row}"
    print_setup(ws, alloc, lang)


def provenance(ws: Worksheet, row: int, snapshot_path: Path, snapshot_date: date,
               inputs: Inputs, lang: Lang) -> int:
    """From ``row`` down: the snapshot file and its date, every input file with its SHA-256,
    and kn's version; the row after the block."""
    put(ws, row, 1, label("snapshot", lang), font=BOLD)
    put(ws, row, 2, str(snapshot_path))
    row += 1
    put(ws, row, 1, label("snapshot_date", lang))
    put(ws, row, 2, snapshot_date.isoformat())
    row += 2
    put(ws, row, 1, label("inputs", lang), font=BOLD)
    row += 1
    for _, path in inputs.files:
        put(ws, row, 1, str(path))
        put(ws, row, 3, inputs.checksums[str(path)])
        row += 1
    row += 1
    put(ws, row, 1, label("version", lang, version=__version__))
    return row + 1
