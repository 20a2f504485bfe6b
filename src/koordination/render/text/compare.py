"""``kn compare`` on a terminal: the rich table of a
:class:`~koordination.core.compare.Comparison` (its ``--json`` is in :mod:`render.json`)."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from koordination.core.compare import Comparison
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer, kr, percent


def comparison_table(comp: Comparison, lang: Lang) -> Table:
    """Kronor without the unit in the cells (the headers say kr), so that the table fits a
    120-column terminal; the note column only when a member was in one year only."""
    a, b, unit = comp.year_a, comp.year_b, comp.unit
    table = Table(title=label("title_compare", lang, name=comp.network, a=a, b=b),
                  caption=label("compare_basis", lang, a=a, b=b, date_a=comp.population_date_a,
                                date_b=comp.population_date_b),
                  show_footer=True)

    def money_(value: Decimal) -> str:
        return kr(value, unit, lang, suffix=False)

    def signed_kr(value: Decimal) -> str:
        return kr(value, unit, lang, suffix=False, sign="nonzero")

    def signed_pct(value: Decimal | None) -> str:
        return "–" if value is None else percent(value, lang, sign="nonzero")

    def count(value: int) -> str:
        return integer(value, lang)

    def signed_count(value: int | None) -> str:
        return "–" if value is None else integer(value, lang, sign="nonzero")

    notes = any(m.a is None or m.b is None for m in comp.members)
    headers = [
        label("col_kommun", lang), label("col_population_year", lang, year=a),
        label("col_population_year", lang, year=b), label("col_population_change", lang),
        label("col_fee_year_kr", lang, year=a), label("col_fee_year_kr", lang, year=b),
        label("col_change_kr", lang), label("col_change_pct", lang),
    ]
    footer = [label("total", lang), count(comp.population_a), count(comp.population_b),
              signed_count(comp.population_change), money_(comp.total_a), money_(comp.total_b),
              signed_kr(comp.total_change), signed_pct(comp.total_change_percent)]
    rows = []
    for m in comp.members:
        row = [
            m.name,
            count(m.a.population) if m.a else "–",
            count(m.b.population) if m.b else "–",
            signed_count(m.population_change),
            money_(m.a.fee) if m.a else "–",
            money_(m.b.fee) if m.b else "–",
            signed_kr(m.fee_change),
            signed_pct(m.fee_change_percent),
        ]
        if notes:
            row.append(label("only_in", lang, year=b) if m.a is None
                       else label("only_in", lang, year=a) if m.b is None else "")
        rows.append(row)
    if notes:
        headers.append(label("col_note", lang))
        footer.append("")
    for i, (header, foot) in enumerate(zip(headers, footer, strict=True)):
        table.add_column(header, foot, justify="left" if i in (0, 8) else "right",
                         no_wrap=i in (0, 8))
    for row in rows:
        table.add_row(*row)
    return table
