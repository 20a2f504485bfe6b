"""``kn budget`` on a terminal: the budget lines, prorated to the period, with the total."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.table import Table

from koordination.core.allocation import BudgetSummary
from koordination.core.models import Budget
from koordination.render.labels import Lang, label
from koordination.render.method import line_basis
from koordination.render.numbers import kr

ORE = Decimal("0.01")


def budget_table(network_name: str, budget: Budget, summary: BudgetSummary, lang: Lang) -> Table:
    """Group, line, basis, yearly amount and the amount for the period, in kronor and öre;
    the funding sources below the lines and the total to allocate in the footer."""

    def money(value: Decimal | Fraction) -> str:
        return kr(value, ORE, lang)

    table = Table(
        title=label("title_budget", lang, name=network_name, year=budget.year),
        caption=label("period", lang, start=budget.start.isoformat(), end=budget.end.isoformat(),
                      days=budget.days),
        show_footer=True,
    )
    table.add_column(label("col_group", lang), label("to_allocate", lang))
    table.add_column(label("col_line", lang))
    table.add_column(label("col_basis", lang), no_wrap=True)  # a formula reads on one line
    table.add_column(label("col_yearly", lang), justify="right")
    table.add_column(label("col_for_period", lang), money(summary.total), justify="right")
    for la in summary.lines:
        table.add_row(la.line.group, la.line.name, line_basis(la.line, lang), money(la.yearly),
                      money(la.period))
    table.add_section()
    table.add_row(label("budget_total", lang), "", "", money(summary.yearly),
                  money(summary.period))
    for source in budget.funding:
        table.add_row(label("funding", lang), source.name, "", "", money(-source.amount))
    return table
