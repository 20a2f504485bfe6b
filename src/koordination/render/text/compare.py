"""Views of a :class:`~koordination.core.compare.Comparison`: ``--json`` and the rich table."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from rich.table import Table

from koordination.core.compare import Comparison, YearFacts
from koordination.core.money import plain_money as money
from koordination.core.money import to_decimal
from koordination.render.labels import Lang, label
from koordination.render.text.tables import integer, kr, percent


def year_notes(comp: Comparison, lang: Lang) -> list[str]:
    """What a reader must know to read the change: each year's population date, a partial
    year, funding, settlement carried in, members of one year only or part of it, and how the
    change is split."""
    notes: list[str] = []
    years = [f for f in (comp.facts_a, comp.facts_b) if f is not None]
    for f in years:
        notes.append(label("cn_population", lang, year=f.year, date=f.population_date))
    for f in years:
        if f.partial:
            notes.append(label("cn_partial", lang, year=f.year, days=f.period_days,
                               year_days=f.year_days, start=f.start, end=f.end))
        if f.funding:
            total = sum((amount for _, amount in f.funding), Fraction(0))
            notes.append(label("cn_funding", lang, year=f.year,
                               amount=kr(to_decimal(total, 2), comp.unit, lang=lang),
                               names=", ".join(name for name, _ in f.funding)))
        if f.carried:
            notes.append(label("cn_carried", lang, year=f.year, previous=f.year - 1,
                               amount=kr(f.carried, comp.unit, lang=lang)))
        if f.partial_members:
            notes.append(label("cn_partial_members", lang, year=f.year,
                               names=", ".join(f.partial_members)))
    for names, year in ((comp.only_in_a, comp.year_a), (comp.only_in_b, comp.year_b)):
        if names:
            notes.append(label("cn_only", lang, names=", ".join(names), year=year))
    notes.append(label("cn_split", lang, a=comp.year_a, b=comp.year_b))
    notes.append(label("cn_per_inhabitant", lang))
    return notes


def _facts_json(f: YearFacts | None, unit: Decimal) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"year": f.year, "period": {"start": f.start.isoformat(), "end": f.end.isoformat()},
            "days": f.period_days, "partial": f.partial,
            "population_date": f.population_date.isoformat(),
            "funding": money(to_decimal(sum((a for _, a in f.funding), Fraction(0)), 2), unit),
            "carried": money(f.carried, unit), "partial_members": list(f.partial_members)}


def comparison_json(comp: Comparison) -> dict[str, Any]:
    unit = comp.unit
    ta, tb = comp.total_a, comp.total_b

    def year(fig: Any) -> dict[str, Any] | None:
        if fig is None:
            return None
        per = fig.per_inhabitant
        return {"population": fig.population, "fee": money(fig.fee, unit),
                "days": fig.days, "per_inhabitant": None if per is None else f"{per}"}

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
        "years_facts": [_facts_json(comp.facts_a, unit), _facts_json(comp.facts_b, unit)],
        "members": [
            {"kommunkod": m.code, "kommun": m.name, "a": year(m.a), "b": year(m.b),
             "change": money(m.fee_change, unit), "change_percent": pct(m.fee_change_percent),
             "change_from_total": f"{m.change_from_total(ta, tb)}",
             "change_from_share": f"{m.change_from_share(ta, tb)}",
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
    120-column terminal (the population change is in the workbook and the JSON); the note
    column only when a member was in one year only."""
    a, b, unit = comp.year_a, comp.year_b, comp.unit
    table = Table(title=label("title_compare", lang, name=comp.network, a=a, b=b),
                  caption="\n".join([label("compare_basis", lang, a=a, b=b,
                                            date_a=comp.population_date_a,
                                            date_b=comp.population_date_b),
                                      *year_notes(comp, lang)[2:]]),
                  caption_justify="left",
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
        label("col_kommun", lang), label("t_population_year", lang, year=a),
        label("t_population_year", lang, year=b),
        label("col_fee_year_kr", lang, year=a), label("col_fee_year_kr", lang, year=b),
        label("t_change_kr", lang), label("col_from_total", lang),
        label("col_from_share", lang), label("t_change_pct", lang),
    ]
    ta, tb = comp.total_a, comp.total_b
    footer = [label("total", lang), integer(comp.population_a), integer(comp.population_b),
              money_(comp.total_a), money_(comp.total_b),
              signed_kr(comp.total_change),
              signed_kr(sum((m.change_from_total(ta, tb) for m in comp.members), Decimal(0))),
              signed_kr(sum((m.change_from_share(ta, tb) for m in comp.members), Decimal(0))),
              signed_pct(comp.total_change_percent)]
    rows = []
    for m in comp.members:
        row = [
            m.name,
            integer(m.a.population) if m.a else "–",
            integer(m.b.population) if m.b else "–",
            money_(m.a.fee) if m.a else "–",
            money_(m.b.fee) if m.b else "–",
            signed_kr(m.fee_change),
            signed_kr(m.change_from_total(ta, tb)),
            signed_kr(m.change_from_share(ta, tb)),
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
        table.add_column(header, foot, justify="left" if i in (0, 9) else "right",
                         no_wrap=i in (0, 9))
    for row in rows:
        table.add_row(*row)
    return table
