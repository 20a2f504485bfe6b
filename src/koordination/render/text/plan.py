"""Terminal output of a plan: the fee table, and one member's fee year by year."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from koordination.core.money import to_decimal
from koordination.core.planning import Plan
from koordination.render.labels import Lang, label
from koordination.render.method import index_figures, plan_basis_text, plan_index_text
from koordination.render.numbers import integer, kr, number_text, percent

CENT = Decimal("0.01")


def year_heading(plan: Plan, year: int, lang: Lang) -> str:
    y = plan.year(year)
    key = "col_plan_year" if y.is_plan else "col_budget_year"
    return label(key, lang, year=year)


def plan_table(plan: Plan, lang: Lang) -> Table:
    """One row per member: the fee of every year and the change from the first to the last."""
    unit = plan.years[0].allocation.plan.unit
    first = plan.years[0]
    status = (label("plan_status_decided", lang, year=first.year, record=_describe(plan, lang))
              if first.decided is not None else label("plan_status_proposal", lang,
                                                      year=first.year))
    caption = "; ".join(label("plan_caption", lang, year=y.year, basis=plan_basis_text(y, lang))
                        for y in plan.years)
    table = Table(
        title=label("title_plan", lang, name=plan.network_name, year=plan.first,
                    first=plan.first + 1, last=plan.last),
        caption=f"{status} {caption}.",
        show_footer=True,
    )
    table.add_column(label("col_kommun", lang), label("total", lang))
    for y in plan.years:
        table.add_column(year_heading(plan, y.year, lang),
                         kr(y.allocation.amount_total, unit, lang=lang), justify="right")
    table.add_column(label("col_plan_change", lang, first=plan.first, last=plan.last),
                     kr(plan.change, unit, lang=lang), justify="right")
    table.add_column(label("col_plan_change_pct", lang, first=plan.first, last=plan.last),
                     percent(to_decimal(plan.change_ratio * 100), lang), justify="right")
    for m in plan.members:
        row = [m.name]
        for y in plan.years:
            fee = m.fees[y.year]
            row.append(label("plan_not_member", lang) if fee is None else kr(fee, unit, lang=lang))
        row.append(kr(m.change, unit, lang=lang))
        ratio = m.change_ratio
        row.append("" if ratio is None else percent(to_decimal(ratio * 100), lang))
        table.add_row(*row)
    return table


def _describe(plan: Plan, lang: Lang) -> str:
    from koordination.render.text.decision import describe

    record = plan.years[0].decided
    return describe(record, lang) if record is not None else ""


def plan_explanation(plan: Plan, code: str, lang: Lang) -> str:
    """How one member's fee follows in each year: the total, the budget it comes from (the
    index applied), the population basis, the member's share."""
    member = next(m for m in plan.members if m.code == code)
    unit = plan.years[0].allocation.plan.unit
    out = [label("plan_explain_title", lang, name=member.name, year=plan.first,
                 first=plan.first + 1, last=plan.last)]
    for y in plan.years:
        alloc = y.allocation
        out.append("")
        out.append(f"{year_heading(plan, y.year, lang)}")
        gross = kr(to_decimal(alloc.gross), CENT, lang=lang)
        if y.budget.kind == "indexed":
            index = plan_index_text(y, lang) or index_figures((), lang)
            out.append(label("plan_explain_indexed", lang,
                             base=kr(y.budget.base_total, CENT, lang),
                             file=y.budget.file, gross=gross, index=index))
        elif y.budget.kind == "own":
            out.append(label("plan_explain_own", lang, file=y.budget.file, gross=gross))
        elif y.budget.kind == "rate":
            out.append(label("plan_explain_rate", lang, file=y.budget.file))
        else:
            out.append(label("plan_explain_base", lang, file=y.budget.file, gross=gross))
        if alloc.funding_total:
            out.append(label("plan_explain_funding", lang,
                             amount=kr(to_decimal(-alloc.funding_total), CENT, lang=lang)))
        out.append(label("plan_explain_total", lang, total=kr(alloc.total, unit, lang=lang)))
        fee = next((m for m in alloc.members if m.code == code), None)
        if fee is None:
            out.append(label("plan_explain_absent", lang))
            continue
        weights = sum(alloc.plan.weights.values())
        out.append(label("plan_explain_population", lang, population=integer(fee.population,
                         lang), weights=integer(weights, lang), basis=plan_basis_text(y, lang)))
        if fee.days != alloc.plan.period_days:
            out.append(label("plan_explain_days", lang, days=fee.days,
                             period=alloc.plan.period_days))
        share = number_text(alloc.share_of_total(code) * 100, 4, lang)
        out.append(label("plan_explain_share", lang, share=share,
                         exact=kr(to_decimal(fee.exact), CENT, lang=lang),
                         fee=kr(fee.amount, unit, lang=lang)))
    return "\n".join(out)
