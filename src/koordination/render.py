"""Terminal output: rich tables of results, kronor written the Swedish way (1 234 567 kr).

Plain text with no colour when stdout is not a terminal (cron, pipes).
"""

from __future__ import annotations

import sys
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from koordination.core.allocation import Allocation
from koordination.labels import Lang, label
from koordination.numfmt import NBSP, integer, kr, number_text, percent

__all__ = ["NBSP", "allocation_table", "console", "integer", "kr", "number_text", "percent"]


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    return Console(
        file=stream,
        force_terminal=None if tty else False,
        no_color=not tty,
        highlight=False,
        width=None if tty else 120,
        soft_wrap=False,
    )


def allocation_table(alloc: Allocation, lang: Lang) -> Table:
    plan, network = alloc.plan, alloc.plan.network
    unit = plan.unit
    table = Table(
        title=label("title_allocation", lang, name=network.name, year=alloc.year),
        caption=label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                      days=plan.period_days),
        show_footer=True,
    )
    pct = "col_population_pct" if alloc.percent_is_population_share else "col_share_pct"
    carried = any(m.carried for m in alloc.members)
    partial = plan.is_partial()
    table.add_column(label("col_kommun", lang), label("total", lang))
    table.add_column(label("col_population", lang, date=plan.snapshot.date.isoformat()),
                     integer(sum(m.population for m in alloc.members), lang), justify="right")
    table.add_column(label(pct, lang), percent(Decimal(100), lang), justify="right")
    table.add_column(label("col_cost", lang, name=network.name), kr(alloc.total, unit, lang=lang),
                     justify="right")
    for i, source in enumerate(alloc.budget.funding):
        table.add_column(source.name, kr(sum(m.funding[i] for m in alloc.members), unit, lang=lang),
                         justify="right")
    if carried:
        table.add_column(label("col_carried", lang, year=alloc.year - 1),
                         kr(alloc.carried_total, unit, lang=lang), justify="right")
        table.add_column(label("col_amount", lang), kr(alloc.amount_total, unit, lang=lang),
                         justify="right")
    if partial:
        table.add_column(label("col_days", lang), "", justify="right")
    for m in alloc.members:
        row = [m.name, integer(m.population, lang), percent(m.percent, lang),
               kr(m.fee, unit, lang=lang)]
        row += [kr(part, unit, lang=lang) for part in m.funding]
        if carried:
            row += [kr(m.carried, unit, lang=lang), kr(m.amount, unit, lang=lang)]
        if partial:
            row.append(str(m.days))
        table.add_row(*row)
    return table
