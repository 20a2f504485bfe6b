"""The Metod sheet: SPEC section 3 in plain words, as it was applied to one allocation."""

from __future__ import annotations

from decimal import Decimal

from koordination.core.allocation import Allocation
from koordination.labels import Lang, label
from koordination.money import to_decimal
from koordination.numfmt import number_text


def _kr(value: Decimal | int, lang: Lang) -> str:
    """An amount with the grouping and decimal sign of ``lang``, decimals as given."""
    exponent = Decimal(value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_text(value, places, lang)


def method_lines(alloc: Allocation, snapshot_file: str, lang: Lang) -> list[str]:
    plan, budget, network = alloc.plan, alloc.budget, alloc.plan.network
    unit = network.rounding
    lines = [
        label("m_snapshot", lang, date=plan.snapshot.date.isoformat(), file=snapshot_file),
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
            gross=_kr(to_decimal(alloc.gross), lang),
            funding=_kr(to_decimal(alloc.funding_total), lang),
            unit=unit,
            total=_kr(alloc.total, lang),
        ),
    ]
    key = network.key
    lines.append(
        label(f"m_key_{key.kind}", lang, equal=key.equal, population=key.population)
    )
    if network.population_cap is not None and key.kind != "fixed":
        lines.append(label("m_cap", lang, cap=_kr(network.population_cap, lang)))
    if len(plan.segments) > 1:
        lines.append(
            label("m_segments", lang, count=len(plan.segments), months=network.notice_months)
        )
    else:
        lines.append(label("m_segments_none", lang, n=len(plan.members)))
    if budget.funding:
        lines.append(label("m_funding", lang, names=", ".join(f.name for f in budget.funding)))
    lines.append(label("m_rounding", lang, unit=unit))
    lines.append(label("m_percent", lang))
    lines.append(label("m_vat", lang))
    return lines
