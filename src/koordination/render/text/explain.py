"""``kn explain`` as text: every step from the inputs to one member's fee, numbered, in the
words of ``docs/reference.md`` section 4 and the numbers of the run.

Numbers in the text: Swedish ``49 777,32 kr`` and ``5,5002 %``, English ``49,777.32 kr`` and
``5.5002 %`` (:mod:`koordination.render.numbers`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from koordination.core.explain import Explanation, SegmentStep
from koordination.render.labels import Lang, label
from koordination.render.numbers import Sign, integer, kr, number_text, percent


def _money(value: Fraction | Decimal, lang: Lang, places: int = 2) -> str:
    """An exact amount with ``places`` decimals, whatever the unit."""
    return kr(Fraction(value), None, lang, places=places)


def _fee(value: Decimal | Fraction, unit: Decimal, lang: Lang, sign: Sign = "negative") -> str:
    return kr(Fraction(value), unit, lang, sign=sign)


def _pct(value: Fraction, lang: Lang) -> str:
    return percent(value * 100, lang, 4)


def _shares(value: Fraction | Decimal | None, lang: Lang) -> str:
    """A fixed share or a sum of them as the agreement writes it: ``12,5`` (sv), ``12.5``
    (en); a sum that is no finite decimal with four decimals."""
    if value is None:
        return ""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return integer(int(value), lang)
        return number_text(value, 4, lang)
    return number_text(value, None, lang)


def _genitive(name: str, lang: Lang) -> str:
    """Solna -> Solnas (sv), Solna's (en); a Swedish name ending in s, x or z takes nothing."""
    if lang == "sv":
        return name if name[-1].lower() in "sxz" else name + "s"
    return name + "'s"


def _ordinal(n: int, lang: Lang) -> str:
    if lang == "sv":
        return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _difference(diff: Fraction | None, lang: Lang) -> str:
    """How much more or less the member pays than it would without the equal part or cap."""
    if not diff:
        return label("x_same", lang)
    return label("x_more" if diff > 0 else "x_less", lang, amount=_money(abs(diff), lang))


def _statistic(value: Fraction | Decimal, lang: Lang) -> str:
    """A statistic's value or sum as written (an exact decimal): ``107 771``, ``30,5``."""
    value = Fraction(value)
    places = next((p for p in range(9) if (value * 10**p).denominator == 1), 8)
    return number_text(value, places, lang)


def _parts(x: Explanation, seg: SegmentStep, lang: Lang) -> str:
    """The equal, population and statistic parts of a weighted key's share, as sentences."""
    parts = []
    if x.key.equal:
        parts.append(label("x_part_equal", lang, equal=x.key.equal, n=seg.members,
                           equal_part=_pct(seg.equal_part, lang)))
    if x.key.population:
        parts.append(label("x_part_population", lang, weight=x.key.population,
                           value=integer(x.weight, lang), sigma=integer(seg.weight_sum, lang),
                           part=_pct(seg.population_part, lang)))
    parts += [label("x_part_statistic", lang, name=p.name, weight=p.percent,
                    value=_statistic(p.value, lang), sigma=_statistic(p.total, lang),
                    part=_pct(p.part, lang))
              for p in seg.statistic_parts]
    return " ".join(parts)


def _segment_parts(x: Explanation, seg: SegmentStep, lang: Lang) -> str:
    """A weighted key's terms in one segment: "equal part 10 % + population 10 % (Σ 400)"."""
    terms = ([label("x_segment_equal_part", lang, part=_pct(seg.equal_part, lang))]
             if x.key.equal else [])
    if x.key.population:
        terms.append(label("x_segment_part", lang, name=label("x_population_word", lang),
                           part=_pct(seg.population_part, lang),
                           sigma=integer(seg.weight_sum, lang)))
    terms += [label("x_segment_part", lang, name=p.name, part=_pct(p.part, lang),
                    sigma=_statistic(p.total, lang)) for p in seg.statistic_parts]
    return " + ".join(terms)


def explanation_text(x: Explanation, snapshot_file: str, lang: Lang) -> str:
    """The explanation as numbered steps a council member can follow."""
    from koordination.render.method import key_words
    alloc, plan = x.alloc, x.alloc.plan
    network = plan.network
    unit = plan.unit
    fine = 2 if unit >= 1 else 4  # decimals of exact amounts: two more than the unit's
    total = Fraction(alloc.total)
    if plan.is_party(x.code) or network.fee is not None:
        return _model_text(x, snapshot_file, lang)
    step = x.step
    steps: list[str] = [
        label("x_population", lang, name=x.name, population=integer(x.population, lang),
              date=x.population_date.isoformat(), file=snapshot_file),
    ]
    for stat in x.statistics:
        steps.append(label("x_statistic", lang, name=stat.name, gen=_genitive(x.name, lang),
                           value=_statistic(stat.values[x.code], lang),
                           date=stat.date.isoformat(), file=stat.source))
    if x.cap is not None and x.key.kind != "fixed":
        steps.append(label("x_cap" if x.capped else "x_cap_not_reached", lang, name=x.name,
                           cap=integer(x.cap, lang), weight=integer(x.weight, lang),
                           population=integer(x.population, lang)))
    steps.append(_total_step(x, lang))
    if plan.parties:
        parts = ", ".join(f"{m.name} {_fee(m.fee, unit, lang)}" for m in alloc.parties)
        steps.append(label("x_parties_first", lang, parts=parts,
                           rest=_fee(plan.municipal_rest(total), unit, lang)))
    segments = x.segments
    # the key's amount (before any limits: then the limits step gives the fee's exact amount)
    key_exact = sum((seg.amount for seg in segments), Fraction(0))
    if len(segments) == 1:
        seg = segments[0]
        values: dict[str, Any] = dict(
            name=x.name, gen=_genitive(x.name, lang), weight=integer(x.weight, lang),
            sigma=integer(seg.weight_sum, lang),
            n=seg.members, share=_pct(seg.share, lang), equal=x.key.equal,
            population=x.key.population, equal_part=_pct(seg.equal_part, lang),
            population_part=_pct(seg.population_part, lang),
            fixed=_shares(x.fixed_share, lang), fixed_sum=_shares(seg.fixed_sum, lang),
        )
        if x.key.kind == "weighted":
            values.update(words=key_words(x.key, lang), parts=_parts(x, seg, lang))
        steps.append(label(f"x_key_{x.key.kind}", lang, **values))
        factor = (f"{integer(x.weight, lang)} / {integer(seg.weight_sum, lang)}"
                  if x.key.kind == "population" else _pct(seg.share, lang))
        steps.append(label("x_exact_one", lang, total=_fee(plan.municipal_rest(total), unit,
                                                           lang), factor=factor,
                           exact=_money(key_exact, lang, fine)))
    else:
        steps.append(label(f"x_keyname_{x.key.kind}", lang, equal=x.key.equal,
                           population=x.key.population, gen=_genitive(x.name, lang),
                           fixed=_shares(x.fixed_share, lang), words=key_words(x.key, lang)))
        text = [label("x_segments", lang, count=len(segments), period_days=plan.period_days)]
        for seg in segments:
            if not seg.present:
                detail = label("x_segment_absent", lang, name=x.name)
            elif x.key.kind == "weighted":
                detail = label("x_segment_weighted", lang, parts=_segment_parts(x, seg, lang),
                               share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            elif x.key.kind == "equal_population":
                detail = label("x_segment_equal", lang, equal_part=_pct(seg.equal_part, lang),
                               population_part=_pct(seg.population_part, lang),
                               sigma=integer(seg.weight_sum, lang), share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            elif x.key.kind == "fixed":
                detail = label("x_segment_fixed", lang, fixed=_shares(x.fixed_share, lang),
                               fixed_sum=_shares(seg.fixed_sum, lang),
                               share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            else:
                detail = label("x_segment_population", lang, weight=integer(x.weight, lang),
                               sigma=integer(seg.weight_sum, lang), share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            text.append(label("x_segment", lang, start=seg.start.isoformat(),
                              end=seg.end.isoformat(), days=seg.days,
                              cost=_money(seg.cost, lang), members=seg.members, detail=detail))
        steps.append("\n".join(text))
        steps.append(label("x_exact_sum", lang, exact=_money(key_exact, lang, fine)))
    outcome = label("x_got_unit" if step.extra else "x_no_unit", lang, name=x.name,
                    extra=_fee(step.extra, unit, lang, sign="always"))
    n, left = len(x.rounding.steps), x.rounding.left_over
    left_key = "x_left_none" if left == 0 else "x_left_one" if left == 1 else "x_left_many"
    rounding = label(
        "x_rounding", lang, unit=_fee(Fraction(unit), unit, lang),
        truncated=_fee(step.truncated, unit, lang),
        remainder=_money(step.remainder, lang, fine),
        left_text=label(left_key, lang, n=n, left=left), n=n, gen=_genitive(x.name, lang),
        rank=_ordinal(step.rank, lang), outcome=outcome,
    )
    if step.tie:
        rounding += label("x_tie", lang)
    if x.rounding.each:
        rounding = label("x_rounding_each", lang, unit=_fee(Fraction(unit), unit, lang),
                         exact=_money(x.exact, lang, fine), fee=_fee(x.fee, unit, lang),
                         sum=_fee(alloc.fee_sum, unit, lang), total=_fee(total, unit, lang),
                         difference=_fee(alloc.rounding_difference, unit, lang, sign="always"))
    if alloc.limits is not None and x.code in alloc.limits.bounds:
        steps.append(_limits_step(x, lang))
    steps.append(rounding)
    if x.plain_exact is not None and x.key.kind == "weighted":
        steps.append(label("x_effect_weighted", lang, plain=_money(x.plain_exact, lang),
                           name=x.name, difference=_difference(x.plain_difference, lang)))
    elif x.plain_exact is not None and x.key.kind == "equal_population":
        steps.append(label("x_effect_equal", lang, plain=_money(x.plain_exact, lang),
                           name=x.name, difference=_difference(x.plain_difference, lang)))
    elif x.plain_exact is not None and x.capped:
        steps.append(label("x_effect_cap", lang, plain=_money(x.plain_exact, lang), name=x.name,
                           difference=_difference(x.plain_difference, lang)))
    if x.uncapped_exact is not None and x.capped:
        steps.append(label("x_effect_cap", lang, plain=_money(x.uncapped_exact, lang),
                           name=x.name,
                           difference=_difference(x.uncapped_difference, lang)))
    # the rounding adjustment as the operator of a sum: "42 348,75 kr + 0,25 kr"
    adjustment = (("+ " if step.adjustment >= 0 else "\u2212 ")
                  + _money(abs(step.adjustment), lang, fine))
    steps.append(label("x_fee", lang, exact=_money(x.exact, lang, fine), adjustment=adjustment,
                       fee=_fee(x.fee, unit, lang), total=_fee(total, unit, lang),
                       percent=percent(x.percent, lang)))
    return _numbered(x, steps, lang)


def _total_step(x: Explanation, lang: Lang) -> str:
    """The amount the members share: the budget, less any funding, rounded to the unit."""
    alloc, unit = x.alloc, x.alloc.plan.unit
    total_key = "x_total" if alloc.budget.funding else "x_total_plain"
    return label(total_key, lang, gross=_money(alloc.gross, lang),
                 funding=_money(alloc.funding_total, lang),
                 total=_fee(Fraction(alloc.total), unit, lang),
                 unit=_fee(Fraction(unit), unit, lang))


def _numbered(x: Explanation, steps: list[str], lang: Lang) -> str:
    """The heading, then ``steps`` numbered, with what was carried from the year before as
    the last step."""
    alloc, unit = x.alloc, x.alloc.plan.unit
    if x.carried:
        steps.append(label("x_carried", lang, prev=alloc.year - 1,
                           carried=_fee(x.carried, unit, lang, sign="always"),
                           amount=_fee(x.amount, unit, lang)))
    lines = _header(x, lang)
    lines += [f"{i}. {item}" for i, item in enumerate(steps, start=1)]
    return "\n".join(lines)


def _header(x: Explanation, lang: Lang) -> list[str]:
    alloc, plan = x.alloc, x.alloc.plan
    unit = plan.unit
    return [
        label("x_title", lang, name=x.name, fee=_fee(x.amount, unit, lang),
              network=plan.network.name, year=alloc.year),
        "",
        label("x_answer", lang, name=x.name, fee=_fee(x.amount, unit, lang), year=alloc.year,
              start=plan.start.isoformat(), end=plan.end.isoformat(), days=plan.period_days,
              member="" if x.days == plan.period_days else
              label("x_member_days", lang, name=x.name, days=x.days)),
        "",
    ]


def _model_text(x: Explanation, snapshot_file: str, lang: Lang) -> str:
    """The steps to a party's fixed part, or to a fee set by a rate or by bands
    (reference 13)."""
    alloc, plan = x.alloc, x.alloc.plan
    unit = plan.unit
    total = Fraction(alloc.total)
    fee = next(m for m in alloc.members if m.code == x.code)
    steps: list[str] = []
    if plan.is_party(x.code):
        steps.append(_total_step(x, lang))
        share = plan.parties[x.code] * 100
        steps.append(label("x_party", lang, name=x.name, share=_statistic(share, lang),
                           total=_fee(total, unit, lang), exact=_money(fee.exact, lang),
                           unit=_fee(Fraction(unit), unit, lang),
                           fee=_fee(fee.fee, unit, lang)))
        steps.append(label("x_party_rest", lang,
                           rest=_fee(plan.municipal_rest(total), unit, lang)))
    else:
        rate = plan.network.fee
        assert rate is not None and fee.yearly is not None
        steps.append(label("x_population", lang, name=x.name,
                           population=integer(x.population, lang),
                           date=x.population_date.isoformat(), file=snapshot_file))
        for name in rate.statistic_names:
            stat = plan.statistics[name]
            steps.append(label("x_statistic", lang, name=name, gen=_genitive(x.name, lang),
                               value=_statistic(stat.values[x.code], lang),
                               date=stat.date.isoformat(), file=stat.source))
        yearly = _fee(fee.yearly, unit, lang) if fee.yearly.denominator == 1 else \
            _money(fee.yearly, lang)
        if rate.bands:
            from koordination.core.fees import band_of

            band = band_of(x.population, rate.bands)
            limits = [b.below for b in rate.bands if b.below is not None]
            steps.append(label("x_band" if band.below is not None else "x_band_last", lang,
                               population=integer(x.population, lang),
                               below=integer(band.below or limits[-1] if limits else 0, lang),
                               amount=yearly))
        else:
            terms: list[str] = []
            if rate.per_inhabitant or rate.max_inhabitants is not None:
                counted = (x.population if rate.max_inhabitants is None
                           else min(x.population, rate.max_inhabitants))
                key = "x_rate_capped" if counted != x.population else "x_rate_inhabitants"
                terms.append(label(key, lang, rate=_fee(rate.per_inhabitant, unit, lang),
                                   counted=integer(counted, lang),
                                   cap=integer(rate.max_inhabitants or 0, lang),
                                   population=integer(x.population, lang)))
            for name, per_unit in rate.per_unit:
                terms.append(label("x_rate_unit", lang, rate=_fee(per_unit, unit, lang),
                                   value=_statistic(plan.statistics[name].values[x.code], lang),
                                   name=name))
            if rate.base:
                terms.append(label("x_rate_base", lang, base=_fee(rate.base, unit, lang)))
            steps.append(label("x_rate", lang, terms=" + ".join(terms), yearly=yearly))
        steps.append(label("x_rate_days", lang, days=x.days, year_days=alloc.budget.year_days,
                           yearly=yearly, exact=_money(fee.exact, lang),
                           unit=_fee(Fraction(unit), unit, lang),
                           fee=_fee(fee.fee, unit, lang)))
        steps.append(label("x_rate_total", lang, n=len(alloc.members),
                           total=_fee(total, unit, lang), name=x.name,
                           percent=percent(fee.percent, lang)))
    return _numbered(x, steps, lang)


def _limits_step(x: Explanation, lang: Lang) -> str:
    """How ``limits:`` bounded the member's fee (reference 13)."""
    alloc, plan = x.alloc, x.alloc.plan
    limited = alloc.limits
    assert limited is not None
    unit = plan.unit
    bounds = limited.bounds[x.code]
    none = label("x_limits_none", lang)
    held = limited.held.get(x.code)
    outcome = (label(f"x_limits_held_{held}", lang, name=x.name, fee=_fee(x.fee, unit, lang))
               if held else label("x_limits_free", lang))
    return label(
        "x_limits", lang, name=x.name,
        base=_fee(limited.limits.base_per_member, unit, lang),
        share=_pct(limited.share[x.code], lang), c=_money(limited.c, lang),
        free=_money(limited.free(x.code), lang),
        lower=none if bounds.lower is None else _fee(bounds.lower, unit, lang),
        upper=none if bounds.upper is None else _fee(bounds.upper, unit, lang),
        last="" if bounds.last is None else label("x_limits_last", lang,
                                                  last=_fee(bounds.last, unit, lang)),
        outcome=outcome)
