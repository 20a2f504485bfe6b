"""``kn report``'s terminal summary: budget against outcome per group, then the year's key
figures (fees, settlement, carried money, kronor per inhabitant)."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from koordination.core.report import Report, ReportRow
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer, kr, percent

ORE = Decimal("0.01")


def report_title(report: Report, lang: Lang) -> str:
    name = report.settlement.plan.network.name
    basis = report.settlement.forecast
    if basis is None:
        return label("title_report", lang, name=name, year=report.year)
    return label("title_report_forecast", lang, name=name, year=report.year,
                 date=basis.through.isoformat())


def groups_table(report: Report, lang: Lang) -> Table:
    """Per group: budget, outcome, variance in kr and %; the costs' total, funding, net."""
    outcome = "r_col_outcome" if report.settlement.forecast is None else "r_col_outcome_forecast"
    table = Table(title=report_title(report, lang))
    table.add_column(label("r_col_group", lang))
    for key in ("r_col_budget", outcome, "r_col_variance", "r_col_variance_pct"):
        table.add_column(label(key, lang), justify="right")

    def add(name: str, row: ReportRow, end_section: bool = False) -> None:
        pct = row.variance_percent
        table.add_row(name, kr(row.budget, ORE, lang), kr(row.outcome, ORE, lang),
                      kr(row.variance, ORE, lang, sign="nonzero"),
                      "" if pct is None else percent(pct, lang, sign="nonzero"),
                      end_section=end_section)

    for i, group in enumerate(report.groups):
        add(group.name or label("r_not_in_budget", lang), group,
            end_section=i == len(report.groups) - 1)
    add(label("r_costs", lang), report.total)
    add(label("funding", lang),
        ReportRow(None, None, report.funding_budget, report.funding_outcome))
    add(label("r_net", lang), report.net)
    return table


def key_figures(report: Report, lang: Lang) -> Table:
    """The fees, the settlement, what was carried and the cost per inhabitant, one line each."""
    settlement = report.settlement
    unit = settlement.plan.unit
    year = report.year
    table = Table(show_header=False, box=None)
    table.add_column()
    table.add_column(justify="right")
    fees = label("r_fees", lang, year=year)
    if report.fees_source != "recomputed":
        fees += f" ({label('r_fees_decided', lang, file=report.fees_source)})"
    rows = [(fees, kr(report.fees, unit, lang))]
    if report.carried_in:
        rows.append((label("r_carried_in", lang, year=year - 1),
                     f"({kr(report.carried_in, unit, lang)})"))
    difference = label("r_difference" if settlement.forecast is None
                       else "r_difference_forecast", lang)
    if report.settlement_source is not None:
        difference += f" ({label('r_fees_decided', lang, file=report.settlement_source)})"
    rows.append((difference, kr(settlement.difference, unit, lang, sign="nonzero")))
    if settlement.one_offs:
        rows.append((label("r_one_off", lang), kr(settlement.one_off_total, unit, lang)))
    if report.carried_forward:
        rows.append((label("r_carried_out", lang, year=year + 1),
                     kr(report.carried_forward, unit, lang, sign="nonzero")))
    rows.append((label("r_members_total", lang, year=year), kr(report.members_total, unit,
                                                                lang)))
    rows.append((label("r_population", lang, date=settlement.plan.snapshot.date.isoformat()),
                 integer(report.population, lang)))
    for key, per in (("r_fees_per", report.fees_per_inhabitant),
                     ("r_outcome_per", report.outcome_per_inhabitant)):
        if per is not None:
            rows.append((label(key, lang), kr(per, ORE, lang)))
    for name, text in rows:
        table.add_row(name, text)
    return table
