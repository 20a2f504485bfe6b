"""Terminal output: rich tables of results, kronor written the Swedish way (1 234 567 kr).

Plain text with no colour when stdout is not a terminal (cron, pipes).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from koordination.core.allocation import Allocation
from koordination.labels import Lang, label
from koordination.terminal import clean

NBSP = "\u00a0"


class SafeConsole(Console):
    """A console that shows text from files as it is: no rich markup or emoji codes are
    interpreted in it, and control characters (escape sequences) are stripped."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(clean(text), **kwargs)


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    return SafeConsole(
        file=stream,
        force_terminal=None if tty else False,
        no_color=not tty,
        highlight=False,
        markup=False,
        emoji=False,
        width=None if tty else 120,
        soft_wrap=False,
    )


def kr(value: Decimal | int, unit: Decimal = Decimal(1), suffix: bool = True) -> str:
    """``1234567`` -> ``1 234 567 kr`` (no-break spaces; öre after a comma)."""
    places = 0 if unit >= 1 else 2
    text = f"{Decimal(value):,.{places}f}".replace(",", NBSP).replace(".", ",")
    text = text.replace("-", "−") if text.startswith("-") else text
    return f"{text}{NBSP}kr" if suffix else text


def integer(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def percent(value: Decimal, lang: Lang) -> str:
    text = f"{value:.2f}"
    return (text.replace(".", ",") if lang == "sv" else text) + NBSP + "%"


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
                     integer(sum(m.population for m in alloc.members)), justify="right")
    table.add_column(label(pct, lang), percent(Decimal(100), lang), justify="right")
    table.add_column(label("col_cost", lang, name=network.name), kr(alloc.total, unit),
                     justify="right")
    for i, source in enumerate(alloc.budget.funding):
        table.add_column(source.name, kr(sum(m.funding[i] for m in alloc.members), unit),
                         justify="right")
    if carried:
        table.add_column(label("col_carried", lang, year=alloc.year - 1),
                         kr(alloc.carried_total, unit), justify="right")
        table.add_column(label("col_amount", lang), kr(alloc.amount_total, unit),
                         justify="right")
    if partial:
        table.add_column(label("col_days", lang), "", justify="right")
    for m in alloc.members:
        row = [m.name, integer(m.population), percent(m.percent, lang), kr(m.fee, unit)]
        row += [kr(part, unit) for part in m.funding]
        if carried:
            row += [kr(m.carried, unit), kr(m.amount, unit)]
        if partial:
            row.append(str(m.days))
        table.add_row(*row)
    return table
