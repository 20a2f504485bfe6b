"""Terminal output: rich tables of results, kronor written the Swedish way (1 234 567 kr).

Plain text with no colour or style when stdout is not a terminal (cron, pipes) or NO_COLOR is
set.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from koordination.core.allocation import Allocation
from koordination.core.money import to_decimal
from koordination.render.labels import Lang, label
from koordination.render.numbers import NBSP, integer, kr, number_text, percent
from koordination.render.terminal import clean

if TYPE_CHECKING:
    from koordination.core.settlement import Settlement

__all__ = ["NBSP", "allocation_table", "console", "integer", "kr", "number_text", "percent",
           "print_table"]


class SafeConsole(Console):
    """A console that shows text from files as it is: no rich markup or emoji codes are
    interpreted in it, and control characters (escape sequences) are stripped."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(clean(text), **kwargs)


def console(stderr: bool = False) -> Console:
    """The console of a run: on a terminal, its width and styles (none when ``NO_COLOR`` is
    set, https://no-color.org); elsewhere plain text, 120 columns wide."""
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    plain = not tty or bool(os.environ.get("NO_COLOR"))
    return SafeConsole(
        file=stream,
        force_terminal=None if tty else False,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        markup=False,
        emoji=False,
        width=None if tty else 120,
        soft_wrap=False,
    )


def allocation_table(alloc: Allocation, lang: Lang) -> Table:
    plan, network = alloc.plan, alloc.plan.network
    unit = plan.unit
    caption = label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                    days=plan.period_days)
    each = network.rounding_method == "each"
    if each:
        caption += "\n" + label(
            "rounding_each_note", lang, sum=kr(alloc.fee_sum, unit, lang),
            total=kr(alloc.total, unit, lang),
            difference=kr(alloc.rounding_difference, unit, lang, sign="always"))
    table = Table(
        title=label("title_allocation", lang, name=network.name, year=alloc.year),
        caption=caption,
        show_footer=True,
    )
    pct = "col_population_pct" if alloc.percent_is_population_share else "col_share_pct"
    carried = any(m.carried for m in alloc.members)
    partial = plan.is_partial()
    table.add_column(label("col_member" if alloc.parties else "col_kommun", lang),
                     label("total", lang))
    table.add_column(label("col_population", lang, date=plan.snapshot.date.isoformat()),
                     integer(alloc.population_total, lang), justify="right")
    table.add_column(label(pct, lang), percent(Decimal(100), lang), justify="right")
    table.add_column(label("col_cost", lang, name=network.name),
                     kr(alloc.fee_sum if each else alloc.total, unit, lang),
                     justify="right")
    for source, funded in zip(alloc.budget.funding, alloc.funding_totals, strict=True):
        table.add_column(source.name, kr(funded, unit, lang), justify="right")
    if carried:
        table.add_column(label("col_carried", lang, year=alloc.year - 1),
                         kr(alloc.carried_total, unit, lang), justify="right")
        table.add_column(label("col_amount", lang), kr(alloc.amount_total, unit, lang),
                         justify="right")
    if partial:
        table.add_column(label("col_days", lang), "", justify="right")
    for m in alloc.members:
        row = [m.name, "–" if m.party else integer(m.population, lang),
               percent(m.percent, lang), kr(m.fee, unit, lang)]
        row += [kr(part, unit, lang) for part in m.funding]
        if carried:
            row += [kr(m.carried, unit, lang), kr(m.amount, unit, lang)]
        if partial:
            row.append(str(m.days))
        table.add_row(*row)
    return table


def print_table(out: Console, table: Table) -> None:
    """Print ``table`` through rich. When every cell is one line of text and the table fits
    the console, each column's width is given to rich up front (the widest of its cells),
    so rich lays out the table without measuring every cell first (a 290-member table has
    over a thousand); the table printed is the same."""
    if not table.expand and table.width is None:
        fixed = [col for col in table.columns if col.width is None]
        widths = [_widest(col, table.show_header, table.show_footer) for col in fixed]
        if fixed and all(w is not None for w in widths):
            for col, w in zip(fixed, widths, strict=True):
                col.width, col.no_wrap = w, True
            unbounded = out.options.update_width(10 * out.width)
            if out.measure(table, options=unbounded).maximum > out.width:  # rich shrinks it
                for col in fixed:
                    col.width, col.no_wrap = None, False
    lines = plain_lines(out, table)
    if lines is None:
        out.print(table)
    else:
        out.file.write("".join(line + "\n" for line in lines))
        out.file.flush()


def plain_lines(out: Console, table: Table) -> list[str] | None:
    """The lines rich prints for ``table`` on a console without styles (a file, a pipe, cron),
    written directly: each cell padded to its column's width, between the box's lines. None
    unless the table is that simple (every column's width given, one line of visible text
    in each cell, title and caption within the table's width, no row styles or sections);
    rich then prints it. A 290-member table is written ten times faster (tests compare the
    two on many tables)."""
    if out.color_system is not None or out.is_terminal or table.box is None \
            or not (table.show_header and table.show_edge) or table.show_lines \
            or table.leading or table.row_styles or table.min_width is not None \
            or table.collapse_padding or not table.pad_edge or table.padding != (0, 1, 0, 1) \
            or any(row.end_section or row.style is not None for row in table.rows):
        return None
    columns = table.columns
    grid: list[list[str]] = []
    for col in columns:
        if col.width is None or col.justify not in ("left", "center", "right") \
                or col.vertical != "top":
            return None
        column: list[str] = []
        for cell in (col.header, *col.cells, *((col.footer,) if table.show_footer else ())):
            if not isinstance(cell, str):
                return None
            text = clean(cell)
            if not _one_line(text) or cell_len(text) > col.width:
                return None
            column.append(_pad(text, col.width, col.justify))
        grid.append(column)
    widths = [col.width + 2 for col in columns if col.width is not None]
    table_width = sum(widths) + len(columns) + 1
    lines: list[str] = []
    if table.title and not _annotation(lines, table.title, table.title_justify, table_width):
        return None
    box = table.box.substitute(out.options,
                               safe=out.safe_box if table.safe_box is None else table.safe_box)
    lines.append(box.get_top(widths))
    rows = list(zip(*grid, strict=True))
    for index, row in enumerate(rows):
        first, last = index == 0, index == len(rows) - 1
        if last and table.show_footer:
            lines.append(box.get_row(widths, "foot", edge=True))
        left, right, divider = (
            (box.head_left, box.head_right, box.head_vertical) if first
            else (box.foot_left, box.foot_right, box.foot_vertical) if last
            else (box.mid_left, box.mid_right, box.mid_vertical))
        lines.append(left + divider.join(f" {text} " for text in row) + right)
        if first:
            lines.append(box.get_row(widths, "head", edge=True))
    lines.append(box.get_bottom(widths))
    if table.caption and not _annotation(lines, table.caption, table.caption_justify,
                                         table_width):
        return None
    return lines


def _one_line(text: str) -> bool:
    """One line without a tab or space at either end (rich would strip it), as
    :func:`~koordination.render.terminal.clean` leaves it."""
    return "\n" not in text and "\t" not in text and text == text.strip()


def _pad(text: str, width: int, justify: str) -> str:
    space = width - cell_len(text)
    if justify == "left":
        return text + " " * space
    if justify == "right":
        return " " * space + text
    return " " * (space // 2) + text + " " * (space - space // 2)


def _annotation(lines: list[str], text: Any, justify: str, width: int) -> bool:
    """Add a title or caption as rich lays it out over the table's width; False when it is
    not one line of visible text within that width."""
    if not isinstance(text, str) or justify not in ("left", "center", "right"):
        return False
    text = clean(text)
    if not _one_line(text) or cell_len(text) > width:
        return False
    lines.append(_pad(text, width, justify))
    return True


def _widest(col: Any, header: bool, footer: bool) -> int | None:
    """The width of ``col``'s widest cell (its header and footer when they are shown), or
    None unless every cell is one line of text with no tab and the column has no other
    bounds."""
    if col.min_width is not None or col.max_width is not None or col.ratio or col.no_wrap:
        return None
    widest = 0
    shown = (*((col.header,) if header else ()), *((col.footer,) if footer else ()))
    for cell in (*shown, *col.cells):
        if not isinstance(cell, str):
            return None
        text = clean(cell)
        if "\n" in text or "\t" in text:
            return None
        widest = max(widest, cell_len(text))
    return widest


def settlement_table(settlement: Settlement, lang: Lang) -> Table:
    """Per member: charged, share of the outcome, settlement, one-offs, what to pay."""
    plan, network = settlement.plan, settlement.plan.network
    unit = plan.unit
    year = settlement.year
    expected = settlement.forecast is not None
    title = (label("title_forecast", lang, name=network.name, year=year,
                   date=settlement.forecast.through.isoformat())
             if settlement.forecast is not None
             else label("title_settlement", lang, name=network.name, year=year))
    table = Table(
        title=title,
        caption=label("period", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                      days=plan.period_days),
        show_footer=True,
    )
    members = settlement.members
    table.add_column(label("col_kommun", lang), label("total", lang))
    table.add_column(label("s_col_charged", lang, year=year),
                     kr(settlement.charged, unit, lang), justify="right")
    table.add_column(label("s_col_share_actual", lang),
                     kr(settlement.share_of_actual, unit, lang),
                     justify="right")
    table.add_column(label("f_col_settlement" if expected else "s_col_settlement", lang),
                     kr(settlement.difference, unit, lang), justify="right")
    for share in settlement.one_offs:
        table.add_column(label("s_col_one_off", lang, name=share.cost.name,
                               date=share.cost.date.isoformat()),
                         kr(share.total, unit, lang), justify="right")
    carried = settlement.any_carried
    if carried:
        table.add_column(label("f_col_carried" if expected else "s_col_carried", lang,
                               year=settlement.next_year),
                         kr(settlement.carried_forward, unit, lang), justify="right")
    table.add_column(label("f_col_to_pay" if expected else "s_col_to_pay", lang),
                     kr(settlement.to_invoice, unit, lang), justify="right")
    for m in members:
        row = [m.name, kr(m.charged, unit, lang), kr(m.share_of_actual, unit, lang),
               kr(m.settlement, unit, lang)]
        row += [kr(part, unit, lang) for part in m.one_off]
        if carried:
            row.append(kr(m.carried_forward, unit, lang))
        row.append(kr(m.to_invoice, unit, lang))
        table.add_row(*row)
    return table


def settlement_summary(settlement: Settlement, lang: Lang) -> Table:
    """From the outcome to the difference, one line each."""
    unit = settlement.plan.unit
    ore = Decimal("0.01")
    table = Table(show_header=False, box=None)
    table.add_column()
    table.add_column(justify="right")
    basis = settlement.forecast
    rows: list[tuple[str, str]] = [] if basis is None else [
        (label("f_so_far", lang, date=basis.through.isoformat()),
         f"({kr(basis.so_far_total, ore, lang)})"),
    ]
    rows += [
        (label("f_expected" if basis else "s_actual", lang),
         kr(to_decimal(settlement.actual), ore, lang)),
        (label("f_funding" if basis else "s_funding", lang),
         kr(-to_decimal(settlement.funding), ore, lang)),
        (label("s_net", lang), kr(to_decimal(settlement.net), ore, lang)),
        (label("s_charged", lang, year=settlement.year), kr(-settlement.charged, unit, lang)),
        (label("s_difference", lang), kr(settlement.difference, unit, lang)),
    ]
    if settlement.carried_in:
        rows.insert(len(rows) - 1, (label("s_carried_in", lang, year=settlement.year - 1),
                                    f"({kr(settlement.carried_in, unit, lang)})"))
    if settlement.one_offs:
        rows.append((label("s_one_offs", lang), kr(settlement.one_off_total, unit, lang)))
        rows.append((label("s_total", lang), kr(settlement.total, unit, lang)))
    if settlement.any_carried:
        rows.append((label("s_carried_forward", lang, year=settlement.next_year),
                     kr(settlement.carried_forward, unit, lang)))
        rows.append((label("s_to_invoice", lang), kr(settlement.to_invoice, unit, lang)))
    for name, value in rows:
        table.add_row(name, value)
    return table
