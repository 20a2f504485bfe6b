"""``kn budget YEAR``: the budget lines, prorated to the period, with the total."""

from __future__ import annotations

import typer

from koordination.cli.common import DataOption, LangOption, Language, YearArgument, reports_errors


def register(app: typer.Typer) -> None:
    app.command("budget")(budget_command)


@reports_errors
def budget_command(
    year: YearArgument, data: DataOption = None, lang: LangOption = Language.sv
) -> None:
    """Show YEAR's budget lines, their amounts for the period, funding and the total."""
    from decimal import Decimal
    from fractions import Fraction

    from rich.table import Table

    from koordination.core.allocation import budget_lines
    from koordination.core.money import ZERO, round_half_up, to_decimal
    from koordination.io.datadir import DataDir, load_budget, load_network
    from koordination.render.labels import label
    from koordination.render.text.tables import console, kr

    data_dir = DataDir.resolve(data)
    network = load_network(data_dir)
    budget, _ = load_budget(data_dir, year)
    lines = budget_lines(budget)
    lg = lang.code
    ore = Decimal("0.01")
    yearly = sum((la.yearly for la in lines), ZERO)
    period = sum((la.period for la in lines), ZERO)
    funding = sum((Fraction(f.amount) for f in budget.funding), ZERO)
    total = round_half_up(period - funding, network.rounding)
    table = Table(
        title=label("title_budget", lg, name=network.name, year=year),
        caption=label("period", lg, start=budget.start.isoformat(), end=budget.end.isoformat(),
                      days=budget.days),
        show_footer=True,
    )
    table.add_column(label("col_group", lg), label("to_allocate", lg))
    table.add_column(label("col_line", lg))
    table.add_column(label("col_basis", lg))
    table.add_column(label("col_yearly", lg), justify="right")
    table.add_column(label("col_for_period", lg), kr(to_decimal(total), ore, lang=lg),
                     justify="right")
    for la in lines:
        table.add_row(la.line.group, la.line.name, la.line.formula(),
                      kr(to_decimal(la.yearly), ore, lang=lg),
                      kr(to_decimal(la.period), ore, lang=lg))
    table.add_section()
    table.add_row(label("budget_total", lg), "", "", kr(to_decimal(yearly), ore, lang=lg),
                  kr(to_decimal(period), ore, lang=lg))
    for source in budget.funding:
        table.add_row(label("funding", lg), source.name, "", "", kr(-source.amount, ore, lang=lg))
    console().print(table)
