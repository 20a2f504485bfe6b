"""The Metod sheet: reference section 3 in plain words, as it was applied to one allocation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from koordination.core.allocation import Allocation
from koordination.core.models import BudgetLine, Key, Statistic
from koordination.core.money import to_decimal
from koordination.render.labels import Lang, label
from koordination.render.numbers import number_text, percent
from koordination.render.text.decision import describe

if TYPE_CHECKING:  # the plan's texts name them in annotations only
    from koordination.core.planning import IndexStep, Plan, PlanYear


def line_basis(line: BudgetLine, lang: Lang) -> str:
    """A budget line's form with its numbers and units as a reader writes them:
    ``480 000 kr × (1 + 38,46 %)``, ``550 kr/h × 4 h/mån × 12``, ``1 500 kr × 40``
    (``480,000 kr × (1 + 38.46 %)``, ``550 kr/h × 4 h/month × 12`` in English)."""
    nbsp = "\u00a0"

    def text(value: Decimal) -> str:
        return number_text(value, None, lang)

    if line.amount is not None:
        amount = f"{text(line.amount)}{nbsp}kr"
        if line.overhead_percent is not None:
            return f"{amount} × (1 + {text(line.overhead_percent)}{nbsp}%)"
        return amount
    assert line.rate is not None
    if line.per_month is not None:
        month = "mån" if lang == "sv" else "month"
        return f"{text(line.rate)}{nbsp}kr/h × {text(line.per_month)}{nbsp}h/{month} × 12"
    assert line.quantity is not None
    return f"{text(line.rate)}{nbsp}kr × {text(line.quantity)}"


def method_lines(alloc: Allocation, snapshot_file: str, lang: Lang,
                 shown: Callable[[str], str] = str) -> list[str]:
    """The rules in words, as applied; ``shown`` names a file as the output may (its path
    inside the data directory)."""
    plan, budget, network = alloc.plan, alloc.budget, alloc.plan.network
    unit = network.rounding
    lines = [
        label("m_snapshot", lang, date=plan.snapshot.date.isoformat(), file=snapshot_file),
        *statistic_lines(plan.statistics.values(), lang, shown),
        label(
            "m_period_annual" if budget.basis == "annual" else "m_period_period",
            lang,
            start=budget.start.isoformat(),
            end=budget.end.isoformat(),
            days=budget.days,
            year_days=budget.year_days,
        ),
        label(
            "m_total",
            lang,
            gross=number_text(to_decimal(alloc.gross), None, lang),
            funding=number_text(to_decimal(alloc.funding_total), None, lang),
            unit=number_text(unit, None, lang),
            total=number_text(alloc.total, None, lang),
        ),
    ]
    if network.fee is not None:
        return rate_method_lines(alloc, lines, lang)
    if alloc.parties:
        lines.append(label("m_parties", lang, parts=", ".join(
            f"{m.name} {number_text(plan.parties[m.code] * 100, None, lang)} %"
            for m in alloc.parties)))
    key = network.key
    lines.append(key_line(key, lang))
    lines.append(label("m_formula", lang, formula=key_formula(alloc, lang)))
    if network.population_cap is not None and key.kind != "fixed":
        lines.append(label("m_cap", lang, cap=number_text(network.population_cap, 0, lang)))
    if len(plan.segments) > 1:
        lines.append(
            label("m_segments", lang, count=len(plan.segments), months=network.notice_months)
        )
    else:
        lines.append(label("m_segments_none", lang, n=len(plan.members)))
    if budget.funding:
        lines.append(label("m_funding", lang, names=", ".join(f.name for f in budget.funding)))
    if network.rounding_method == "each":
        lines.append(label("m_rounding_each", lang, unit=number_text(unit, None, lang),
                           sum=number_text(alloc.fee_sum, None, lang),
                           total=number_text(alloc.total, None, lang),
                           difference=number_text(alloc.rounding_difference, None, lang,
                                                  sign="always")))
    else:
        lines.append(label("m_rounding", lang, unit=number_text(unit, None, lang)))
    if alloc.limits is not None:
        lim = alloc.limits.limits
        lines.append(label("m_limits", lang, base=number_text(lim.base_per_member, None, lang),
                           floor=_or_none(lim.floor, lang), ceiling=_or_none(lim.ceiling, lang),
                           down=_or_none(lim.max_decrease_percent, lang),
                           up=_or_none(lim.max_increase_percent, lang),
                           held=len(alloc.limits.held)))
    if alloc.carried_total:
        lines.append(label("m_carried", lang, previous=alloc.year - 1, year=alloc.year,
                           carried=number_text(alloc.carried_total, None, lang),
                           fees=number_text(alloc.fee_sum, None, lang),
                           amount=number_text(alloc.amount_total, None, lang)))
    lines.append(label("m_percent", lang))
    lines.append(label("m_vat", lang))
    return lines


def _or_none(value: Decimal | None, lang: Lang) -> str:
    return label("x_limits_none", lang) if value is None else number_text(value, None, lang)


def rate_method_lines(alloc: Allocation, lines: list[str], lang: Lang) -> list[str]:
    """The Metod text of fees set by a rate or by bands (reference 13): ``lines`` holds the
    snapshot and period lines; the budget's total line is replaced by the rate's."""
    rate = alloc.plan.network.fee
    assert rate is not None
    unit = alloc.plan.unit
    lines = lines[:-1]
    if rate.bands:
        bands = "; ".join(
            (label("m_band", lang, below=number_text(b.below, 0, lang),
                   amount=number_text(b.amount, None, lang)) if b.below is not None else
             label("m_band_last", lang, amount=number_text(b.amount, None, lang)))
            for b in rate.bands)
        lines.append(label("m_bands", lang, bands=bands))
    else:
        lines.append(label(
            "m_rate", lang, per_inhabitant=number_text(rate.per_inhabitant, None, lang),
            cap=("" if rate.max_inhabitants is None else
                 label("m_rate_cap", lang, cap=number_text(rate.max_inhabitants, 0, lang))),
            units="".join(label("m_rate_unit", lang, name=name,
                                rate=number_text(per_unit, None, lang))
                          for name, per_unit in rate.per_unit),
            base=number_text(rate.base, None, lang)))
    lines.append(label("m_rate_days", lang, unit=number_text(unit, None, lang),
                       total=number_text(alloc.total, None, lang)))
    if alloc.budget_total is not None and alloc.budget_difference is not None:
        lines.append(label("m_rate_budget", lang,
                           budget=number_text(alloc.budget_total, None, lang),
                           difference=number_text(alloc.budget_difference, None, lang,
                                                  sign="always")))
    lines.append(label("m_vat", lang))
    return lines


def key_line(key: Key, lang: Lang) -> str:
    """The Metod sheet's sentence on the key in force."""
    if key.kind == "weighted":
        return label("m_key_weighted", lang, words=key_words(key, lang), formula=key_body(key))
    return label(f"m_key_{key.kind}", lang, equal=key.equal, population=key.population)


def statistic_lines(statistics: Iterable[Statistic], lang: Lang,
                    shown: Callable[[str], str] = str) -> list[str]:
    """One sentence per statistic the key counts: its date and file (as ``shown`` names it)."""
    return [label("m_statistic", lang, name=stat.name, date=stat.date.isoformat(),
                  file=shown(stat.source)) for stat in statistics]


def key_words(key: Key, lang: Lang) -> str:
    """The key's parts in words: "10 % lika delar, 40 % efter befolkning och 50 % efter
    befolkning-16-64"."""
    parts = []
    if key.equal:
        parts.append(label("m_part_equal", lang, weight=key.equal))
    if key.population:
        parts.append(label("m_part_population", lang, weight=key.population))
    parts += [label("m_part_statistic", lang, weight=w, name=name) for name, w in key.statistics
              if w]
    joiner = " och " if lang == "sv" else " and "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joiner + parts[-1]


def key_body(key: Key) -> str:
    """The right-hand side of the key's formula: e/100 × 1/n + p/100 × W(k) / ΣW + Σ over the
    statistics of w/100 × NAME(k) / ΣNAME, leaving out terms of weight 0."""
    def weight(w: Decimal) -> str:  # a factor of the whole key needs no weight
        return "" if w == 100 else f"{w}/100 × "

    terms = []
    if key.equal:
        terms.append(f"{weight(key.equal)}1/n")
    if key.population:
        terms.append(f"{weight(key.population)}W(k) / ΣW")
    terms += [f"{weight(w)}{name}(k) / Σ{name}" for name, w in key.statistics if w]
    return " + ".join(terms)


def key_formula(alloc: Allocation, lang: Lang) -> str:
    """The key in force as a formula, with the numbers of the period when it has one segment.

    ``population``: share(k) = W(k) / ΣW; ``{equal: e, population: p}``: share(k) =
    e/100 × 1/n + p/100 × W(k) / ΣW; ``fixed``: share(k) = s(k) / Σs; W is the population,
    min(population, cap) with a cap.
    """
    plan, network = alloc.plan, alloc.plan.network
    key = network.key
    sv = lang == "sv"
    share, pop = ("andel", "folkmängd") if sv else ("share", "population")
    if key.kind == "fixed":
        formula = f"{share}(k) = s(k) / Σs"
        where = ["s(k) = kommunens andel enligt avtalet" if sv else "s(k) = the member's share "
                 "from the agreement"]
    else:
        body = "W(k) / ΣW"
        if key.kind == "equal_population":
            body = f"{key.equal}/100 × 1/n + {key.population}/100 × W(k) / ΣW"
        elif key.kind == "weighted":
            body = key_body(key)
        formula = f"{share}(k) = {body}"
        cap = network.population_cap
        weight = f"min({pop}(k), {number_text(cap, 0, lang)})" if cap is not None else f"{pop}(k)"
        counts_population = key.kind != "weighted" or bool(key.population)
        where = [f"W(k) = {weight}"] if counts_population else []
        for stat in plan.statistics.values():
            where.append(f"{stat.name}(k) = " + (
                f"kommunens värde per {stat.date}" if sv else
                f"the member's value on {stat.date}"))
    if len(plan.segments) == 1:
        members = plan.segments[0].members
        if key.kind == "equal_population" or key.kind == "weighted" and key.equal:
            where.append(f"n = {len(members)}")
        if key.kind == "fixed":
            total = sum((m.share or 0 for m in network.members if m.code in members), 0)
            where.append(f"Σs = {number_text(total, None, lang)}")
        else:
            if counts_population:
                weights = sum(plan.weights[c] for c in members)
                where.append(f"ΣW = {number_text(weights, 0, lang)}")
            for stat in plan.statistics.values():
                stat_sum = sum((stat.values[c] for c in members), Decimal(0))
                where.append(f"Σ{stat.name} = {number_text(stat_sum, None, lang)}")
    else:
        where.append("summorna räknas per delperiod över dess medlemmar" if sv else
                     "the sums are taken per segment over its members")
    joiner = " och " if sv else " and "
    lead = ", där " if sv else ", where "
    return formula + lead + (", ".join(where[:-1]) + joiner + where[-1] if len(where) > 1
                             else where[0]) + "."


def index_figures(steps: tuple[IndexStep, ...], lang: Lang) -> str:
    """``2,7 % (2017), 2,8 % (2018)``."""
    return ", ".join(f"{percent(s.percent, lang, None)} ({s.year})" for s in steps)


def plan_index_text(year: PlanYear, lang: Lang) -> str:
    """The index applied to each line group of an indexed plan year, own indices first."""
    by_group: dict[str, tuple[IndexStep, ...]] = {}
    for line in year.budget.lines:
        by_group.setdefault(line.line.group, line.steps)
    parts = []
    default: tuple[IndexStep, ...] | None = None
    for group, steps in by_group.items():
        own = tuple(s for s in steps if s.source != "default")
        if own:
            parts.append(label("m_plan_index_group", lang, group=group,
                               figures=index_figures(steps, lang)))
        if any(s.source == "default" for s in steps) and default is None:
            default = tuple(s for s in steps if s.source == "default")
    if default:
        parts.append(label("m_plan_index_default", lang, figures=index_figures(default, lang)))
    return "; ".join(parts)


def plan_basis_text(year: PlanYear, lang: Lang) -> str:
    """Where a year's population came from, in a few words."""
    source = year.population
    if source.kind == "snapshot":
        return label("plan_basis_snapshot", lang, date=source.target.isoformat())
    if source.kind == "latest":
        return label("plan_basis_latest", lang, date=source.snapshots[0].isoformat())
    if source.kind == "trend":
        return label("plan_basis_trend", lang, latest=source.snapshots[0].isoformat(),
                     earlier=source.snapshots[1].isoformat())
    return label("plan_basis_forecast", lang, year=source.target.year)


def plan_method_lines(plan: Plan, lang: Lang) -> list[str]:
    """The Metod sheet of a plan: per year, which budget, which index, which population."""
    first = plan.years[0]
    unit = first.allocation.plan.unit
    decided = (label("m_plan_decided", lang, record=describe(first.decided, lang))
               if first.decided is not None else "")
    lines = [label("m_plan_intro", lang, year=first.year, decided=decided,
                   unit=number_text(unit, None, lang))]
    for year in plan.years:
        files = ", ".join(year.population_files)
        if year.budget.kind == "budget":
            lines.append(label("m_plan_budget", lang, year=year.year, file=year.budget.file))
        elif year.budget.kind == "own":
            lines.append(label("m_plan_own", lang, year=year.year, file=year.budget.file))
        elif year.budget.kind == "rate":
            lines.append(label("m_plan_rate", lang, year=year.year, file=year.budget.file))
        else:
            lines.append(label("m_plan_indexed", lang, year=year.year, file=year.budget.file,
                               index=plan_index_text(year, lang)))
        source = year.population
        values = {"year": year.year, "files": files, "target": source.target.isoformat(),
                  "target_year": source.target.year}
        if source.kind == "snapshot":
            lines.append(label("m_plan_pop_snapshot", lang, date=source.target.isoformat(),
                               **values))
        elif source.kind == "latest":
            lines.append(label("m_plan_pop_latest", lang, date=source.snapshots[0].isoformat(),
                               **values))
        elif source.kind == "trend":
            latest, earlier = source.snapshots
            lines.append(label("m_plan_pop_trend", lang, latest=latest.isoformat(),
                               earlier=earlier.isoformat(), latest_year=latest.year, **values))
        else:
            lines.append(label("m_plan_pop_forecast", lang, **values))
    lines.append(label("m_vat", lang))
    return lines
