"""``kn compare`` on a terminal: the rich table of a
:class:`~koordination.core.compare.Comparison` (its ``--json`` is in :mod:`render.json`)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rich.table import Table

from koordination.core.compare import Comparison
from koordination.render.labels import Lang, label
from koordination.render.numbers import integer, kr, percent


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
                               amount=kr(total, comp.unit, lang),
                               names=", ".join(name for name, _ in f.funding)))
        if f.carried:
            notes.append(label("cn_carried", lang, year=f.year, previous=f.year - 1,
                               amount=kr(f.carried, comp.unit, lang)))
        if f.partial_members:
            notes.append(label("cn_partial_members", lang, year=f.year,
                               names=", ".join(f.partial_members)))
    for names, year in ((comp.only_in_a, comp.year_a), (comp.only_in_b, comp.year_b)):
        if names:
            notes.append(label("cn_only", lang, names=", ".join(names), year=year))
    notes.append(label("cn_split", lang, a=comp.year_a, b=comp.year_b))
    notes.append(label("cn_per_inhabitant", lang))
    notes.append(label("cn_like_for_like", lang))
    return notes


def headline(comp: Comparison, lang: Lang) -> str:
    """Which figure the headline percentage is: the change of the total to pay, why it is not
    like for like (a part year, funding, other members), and the change of the cost per
    inhabitant and full year beside it, with each year's figure."""
    def pct(value: Decimal | None) -> str:
        return "–" if value is None else percent(value, lang, sign="nonzero")

    def per(value: Decimal | None) -> str:
        return "–" if value is None else kr(value, Decimal("0.01"), lang)

    reasons: list[str] = []
    for f in (comp.facts_a, comp.facts_b):
        if f is None:
            continue
        amount = kr(f.funding_total, comp.unit, lang)
        if f.partial and f.funding:
            reasons.append(label("cmp_why_partial_funded", lang, year=f.year,
                                 days=f.period_days, amount=amount))
        elif f.partial:
            reasons.append(label("cmp_why_partial", lang, year=f.year, days=f.period_days))
        elif f.funding:
            reasons.append(label("cmp_why_funding", lang, year=f.year, amount=amount))
    if comp.only_in_a or comp.only_in_b or any(
            f is not None and f.partial_members for f in (comp.facts_a, comp.facts_b)):
        reasons.append(label("cmp_why_members", lang))
    why = label("cmp_why", lang, reasons="; ".join(reasons)) if reasons else ""
    fa, fb = comp.facts_a, comp.facts_b
    return label("cmp_headline", lang, pct=pct(comp.total_change_percent), why=why,
                 like=pct(comp.like_for_like_change_percent), a=comp.year_a, b=comp.year_b,
                 like_a=per(fa.cost_per_inhabitant if fa else None),
                 like_b=per(fb.cost_per_inhabitant if fb else None))


def comparison_table(comp: Comparison, lang: Lang) -> Table:
    """Kronor without the unit in the cells (the headers say kr), so that the table fits a
    120-column terminal (the population change is in the workbook and the JSON); the note
    column only when a member was in one year only; the notes a reader needs below."""
    a, b, unit = comp.year_a, comp.year_b, comp.unit
    table = Table(title=label("title_compare", lang, name=comp.network, a=a, b=b),
                  caption="\n".join([headline(comp, lang),
                                      label("compare_basis", lang, a=a, b=b,
                                            date_a=comp.population_date_a,
                                            date_b=comp.population_date_b),
                                      *year_notes(comp, lang)[2:]]),
                  caption_justify="left",
                  show_footer=True)

    def money_(value: Decimal) -> str:
        return kr(value, unit, lang, suffix=False)

    def signed_kr(value: Decimal) -> str:
        return kr(value, unit, lang, suffix=False, sign="nonzero")

    def signed_pct(value: Decimal | None) -> str:
        return "–" if value is None else percent(value, lang, sign="nonzero")

    def count(value: int) -> str:
        return integer(value, lang)

    notes = any(m.a is None or m.b is None for m in comp.members)
    headers = [
        label("col_kommun", lang), label("t_population_year", lang, year=a),
        label("t_population_year", lang, year=b),
        label("col_fee_year_kr", lang, year=a), label("col_fee_year_kr", lang, year=b),
        label("t_change_kr", lang), label("col_from_total", lang),
        label("col_from_share", lang), label("t_change_pct", lang),
    ]
    ta, tb = comp.total_a, comp.total_b
    footer = [label("total", lang), count(comp.population_a), count(comp.population_b),
              money_(comp.total_a), money_(comp.total_b), signed_kr(comp.total_change),
              signed_kr(sum((m.change_from_total(ta, tb) for m in comp.members), Decimal(0))),
              signed_kr(sum((m.change_from_share(ta, tb) for m in comp.members), Decimal(0))),
              signed_pct(comp.total_change_percent)]
    rows = []
    for m in comp.members:
        row = [
            m.name,
            count(m.a.population) if m.a and not m.party else "–",
            count(m.b.population) if m.b and not m.party else "–",
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
