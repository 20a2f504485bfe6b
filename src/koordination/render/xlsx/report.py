"""The report workbook (``kn report``): one sheet, Rapport YYYY, for the steering group.

From the top: budget against outcome per group (with a chart of the two), per line, the year's
key figures (fees, settlement, carried money, kronor per inhabitant) and the settlement per
member. Every figure is the report's (:mod:`koordination.core.report`); nothing is computed
here. Totals are values, as the report computed them.
"""

from __future__ import annotations

from decimal import Decimal

from koordination import __version__
from koordination.core.records import Record
from koordination.core.report import Report, ReportRow
from koordination.core.results import ReportRun
from koordination.render.labels import Lang, label
from koordination.render.standing import short_standing, standing
from koordination.render.text.report import report_title
from koordination.render.xlsx.base import (
    BOLD,
    BOX,
    CM_PX,
    INT,
    KR_ORE,
    TITLE,
    TOTAL_FILL,
    WRAP,
    Book,
    Sheet,
    a4,
    clean,
    header_row,
    height,
    merge,
    money_format,
    new_workbook,
    number,
    page_frame,
    print_area,
    put,
    signed_format,
    stamp,
    text_height,
    to_bytes,
    widths,
    with_kr,
)

WIDTHS = [38, 17, 17, 17, 13, 17]
CHART_ROWS = 18
SIGNED_ORE = signed_format(KR_ORE)
SIGNED_PCT = "+0.00%;−0.00%;0.00%"


def report_workbook(run: ReportRun, lang: Lang, decision: Record | None = None) -> bytes:
    """The bytes of the report workbook; identical inputs give identical bytes. ``decision``
    is the record of the year's fees (None: a proposal, Förslag)."""
    wb = new_workbook(run.report.settlement.plan.start.replace(month=1, day=1))
    report_sheet(wb, run.report, lang)
    stamp(wb, short_standing(decision, lang),
          f"{label('st_label', lang)}: {standing(decision, lang)}")
    return to_bytes(wb)


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / 100


def _compare_row(ws: Sheet, row: int, name: str, r: ReportRow, total: bool = False,
                 indent: bool = False) -> None:
    font, fill = (BOLD, TOTAL_FILL) if total else (None, None)
    put(ws, row, 1, ("    " if indent else "") + name, border=BOX, alignment=WRAP, font=font,
        fill=fill)
    put(ws, row, 2, number(r.budget, 2), KR_ORE, border=BOX, font=font, fill=fill)
    put(ws, row, 3, number(r.outcome, 2), KR_ORE, border=BOX, font=font, fill=fill)
    put(ws, row, 4, number(r.variance, 2), SIGNED_ORE, border=BOX, font=font, fill=fill)
    put(ws, row, 5, _percent(r.variance_percent), SIGNED_PCT, border=BOX, font=font, fill=fill)
    height(ws, row, text_height(name, WIDTHS[0] - 2))


def _header(ws: Sheet, row: int, report: Report, lang: Lang, first: str) -> None:
    outcome = "r_col_outcome" if report.settlement.forecast is None else "r_col_outcome_forecast"
    header_row(ws, row, [label(first, lang)] + [
        label("unit_kr", lang, text=label(key, lang))
        for key in ("r_col_budget", outcome, "r_col_variance")] + [
        label("r_col_variance_pct", lang)])


def report_sheet(wb: Book, report: Report, lang: Lang) -> None:
    settlement = report.settlement
    plan = settlement.plan
    year = report.year
    unit_fmt = money_format(plan.unit)
    ws = wb.sheet(label("sheet_report", lang, year=year))
    put(ws, 1, 1, report_title(report, lang), font=TITLE)
    put(ws, 2, 1, label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                        days=plan.period_days))
    row = 5
    put(ws, row, 1, label("r_groups", lang), font=BOLD)
    row += 1
    _header(ws, row, report, lang, "r_col_group")
    row += 1
    first_group = row
    for group in report.groups:
        _compare_row(ws, row, group.name or label("r_not_in_budget", lang), group)
        row += 1
    last_group = row - 1
    _compare_row(ws, row, label("r_costs", lang), report.total, total=True)
    row += 1
    _compare_row(ws, row, label("funding", lang),
                 ReportRow(None, None, report.funding_budget, report.funding_outcome))
    row += 1
    _compare_row(ws, row, label("r_net", lang), report.net, total=True)
    row += 1
    signs = label("r_signs", lang)
    put(ws, row, 1, signs, alignment=WRAP)
    merge(ws, row, 1, row, 5)
    row += 2
    _chart(ws, report, lang, first_group, last_group, row)
    row += CHART_ROWS + 1
    put(ws, row, 1, label("r_lines", lang), font=BOLD)
    row += 1
    _header(ws, row, report, lang, "col_line")
    row += 1
    for group in report.groups:
        put(ws, row, 1, group.name or label("r_not_in_budget", lang), font=BOLD, border=BOX)
        for col in range(2, 6):
            put(ws, row, col, None, border=BOX)
        row += 1
        for line in report.lines:
            if line.group == group.group:
                _compare_row(ws, row, line.name or "", line, indent=True)
                row += 1
    _compare_row(ws, row, label("r_costs", lang), report.total, total=True)
    row += 2
    ws.ws.set_h_pagebreaks([row - 1])  # key figures and members on a page of their own
    put(ws, row, 1, label("r_key_figures", lang), font=BOLD)
    row += 1
    for text, value, fmt in _key_figures(report, lang, unit_fmt):
        put(ws, row, 1, text, border=BOX, alignment=WRAP)
        put(ws, row, 2, value, fmt, border=BOX)
        height(ws, row, text_height(text, WIDTHS[0] - 2))
        row += 1
    row += 1
    put(ws, row, 1, label("r_settlement", lang), font=BOLD)
    row += 1
    carried = settlement.any_carried
    columns = [label("s_col_charged", lang, year=year),
               label("f_col_settlement" if settlement.forecast else "s_col_settlement", lang),
               label("s_one_offs", lang), label("r_col_amount", lang)]
    if carried:
        columns.append(label("s_col_carried", lang, year=year + 1))
    columns = [label("col_kommun", lang)] + [label("unit_kr", lang, text=c) for c in columns]
    header_row(ws, row, columns)
    height(ws, row, max(32, *(text_height(c, 15) - 2 for c in columns)))
    row += 1
    signed = signed_format(unit_fmt)
    for m in settlement.members:
        values: list[tuple[Decimal, str]] = [(m.charged, unit_fmt), (m.settlement, signed),
                                             (m.one_off_total, unit_fmt), (m.amount, signed)]
        if carried:
            values.append((-m.carried_forward, signed))
        put(ws, row, 1, m.name, border=BOX)
        for col, (value, fmt) in enumerate(values, start=2):
            put(ws, row, col, value, fmt, border=BOX)
        row += 1
    totals: list[tuple[Decimal, str]] = [
        (settlement.charged, unit_fmt), (settlement.difference, signed),
        (settlement.one_off_total, unit_fmt), (settlement.total, signed)]
    if carried:
        totals.append((-settlement.carried_forward, signed))
    put(ws, row, 1, label("total", lang), font=BOLD, fill=TOTAL_FILL, border=BOX)
    for col, (value, fmt) in enumerate(totals, start=2):
        put(ws, row, col, value, fmt, font=BOLD, fill=TOTAL_FILL, border=BOX)
    widths(ws, WIDTHS)
    print_area(ws, row, 6 if carried else 5)
    a4(ws)
    name, basis = plan.network.name, settlement.forecast
    page_frame(ws, f"{name}: {label('sheet_report', lang, year=year)}" if basis is None else
               f"{name}: {label('sheet_report', lang, year=year)}, "
               f"{label('forecast', lang, year=year, date=basis.through)}",
               label("footer_version", lang, version=__version__), label("page_of", lang))


def _key_figures(report: Report, lang: Lang, plain_fmt: str
                 ) -> list[tuple[str, Decimal | int, str]]:
    settlement = report.settlement
    year = report.year
    unit_fmt, signed = with_kr(plain_fmt), with_kr(signed_format(plain_fmt))
    fees = label("r_fees", lang, year=year)
    if report.fees_source != "recomputed":
        fees += f" ({label('r_fees_decided', lang, file=report.fees_source)})"
    rows: list[tuple[str, Decimal | int, str]] = [(fees, report.fees, unit_fmt)]
    if report.carried_in:
        rows.append((label("r_carried_in", lang, year=year - 1), report.carried_in, signed))
    difference = label("r_difference" if settlement.forecast is None
                       else "r_difference_forecast", lang)
    if report.settlement_source is not None:
        difference += f" ({label('r_fees_decided', lang, file=report.settlement_source)})"
    rows.append((difference, settlement.difference, signed))
    if settlement.one_offs:
        rows.append((label("r_one_off", lang), settlement.one_off_total, unit_fmt))
    if report.carried_forward:
        rows.append((label("r_carried_out", lang, year=year + 1), report.carried_forward,
                     signed))
    rows.append((label("r_members_total", lang, year=year), report.members_total, unit_fmt))
    rows.append((label("r_population", lang, date=settlement.plan.snapshot.date.isoformat()),
                 report.population, INT))
    for key, value in (("r_fees_per", report.fees_per_inhabitant),
                       ("r_outcome_per", report.outcome_per_inhabitant)):
        if value is not None:
            rows.append((label(key, lang), value, with_kr(KR_ORE)))
    return rows


def _chart(ws: Sheet, report: Report, lang: Lang, first: int, last: int,
           anchor_row: int) -> None:
    """A bar chart of budget and outcome per group, from the group table's cells; the groups
    down the chart in the table's order."""
    chart = ws.book.chart({"type": "bar"})
    for col, color in ((2, "#4F6D8F"), (3, "#C0504D")):
        chart.add_series({
            "name": [ws.title, first - 2, col - 1],
            "categories": [ws.title, first - 1, 0, last - 1, 0],
            "values": [ws.title, first - 1, col - 1, last - 1, col - 1],
            "fill": {"color": color}, "border": {"color": color}, "gap": 50,
        })
    chart.set_title({"name": clean(label("r_chart", lang, year=report.year)),
                     "name_font": {"size": 12, "bold": True}})
    chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True, "crossing": "max"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": round(sum(WIDTHS[:5]) * 0.185 * CM_PX),
                    "height": round(CHART_ROWS * 0.53 * CM_PX)})
    ws.ws.insert_chart(anchor_row - 1, 0, chart)
