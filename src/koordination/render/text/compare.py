"""Views of a :class:`~koordination.core.compare.Comparison`: ``--json`` and the rich table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.table import Table

from koordination.core.compare import Comparison
from koordination.core.money import plain_money as money
from koordination.render.labels import Lang, label
from koordination.render.text.tables import integer, kr, percent


def comparison_json(comp: Comparison) -> dict[str, Any]:
    unit = comp.unit

    def year(fig: Any) -> dict[str, Any] | None:
        return None if fig is None else {"population": fig.population,
                                          "fee": money(fig.fee, unit)}

    def pct(value: Decimal | None) -> str | None:
        return None if value is None else f"{value}"

    return {
        "network": comp.network,
        "years": [comp.year_a, comp.year_b],
        "population_dates": [comp.population_date_a, comp.population_date_b],
        "total": {"a": money(comp.total_a, unit), "b": money(comp.total_b, unit),
                  "change": money(comp.total_change, unit),
                  "change_percent": pct(comp.total_change_percent),
                  "population_change": comp.population_change},
        "members": [
            {"kommunkod": m.code, "kommun": m.name, "a": year(m.a), "b": year(m.b),
             "change": money(m.fee_change, unit), "change_percent": pct(m.fee_change_percent),
             "population_change": m.population_change}
            for m in comp.members
        ],
    }


def _signed_int(value: int | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + integer(value).replace("-", "−")


def comparison_table(comp: Comparison, lang: Lang) -> Table:
    """Kronor without the unit in the cells (the headers say kr), so that the table fits a
    120-column terminal; the note column only when a member was in one year only."""
    a, b, unit = comp.year_a, comp.year_b, comp.unit
    table = Table(title=label("title_compare", lang, name=comp.network, a=a, b=b),
                  caption=label("compare_basis", lang, a=a, b=b, date_a=comp.population_date_a,
                                date_b=comp.population_date_b),
                  show_footer=True)

    def money_(value: Decimal) -> str:
        return kr(value, unit, suffix=False)

    def signed_kr(value: Decimal) -> str:
        return ("+" if value > 0 else "") + money_(value)

    def signed_pct(value: Decimal | None) -> str:
        if value is None:
            return "–"
        return ("+" if value > 0 else "") + percent(value, lang).replace("-", "−")

    notes = any(m.a is None or m.b is None for m in comp.members)
    headers = [
        label("col_kommun", lang), label("col_population_year", lang, year=a),
        label("col_population_year", lang, year=b), label("col_population_change", lang),
        label("col_fee_year_kr", lang, year=a), label("col_fee_year_kr", lang, year=b),
        label("col_change_kr", lang), label("col_change_pct", lang),
    ]
    footer = [label("total", lang), integer(comp.population_a), integer(comp.population_b),
              _signed_int(comp.population_change), money_(comp.total_a), money_(comp.total_b),
              signed_kr(comp.total_change), signed_pct(comp.total_change_percent)]
    rows = []
    for m in comp.members:
        row = [
            m.name,
            integer(m.a.population) if m.a else "–",
            integer(m.b.population) if m.b else "–",
            _signed_int(m.population_change),
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
