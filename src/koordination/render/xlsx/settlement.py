"""The settlement workbook: Avräkning, Budget mot utfall, Underlag, Metod."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from koordination import __version__
from koordination.core.allocation import Allocation
from koordination.core.models import name_key
from koordination.core.records import Record, SettlementRecord
from koordination.core.results import SettlementRun
from koordination.core.settlement import MemberSettlement, Settlement
from koordination.render.labels import Lang, label
from koordination.render.method import key_line, statistic_lines
from koordination.render.numbers import number_text
from koordination.render.standing import short_standing, standing
from koordination.render.xlsx.allocation import provenance
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    EXACT,
    INT,
    KR_ORE,
    PCT,
    TITLE,
    TOTAL_FILL,
    WRAP,
    Book,
    Sheet,
    a4,
    figure,
    formula,
    freeze,
    header_row,
    height,
    letter,
    merge,
    money_format,
    new_workbook,
    number,
    page_frame,
    print_area,
    put,
    repeat_rows,
    signed_format,
    stamp,
    text_height,
    to_bytes,
    total,
    widths,
    with_kr,
)

FIRST_ROW = 5  # header on row 4, members from row 5
METHOD_WIDTH = 75


def settlement_workbook(run: SettlementRun, lang: Lang,
                        decision: Record | None = None,
                        settled: SettlementRecord | None = None) -> bytes:
    """The bytes of the settlement workbook; identical inputs give identical bytes.
    ``decision`` is the record of the year's fees the settlement rests on (None: the fees
    are a proposal, Förslag); ``settled`` the settlement's own decision, when it has one
    (then every page names it)."""
    wb = new_workbook(run.settlement.plan.start.replace(month=1, day=1))
    settlement = run.settlement
    settlement_sheet(wb, settlement, lang)
    budget_actual_sheet(wb, run.allocation_run.allocation, settlement, lang)
    basis_sheet(wb, run, lang)
    source = run.charged.source
    method_sheet(wb, settlement, lang, source if source == "recomputed"
                 else run.inputs.shown(source), run.inputs.shown)
    long = f"{label('st_label', lang)}: {standing(decision, lang)}"
    if settled is not None:
        own = standing(settled, lang)
        long += f"; {own[:1].lower()}{own[1:]}"
    stamp(wb, short_standing(settled if settled is not None else decision, lang), long)
    return to_bytes(wb)


def settlement_sheet(wb: Book, settlement: Settlement, lang: Lang) -> None:
    plan, network = settlement.plan, settlement.plan.network
    year = settlement.year
    fmt = money_format(plan.unit)
    basis = settlement.forecast
    if basis is None:
        ws = wb.sheet(label("sheet_settlement", lang, year=year))
        put(ws, 1, 1, label("title_settlement", lang, name=network.name, year=year), font=TITLE)
    else:
        ws = wb.sheet(label("sheet_forecast", lang, year=year))
        put(ws, 1, 1, label("title_forecast", lang, name=network.name, year=year,
                            date=basis.through.isoformat()), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                        days=plan.period_days))
    columns = [
        label("col_kommun", lang),
        label("s_col_charged", lang, year=year),
        label("s_col_share_actual", lang),
        label("s_col_settlement" if basis is None else "f_col_settlement", lang),
    ]
    columns += [
        label("s_col_one_off", lang, name=o.cost.name, date=o.cost.date.isoformat())
        for o in settlement.one_offs
    ]
    carried = settlement.any_carried
    if carried:
        columns.append(label("s_col_carried" if basis is None else "f_col_carried", lang,
                             year=settlement.next_year))
    columns.append(label("s_col_to_pay" if basis is None else "f_col_to_pay", lang))
    columns = [columns[0]] + [label("unit_kr", lang, text=c) for c in columns[1:]]
    if carried:
        columns.append(label("col_note", lang))
    header_row(ws, 4, columns)
    row = FIRST_ROW
    signed = signed_format(fmt)
    for m in settlement.members:
        values: list[tuple[Decimal, str]] = [(m.charged, fmt), (m.share_of_actual, fmt),
                                             (m.settlement, signed)]
        values += [(amount, signed) for amount in m.one_off]
        if carried:
            values.append((m.carried_forward, signed))  # as next year's annex shows it
        values.append((m.to_invoice, signed))
        put(ws, row, 1, m.name, border=BOX)
        for col, (value, number_format) in enumerate(values, start=2):
            put(ws, row, col, value, number_format, border=BOX)
        if carried:
            put(ws, row, len(values) + 2, member_note(settlement, m, lang), border=BOX)
        row += 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    sums = len(columns) - (1 if carried else 0)
    for col in range(2, sums + 1):
        total(ws, row, col, range(FIRST_ROW, row),
                fmt if col < 4 else signed, font=BOLD, fill=TOTAL_FILL, border=BOX)
    if carried:
        put(ws, row, len(columns), None, fill=TOTAL_FILL, border=BOX)
    row += 1
    signs = label("s_signs", lang)
    put(ws, row, 1, signs, alignment=WRAP)
    merge(ws, row, 1, row, len(columns))
    height(ws, row, text_height(signs, 24 + 18 * (len(columns) - 1)))
    row += 2
    # the unit after every figure (this column has no heading), a true minus sign; one
    # column, one number of decimals: öre on every line when one line has öre
    summary: list[tuple[str, Decimal | Fraction]] = [] if basis is None else [
        (label("f_so_far", lang, date=basis.through.isoformat()), basis.so_far_total),
    ]
    summary += [
        (label("s_actual" if basis is None else "f_expected", lang), settlement.actual),
        (label("s_funding" if basis is None else "f_funding", lang), -settlement.funding),
        (label("s_net", lang), settlement.net),
        (label("s_charged", lang, year=year), -settlement.charged),
        (label("s_difference", lang), settlement.difference),
    ]
    if settlement.one_offs:
        summary.append((label("s_one_offs", lang), settlement.one_off_total))
        summary.append((label("s_total", lang), settlement.total))
    if carried:
        summary.append((label("s_carried_forward", lang, year=settlement.next_year),
                        settlement.carried_forward))
        summary.append((label("s_to_invoice", lang), settlement.to_invoice))
    if settlement.carried_in:
        summary.append((label("s_carried_in", lang, year=year - 1), settlement.carried_in))
    figures = [number(a, 2) if isinstance(a, Fraction) else a for _, a in summary]
    summary_fmt = summary_format(figures, plan.unit)
    for (text, _), figure_value in zip(summary, figures, strict=True):
        put(ws, row, 1, text)
        put(ws, row, 4, figure_value, summary_fmt)
        row += 1
    if basis is not None:
        note = label("f_note", lang)
        row += 1
        put(ws, row, 1, note, font=BOLD, alignment=WRAP)
        merge(ws, row, 1, row, len(columns))
        height(ws, row, text_height(note, 24 + 18 * (len(columns) - 1)))
        row += 1
    if settlement.one_offs:
        row += 1
        put(ws, row, 1, label("s_one_offs", lang), font=BOLD)
        row += 1
        for col, text in enumerate(
            (label("s_col_date", lang), label("s_col_amount", lang),
             label("s_col_sharing", lang)), start=2
        ):
            put(ws, row, col, text, font=BOLD)
        row += 1
        names = {m.code: m.name for m in settlement.members}
        for share in settlement.one_offs:
            text = ", ".join(names[c] for c in share.members)
            put(ws, row, 1, share.cost.name, alignment=WRAP)
            put(ws, row, 2, share.cost.date.isoformat(), alignment=WRAP)
            put(ws, row, 3, share.total, fmt, alignment=WRAP)
            put(ws, row, 4, text, alignment=WRAP)
            last_col = max(4, len(columns))
            if last_col > 4:
                merge(ws, row, 4, row, last_col)
            height(ws, row, max(text_height(text, 18 * (last_col - 3)),
                                text_height(share.cost.name, 24)))
            row += 1
    widths(ws, [24] + [18] * (len(columns) - 1 - (1 if carried else 0))
           + ([40] if carried else []))
    height(ws, 4, max(32, *(text_height(c, 16) - 2 for c in columns)))
    freeze(ws, FIRST_ROW, 2)
    print_setup(ws, settlement, lang, landscape=len(columns) > 6)
    repeat_rows(ws, 4)


def summary_format(amounts: list[Decimal | int], unit: Decimal) -> str:
    """Figures outside the table: kronor with the unit after them and a true minus sign,
    öre when the network rounds to öre or one of them has öre."""
    ore = unit < 1 or any(a != int(a) for a in amounts)
    return with_kr(KR_ORE if ore else money_format(unit))


def member_note(settlement: Settlement, m: MemberSettlement, lang: Lang) -> str:
    """Why a member's row of a carrying network reads as it does: settled now because it
    is not a member next year, or nothing to settle."""
    if not m.settlement and not m.one_off_total:
        return label("s_note_zero", lang)
    if m.settlement and not m.carried:
        return label("s_note_leaves", lang, year=settlement.next_year)
    return ""


def _pair_rows(
    budgeted: list[tuple[str, Fraction]], actual: list[tuple[str, Fraction]]
) -> list[tuple[str, Fraction | None, Fraction | None]]:
    """Budget rows matched by name with actual rows (case and spacing aside); the unmatched
    of either side on their own rows, budget order first."""
    actual_by = {name_key(n): (n, a) for n, a in actual}
    used: set[str] = set()
    rows: list[tuple[str, Fraction | None, Fraction | None]] = []
    for name, amount in budgeted:
        key = name_key(name)
        if key in actual_by and key not in used:
            used.add(key)
            rows.append((name, amount, actual_by[key][1]))
        else:
            rows.append((name, amount, None))
    for name, amount in actual:
        if name_key(name) not in used:
            rows.append((name, None, amount))
    return rows


def budget_actual_sheet(
    wb: Book, alloc: Allocation, settlement: Settlement, lang: Lang
) -> None:
    network = settlement.plan.network
    year = settlement.year
    ws = wb.sheet(label("sheet_budget_actual", lang))
    put(ws, 1, 1, label("title_budget_actual", lang, name=network.name, year=year), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=alloc.budget.start.isoformat(),
                        end=alloc.budget.end.isoformat(), days=alloc.budget.days))
    header_row(ws, 4, [label(k, lang) for k in (
        "col_line", "ba_col_budget",
        "ba_col_actual" if settlement.forecast is None else "f_col_forecast",
        "ba_col_difference", "ba_col_percent")])
    rows = _pair_rows(
        [(la.line.name, la.period) for la in alloc.lines],
        [(line.name, Fraction(line.amount)) for line in settlement.actuals.lines],
    )
    row = FIRST_ROW

    def line_row(name: str, budget: Fraction | None, actual: Fraction | None) -> None:
        note = ""
        if budget is None:
            note = " " + label("ba_not_in_budget", lang)
        elif actual is None:
            note = " " + label("ba_not_in_actuals", lang)
        put(ws, row, 1, name + note, border=BOX)
        put(ws, row, 2, None if budget is None else number(budget, 2), KR_ORE, border=BOX)
        put(ws, row, 3, None if actual is None else number(actual, 2), KR_ORE, border=BOX)
        if budget is not None and actual is not None:
            put(ws, row, 4, number(actual - budget, 2), KR_ORE, border=BOX)
            put(ws, row, 5, number((actual - budget) / budget, 4) if budget else None, PCT,
                border=BOX)
        else:
            put(ws, row, 4, None, border=BOX)
            put(ws, row, 5, None, border=BOX)

    for name, budget, actual in rows:
        line_row(name, budget, actual)
        row += 1
    last = row - 1
    put(ws, row, 1, label("budget_total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col in (2, 3):
        total(ws, row, col, range(FIRST_ROW, last + 1), KR_ORE, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    budgeted, spent = figure(ws, row, 2), figure(ws, row, 3)
    formula(ws, row, 4, f"=C{row}-B{row}", KR_ORE, spent - budgeted, font=BOLD,
            fill=TOTAL_FILL, border=BOX)
    formula(ws, row, 5, f'=IF(B{row}=0,"",D{row}/B{row})', PCT,
            (spent - budgeted) / budgeted if budgeted else "", font=BOLD, fill=TOTAL_FILL,
            border=BOX)
    total_row = row
    row += 2
    funding = _pair_rows(
        [(f.name, Fraction(f.amount)) for f in alloc.budget.funding],
        [(f.name, Fraction(f.amount)) for f in settlement.actuals.funding],
    )
    if funding:
        put(ws, row, 1, label("funding", lang), font=BOLD)
        row += 1
        first = row
        for name, budget, actual in funding:
            line_row(name, budget, actual)
            row += 1
        put(ws, row, 1, label("ba_net", lang), font=BOLD)
        for col in (2, 3):
            name = letter(col)
            formula(ws, row, col, f"={name}{total_row}-SUM({name}{first}:{name}{row - 1})",
                    KR_ORE, figure(ws, total_row, col)
                    - sum((figure(ws, r, col) for r in range(first, row)), Decimal(0)),
                    font=BOLD)
        formula(ws, row, 4, f"=C{row}-B{row}", KR_ORE, figure(ws, row, 3) - figure(ws, row, 2),
                font=BOLD)
        row += 2
    if settlement.one_offs:
        put(ws, row, 1, label("s_one_offs", lang), font=BOLD)
        row += 1
        for share in settlement.one_offs:
            put(ws, row, 1, f"{share.cost.name} ({share.cost.date.isoformat()})", border=BOX)
            put(ws, row, 3, number(Fraction(share.cost.amount), 2), KR_ORE, border=BOX)
            row += 1
        row += 1
    if settlement.forecast is not None:
        forecast_lines(ws, row, settlement, lang)
    widths(ws, [44, 20, 20, 18, 14])
    freeze(ws, 5, 2)
    print_setup(ws, settlement, lang)


def forecast_lines(ws: Sheet, row: int, settlement: Settlement, lang: Lang) -> None:
    """A forecast's lines: the outcome so far, the expected outcome of the year, and what
    each expectation rests on (the forecast given, the budget, or the outcome so far)."""
    basis = settlement.forecast
    assert basis is not None
    through = basis.through.isoformat()
    put(ws, row, 1, label("forecast", lang, year=settlement.year, date=through), font=BOLD)
    row += 1
    header_row(ws, row, [label("col_line", lang), label("f_so_far", lang, date=through),
                         label("f_col_forecast", lang), label("f_col_source", lang), ""])
    merge(ws, row, 4, row, 5)
    height(ws, row, 32)
    first = row + 1
    for line in basis.lines:
        row += 1
        put(ws, row, 1, line.name, border=BOX)
        put(ws, row, 2, line.so_far, KR_ORE, border=BOX)
        put(ws, row, 3, line.expected, KR_ORE, border=BOX)
        put(ws, row, 4, label(f"f_source_{line.source}", lang), border=BOX)
        put(ws, row, 5, None, border=BOX)
        merge(ws, row, 4, row, 5)
    row += 1
    put(ws, row, 1, label("budget_total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col in (2, 3):
        total(ws, row, col, range(first, row), KR_ORE, font=BOLD, fill=TOTAL_FILL, border=BOX)


def basis_sheet(wb: Book, run: SettlementRun, lang: Lang) -> None:
    settlement = run.settlement
    plan = settlement.plan
    fmt = money_format(plan.unit)
    ws = wb.sheet(label("sheet_basis", lang))
    put(ws, 1, 1, label("title_settlement_basis", lang, year=settlement.year), font=TITLE)
    columns = [
        label("col_code", lang),
        label("col_kommun", lang),
        label("col_population", lang, date=plan.snapshot.date.isoformat()),
        label("col_weight", lang),
        label("col_days", lang),
        label("s_col_charged", lang, year=settlement.year),
        label("s_col_exact", lang),
        label("s_col_rounded", lang),
        label("col_adjustment", lang),
    ]
    header_row(ws, 3, columns)
    column_widths = [24, 22, 24, 18, 10, 18, 18, 18, 18]
    height(ws, 3, max(16, *(text_height(c, w) for c, w in zip(columns, column_widths,
                                                             strict=True))))
    row = 4
    for m in settlement.members:
        put(ws, row, 1, m.code, border=BOX)
        put(ws, row, 2, m.name, border=BOX)
        party = plan.is_party(m.code)  # a party has no population
        put(ws, row, 3, None if party else m.population, INT, border=BOX)
        put(ws, row, 4, None if party else plan.weights[m.code], INT, border=BOX)
        put(ws, row, 5, m.days, INT, border=BOX)
        put(ws, row, 6, m.charged, fmt, border=BOX)
        put(ws, row, 7, number(m.exact, 8), EXACT, border=BOX)
        put(ws, row, 8, m.settlement, fmt, border=BOX)
        put(ws, row, 9, number(m.adjustment, 8), EXACT, border=BOX)
        row += 1
    last = row - 1
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col, f in ((6, fmt), (7, EXACT), (8, fmt), (9, EXACT)):
        total(ws, row, col, range(4, last + 1), f, font=BOLD,
                fill=TOTAL_FILL, border=BOX)
    row += 2
    names = {m.code: m.name for m in settlement.members}
    for share in settlement.one_offs:
        put(ws, row, 1, f"{share.cost.name} ({share.cost.date.isoformat()})", font=BOLD)
        row += 1
        header_row(ws, row, [label("col_code", lang), label("col_kommun", lang), "", "", "",
                             "", label("col_exact", lang), label("col_rounded", lang)])
        row += 1
        for code in share.members:
            put(ws, row, 1, code)
            put(ws, row, 2, names[code])
            put(ws, row, 7, number(share.exact[code], 8), EXACT)
            put(ws, row, 8, share.amounts[code], fmt)
            row += 1
        row += 1
    provenance(ws, row, run.snapshot_path, plan.snapshot.date, run.inputs, lang)
    widths(ws, column_widths)
    freeze(ws, 4, 3)
    print_setup(ws, settlement, lang, landscape=True)


def print_setup(ws: Sheet, settlement: Settlement, lang: Lang,
                landscape: bool = False) -> None:
    """A4, one page wide, the cooperation and year on top, kn's version and the page below."""
    a4(ws, landscape=landscape)
    name, basis = settlement.plan.network.name, settlement.forecast
    page_frame(ws, f"{name} {settlement.year}" if basis is None else
               f"{name}: {label('forecast', lang, year=settlement.year, date=basis.through)}",
               label("footer_version", lang, version=__version__), label("page_of", lang))


def method_lines(settlement: Settlement, lang: Lang, source: str = "recomputed",
                 shown: Callable[[str], str] = str) -> list[str]:
    """The settlement rules (reference 3.9-3.10) in plain words, as they were applied; ``source``
    is where the charged fees come from ("recomputed" or the decision file)."""
    plan, network = settlement.plan, settlement.plan.network
    charged = (
        label("sm_charged", lang, year=settlement.year)
        if source == "recomputed"
        else label("sm_charged_decision", lang, year=settlement.year, file=source)
    )
    basis = settlement.forecast
    lines = [] if basis is None else [
        label("fm_basis", lang, date=basis.through.isoformat(),
              so_far=number_text(basis.so_far_total, None, lang),
              expected=number_text(settlement.actual, None, lang)),
    ]
    lines += [
        charged,
        label("sm_difference" if basis is None else "fm_difference", lang,
              actual=number_text(settlement.actual, None, lang),
              funding=number_text(settlement.funding, None, lang),
              charged=number_text(settlement.charged, None, lang),
              year=settlement.year, unit=number_text(network.rounding, None, lang),
              difference=number_text(settlement.difference, None, lang)),
        label("sm_key", lang, date=plan.snapshot.date.isoformat()),
        *statistic_lines(plan.statistics.values(), lang, shown),
        key_line(network.key, lang),
    ]
    if settlement.difference == 0:
        lines.append(label("sm_balanced", lang))
    elif basis is not None:  # nothing is invoiced on a forecast
        lines.append(label("fm_when_closed", lang))
    elif settlement.difference < 0 and network.surplus == "refund":
        lines.append(label("sm_refund", lang))
    elif settlement.difference > 0 and network.deficit == "charge":
        lines.append(label("sm_charge", lang))
    if network.population_cap is not None and network.key.kind != "fixed":
        lines.append(label("m_cap", lang, cap=number_text(network.population_cap, 0, lang)))
    if len(plan.segments) > 1:
        lines.append(label("m_segments", lang, count=len(plan.segments),
                           months=network.notice_months))
    if settlement.one_offs:
        lines.append(label("sm_one_off", lang))
    if settlement.difference < 0 and network.surplus == "carry_forward":
        lines.append(label("sm_carry_surplus", lang, next=settlement.next_year))
    if settlement.difference > 0 and network.deficit == "carry_forward":
        lines.append(label("sm_carry_deficit", lang, next=settlement.next_year))
    lines.append(label("m_rounding", lang, unit=number_text(network.rounding, None, lang)))
    lines.append(label("m_vat", lang))
    return lines


def method_sheet(wb: Book, settlement: Settlement, lang: Lang, source: str,
                 shown: Callable[[str], str]) -> None:
    ws = wb.sheet(label("sheet_method", lang))
    put(ws, 1, 1, label("title_settlement_method", lang), font=TITLE)
    row = 3
    for row, text in enumerate(method_lines(settlement, lang, source, shown), start=3):
        put(ws, row, 1, text, alignment=WRAP)
        height(ws, row, text_height(text, METHOD_WIDTH))
    widths(ws, [METHOD_WIDTH])
    print_area(ws, row, 1)
    print_setup(ws, settlement, lang)

