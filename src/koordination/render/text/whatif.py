"""``kn allocate --with/--without`` on a terminal: each fee today beside the what-if's."""

from __future__ import annotations

from rich.table import Table

from koordination.core.whatif import WhatIf
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer, kr


def changes_text(result: WhatIf, lang: Lang) -> str:
    """``Knivsta går med och Vaxholm går ur`` / ``Knivsta joined and Vaxholm left``."""
    parts = []
    if result.added:
        parts.append(label("w_joins", lang, names=", ".join(m.name for m in result.added)))
    if result.removed:
        parts.append(label("w_leaves", lang, names=", ".join(m.name for m in result.removed)))
    return label("w_and", lang).join(parts)


def what_if_table(result: WhatIf, lang: Lang) -> Table:
    """One row per municipality in either allocation; "–" where it is not a member."""
    today, changed = result.today, result.changed
    plan = today.plan
    unit = plan.unit
    table = Table(
        title=label("w_title", lang, changes=changes_text(result, lang),
                    network=plan.network.name, year=today.year),
        caption=label("w_caption", lang, start=plan.start.isoformat(), end=plan.end.isoformat(),
                      date=plan.snapshot.date.isoformat()),
        show_footer=True,
    )
    table.add_column(label("col_kommun", lang), label("total", lang))
    table.add_column(label("col_population", lang, date=plan.snapshot.date.isoformat()), "",
                     justify="right")
    table.add_column(label("w_today", lang), kr(today.total, unit, lang), justify="right")
    table.add_column(label("w_changed", lang), kr(changed.total, unit, lang), justify="right")
    table.add_column(label("w_difference", lang),
                     kr(result.difference_total, unit, lang, sign="nonzero"), justify="right")
    for row in result.rows():
        table.add_row(
            row.name,
            integer(row.population, lang),
            "–" if row.today is None else kr(row.today, unit, lang),
            "–" if row.what_if is None else kr(row.what_if, unit, lang),
            kr(row.difference, unit, lang, sign="nonzero"),
        )
    return table
