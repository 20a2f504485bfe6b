"""The allocation workbook (reference section 5): Fördelning, Budget, Underlag, Metod."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from koordination import __version__
from koordination.core.allocation import Allocation, MemberFee
from koordination.core.explain import allocation_rounding
from koordination.core.models import Statistic
from koordination.core.municipalities import swedish_sort_key
from koordination.core.records import Record
from koordination.core.results import AllocationRun, Inputs
from koordination.render.labels import Lang, label, statistic_label
from koordination.render.method import line_basis, method_lines
from koordination.render.numbers import integer
from koordination.render.standing import short_standing, standing
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    CM_PX,
    EXACT,
    INT,
    KR_ORE,
    PCT,
    TITLE,
    TOP,
    TOTAL_BOX,
    TOTAL_FILL,
    WRAP,
    Book,
    Sheet,
    a4,
    clean,
    formula,
    freeze,
    header_row,
    height,
    hide_column,
    letter,
    merge,
    money_format,
    new_workbook,
    number,
    page_frame,
    print_area,
    put,
    repeat_rows,
    stamp,
    text_height,
    to_bytes,
    total,
    widths,
)

FIRST_ROW = 5  # header on row 4, members from row 5


def allocation_workbook(run: AllocationRun, lang: Lang,
                        decision: Record | None = None) -> bytes:
    """The bytes of the allocation workbook; identical inputs give identical bytes.
    ``decision`` is the record the year's amounts rest on (None: a proposal, Förslag)."""
    wb = new_workbook(run.allocation.plan.start.replace(month=1, day=1))
    build_allocation_sheets(wb, run, lang)
    stamp(wb, short_standing(decision, lang),
          f"{label('st_label', lang)}: {standing(decision, lang)}")
    return to_bytes(wb)


def build_allocation_sheets(wb: Book, run: AllocationRun, lang: Lang) -> None:
    alloc = run.allocation
    fordelning_sheet(wb, alloc, lang)
    budget_sheet(wb, alloc, lang)
    basis_sheet(wb, run, lang)
    method_sheet(wb, alloc, run.inputs, run.inputs.shown(run.snapshot_path), lang)


@dataclass(frozen=True)
class Column:
    """One column of the annex: its header, width, each member's cell (value and number
    format) and, when summed, the format of its Totalt."""

    header: str
    width: float
    cell: Callable[[MemberFee], tuple[object, str | None]]
    total: str | None = None
    role: str = ""


def fordelning_sheet(wb: Book, alloc: Allocation, lang: Lang) -> None:
    plan, network = alloc.plan, alloc.plan.network
    year = alloc.year
    ws = wb.sheet(label("sheet_allocation", lang, year=year))
    fmt = money_format(plan.unit, kr=True)  # the annex's headings name no unit
    put(ws, 1, 1, label("title_allocation", lang, name=network.name, year=year), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                        days=plan.period_days))
    columns = annex_columns(alloc, lang, fmt)
    header_row(ws, 4, [c.header for c in columns])
    row = FIRST_ROW
    for m in alloc.members:
        for col, column in enumerate(columns, start=1):
            value, number_format = column.cell(m)
            put(ws, row, col, value, number_format, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col, column in enumerate(columns[1:], start=2):
        if column.total is not None:
            total(ws, row, col, range(FIRST_ROW, last + 1), column.total,
                  font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
        else:
            put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    cost_col = role_column(columns, "cost")
    cost = letter(cost_col)
    if network.rounding_method == "each":
        # each member rounded on its own (reference 7): the column sums to the rounded
        # amounts; the budget's total and the difference are shown under it
        put(ws, row + 1, 1, label("budget_total_row", lang))
        put(ws, row + 1, cost_col, alloc.total, fmt)
        put(ws, row + 2, 1, label("rounding_difference", lang))
        formula(ws, row + 2, cost_col, f"={cost}{row}-{cost}{row + 1}", fmt,
                alloc.fee_total - alloc.total)
        row += 2
    cap = network.population_cap
    if any(capped(m, cap) for m in alloc.members):
        row += 1
        put(ws, row, 1, label("cap_note", lang, cap=integer(cap or 0, lang)))
    sizes = [c.width for c in columns]
    widths(ws, sizes)
    # bold headers wrap at about 3/4 of the column's width in characters
    height(ws, 4, max(32.0, *(text_height(c.header, c.width * 0.75) for c in columns)))
    freeze(ws, FIRST_ROW, 2)
    print_setup(ws, alloc, lang)
    repeat_rows(ws, 4)
    amount_col = role_column(columns, "amount" if any(m.carried for m in alloc.members)
                             else "cost")
    chart_rows = cost_chart(ws, alloc, lang, last, row + 2, len(columns) + 2, int(sum(sizes)),
                            amount_col)
    print_area(ws, row + 2 + chart_rows, len(columns))


def capped(m: MemberFee, cap: int | None) -> bool:
    """True when the key counted fewer inhabitants than the member has (population_cap)."""
    return cap is not None and not m.party and m.weight < m.population


def annex_columns(alloc: Allocation, lang: Lang, fmt: str) -> list[Column]:
    """The annex's columns: the member; with a key of more than population, each factor of
    the key in its order (the equal part in kronor, the population, each statistic under its
    name in words); the population when the key does not count it; the share, the cost, each
    funding source, the carried amounts, the days; any other statistic counted (a rate's)."""
    plan, network = alloc.plan, alloc.plan.network
    key = network.key
    cap = network.population_cap
    pop_format = INT + '" ' + label("cap_mark", lang) + '"'

    def population(m: MemberFee) -> tuple[object, str | None]:
        if m.party:
            return None, INT  # a party has no population
        return m.population, pop_format if capped(m, cap) else INT

    def statistic(stat: Statistic) -> Column:
        return Column(label("col_statistic", lang, name=statistic_label(stat.name, lang),
                            date=stat.date.isoformat()), 18,
                      lambda m: (stat.values.get(m.code), stat_format(stat)),
                      stat_format(stat))

    population_column = Column(label("col_population", lang,
                                     date=plan.snapshot.date.isoformat()), 18, population, INT)
    first = Column(label("col_member" if alloc.parties else "col_kommun", lang), 22,
                   lambda m: (m.name, None))
    factors: list[Column] = []
    by_key = alloc.model == "key" and key.kind in ("equal_population", "weighted")
    stats = dict(plan.statistics)
    if by_key:
        if key.equal and alloc.limits is None:
            factors.append(Column(label("col_equal_part", lang), 16,
                                  lambda m: (number(m.equal, 2), KR_ORE), KR_ORE))
        for name, _ in key.factors:
            if name == "population":
                factors.append(population_column)
            elif name in stats:
                factors.append(statistic(stats.pop(name)))
    if population_column not in factors:
        factors.append(population_column)
    pct_label = "col_population_pct" if alloc.percent_is_population_share else "col_share_pct"
    columns = [first, *factors,
               Column(label(pct_label, lang), 13, lambda m: (number(m.percent / 100, 4), PCT),
                      PCT),
               Column(label("col_cost", lang, name=network.name), 20, lambda m: (m.fee, fmt),
                      fmt, "cost")]
    def funding(i: int) -> Callable[[MemberFee], tuple[object, str | None]]:
        return lambda m: (m.funding[i], fmt)

    columns += [Column(source.name, 18, funding(i), fmt)
                for i, source in enumerate(alloc.budget.funding)]
    if any(m.carried for m in alloc.members):
        columns += [Column(label("col_carried", lang, year=alloc.year - 1), 18,
                           lambda m: (m.carried, fmt), fmt),
                    Column(label("col_amount", lang), 18, lambda m: (m.amount, fmt), fmt,
                           "amount")]
    if plan.is_partial():
        columns.append(Column(label("col_days", lang), 18, lambda m: (m.days, INT)))
    columns += [statistic(stat) for stat in stats.values()]
    return columns


def role_column(columns: list[Column], role: str) -> int:
    """The number of the column with ``role`` (``cost``: the fee; ``amount``: what is paid)."""
    return next(i for i, c in enumerate(columns, start=1) if c.role == role)


def print_setup(ws: Sheet, alloc: Allocation, lang: Lang, landscape: bool = False) -> None:
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


def cost_chart(ws: Sheet, alloc: Allocation, lang: Lang, last: int, anchor_row: int,
               data_col: int, table_chars: int, value_col: int) -> int:
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
    value_letter = letter(value_col)
    for offset, index in enumerate(order):
        source = FIRST_ROW + index
        formula(ws, FIRST_ROW + offset, name_col, f"=A{source}", None, members[index].name)
        formula(ws, FIRST_ROW + offset, cost_col, f"={value_letter}{source}", fmt,
                members[index].amount)
    for col, size in ((name_col, 18), (cost_col, 14)):
        hide_column(ws, col, size)  # helper data for the chart, out of the reader's sight
    chart = ws.book.chart({"type": "bar"})
    chart.add_series({
        "categories": [ws.title, FIRST_ROW - 1, name_col - 1, last - 1, name_col - 1],
        "values": [ws.title, FIRST_ROW - 1, cost_col - 1, last - 1, cost_col - 1],
        "fill": {"color": "#4F6D8F"}, "border": {"color": "#4F6D8F"}, "gap": 60,
        "data_labels": {"value": True, "num_format": "#,##0"},
    })
    chart.set_title({"name": clean(
        label("chart_title_amount", lang, year=alloc.year, previous=alloc.year - 1)
        if alloc.carried_total else label("chart_title", lang, year=alloc.year)),
        "name_font": {"size": 12, "bold": True}})
    # a bar chart's values run along its x axis; the members down the y axis, largest on top
    chart.set_x_axis({"name": label("chart_axis", lang), "num_format": "#,##0",
                      "major_gridlines": {"visible": False}})
    chart.set_y_axis({"reverse": True, "crossing": "max"})
    chart.set_legend({"none": True})
    chart.show_hidden_data()  # the helper columns are hidden
    height_cm = max(8.0, 0.6 * len(alloc.members) + 3)
    chart.set_size({"width": round(table_chars * CM_PER_CHAR * CM_PX),
                    "height": round(height_cm * CM_PX)})
    ws.ws.insert_chart(anchor_row - 1, 0, chart)
    return int(height_cm / CM_PER_ROW) + 1


def budget_sheet(wb: Book, alloc: Allocation, lang: Lang) -> None:
    budget, network = alloc.budget, alloc.plan.network
    ws = wb.sheet(label("sheet_budget", lang, year=budget.year))
    put(ws, 1, 1, label("title_budget", lang, name=network.name, year=budget.year), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=budget.start.isoformat(),
                        end=budget.end.isoformat(), days=budget.days))
    header_row(ws, 4, [label(k, lang) for k in
                       ("col_group", "col_line", "col_basis", "col_yearly", "col_for_period")])
    fmt = KR_ORE
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
        total(ws, row, col, range(5, last + 1), fmt, font=BOLD, fill=TOTAL_FILL, border=BOX)
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
                alloc.total + alloc.carried_total, font=BOLD)
    widths(ws, [26, 32, 24, 15, 18])
    height(ws, 4, 32)  # the amount headers wrap onto two lines
    freeze(ws, 5)
    print_setup(ws, alloc, lang)
    repeat_rows(ws, 4)


def basis_sheet(wb: Book, run: AllocationRun, lang: Lang) -> None:
    alloc = run.allocation
    plan = alloc.plan
    fmt = money_format(plan.unit)
    ws = wb.sheet(label("sheet_basis", lang))
    put(ws, 1, 1, label("title_basis", lang, year=alloc.year), font=TITLE)
    stats = list(plan.statistics.values())
    first_stat = 14  # each statistic the key counts, after the rounding columns
    header_row(ws, 3, [label(k, lang) for k in (
        "col_code", "col_kommun")] + [label("col_population", lang,
                                          date=plan.snapshot.date.isoformat())] + [
        label(k, lang) for k in ("col_weight", "col_days", "col_exact",
        "col_rounded", "col_adjustment", "col_truncated", "col_remainder", "col_rank",
        "col_extra", "col_tie")] + [label("col_statistic", lang, name=stat.name,
                                          date=stat.date.isoformat()) for stat in stats])
    height(ws, 3, 32)
    report = allocation_rounding(alloc)
    each = report.each
    row = 4
    for m in alloc.members:
        step = report.step(m.code)
        put(ws, row, 1, m.code, border=BOX)
        put(ws, row, 2, m.name, border=BOX)
        put(ws, row, 3, None if m.party else m.population, INT, border=BOX)
        put(ws, row, 4, None if m.party else m.weight, INT, border=BOX)
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
            put(ws, row, first_stat + i, stat.values.get(m.code), stat_format(stat), border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=TOTAL_BOX)
    for col in (2, 3, 4, 5, 10, 11, 13):
        put(ws, row, col, None, fill=TOTAL_FILL, border=TOTAL_BOX)
    sums = [(6, EXACT), (7, fmt), (8, EXACT), (9, fmt), (12, fmt)]
    sums += [(first_stat + i, stat_format(stat)) for i, stat in enumerate(stats)]
    for col, f in sums:
        total(ws, row, col, range(4, last + 1), f, font=BOLD, fill=TOTAL_FILL,
              border=TOTAL_BOX)
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
        put(ws, row, 4, number(cost, 2), KR_ORE, border=BOX, alignment=TOP)
        text = ", ".join(names[c] for c in segment.members)
        put(ws, row, 5, text, alignment=WRAP, border=BOX)
        merge(ws, row, 5, row, 8)
        height(ws, row, text_height(text, 70))
        row += 1
    row += 1
    provenance(ws, row, run.snapshot_path, plan.snapshot.date, run.inputs, lang)
    widths(ws, [24, 22, 24, 18, 10, 18, 18, 18, 18, 14, 12, 14, 22] + [22] * len(stats))
    freeze(ws, 4, 3)
    print_setup(ws, alloc, lang, landscape=True)
    repeat_rows(ws, 3)


def stat_format(stat: Statistic) -> str:
    """Thousands separated, with as many decimals as the statistic's values carry."""
    places = max((max(0, -int(v.as_tuple().exponent)) for v in stat.values.values()),
                 default=0)
    return INT if places == 0 else "#,##0." + "0" * min(places, 8)


METHOD_WIDTH = 75


def method_sheet(wb: Book, alloc: Allocation, inputs: Inputs, snapshot_file: str,
                 lang: Lang) -> None:
    ws = wb.sheet(label("sheet_method", lang))
    put(ws, 1, 1, label("title_method", lang), font=TITLE)
    row = 3
    for row, text in enumerate(method_lines(alloc, snapshot_file, lang, inputs.shown),
                               start=3):
        put(ws, row, 1, text, alignment=WRAP)
        height(ws, row, text_height(text, METHOD_WIDTH))
    widths(ws, [METHOD_WIDTH])
    print_area(ws, row, 1)
    print_setup(ws, alloc, lang)


def provenance(ws: Sheet, row: int, snapshot_path: Path, snapshot_date: date,
               inputs: Inputs, lang: Lang) -> int:
    """From ``row`` down: the snapshot file and its date, the data directory (by its folder
    name), every input file (by its path inside it) with its SHA-256, and kn's version; the
    row after the block. No path of the machine appears."""
    put(ws, row, 1, label("snapshot", lang), font=BOLD)
    put(ws, row, 2, inputs.shown(snapshot_path))
    row += 1
    put(ws, row, 1, label("snapshot_date", lang))
    put(ws, row, 2, snapshot_date.isoformat())
    row += 2
    if inputs.folder:
        put(ws, row, 1, label("data_folder", lang), font=BOLD)
        put(ws, row, 2, inputs.folder)
        row += 2
    put(ws, row, 1, label("inputs", lang), font=BOLD)
    row += 1
    for _, path in inputs.files:
        put(ws, row, 1, inputs.shown(path))
        put(ws, row, 3, inputs.checksums[str(path)])
        row += 1
    row += 1
    put(ws, row, 1, label("version", lang, version=__version__))
    return row + 1
