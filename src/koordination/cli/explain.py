"""``kn explain YEAR KOMMUN``: every step from the inputs to one member's fee."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from koordination.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    Language,
    YearArgument,
    reports_errors,
)
from koordination.core.errors import KnError

if TYPE_CHECKING:
    from koordination.core.allocation import Allocation
    from koordination.core.explain import Explanation
    from koordination.render.labels import Lang

KommunArgument = Annotated[
    str, typer.Argument(help="The member, by name or SCB code, e.g. Vallentuna or 0115.")
]


PlanOption = Annotated[
    bool, typer.Option("--plan", help="Explain the fee of YEAR and of each plan year after it "
                       "(see kn plan).")
]
YearsOption = Annotated[
    int, typer.Option("--years", help="With --plan: how many plan years (1-5).")
]


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_command)


@reports_errors
def explain_command(
    year: YearArgument,
    kommun: KommunArgument,
    data: DataOption = None,
    as_json: JsonOption = False,
    lang: LangOption = Language.sv,
    plan: PlanOption = False,
    years: YearsOption = 2,
) -> None:
    """Explain one member's fee for YEAR: population, key, segments, exact amount, rounding."""
    if plan:
        explain_plan(year, kommun, data, years, lang.code, as_json)
        return
    from koordination.core.explain import explain
    from koordination.io.datadir import DataDir
    from koordination.jobs.allocation import run_allocation

    data_dir = DataDir.resolve(data)
    run = run_allocation(data_dir, year)
    code = find_member(run.allocation, kommun)
    result = explain(run.allocation, code)
    if as_json:
        from koordination.render.terminal import json_text

        sys.stdout.write(json_text(json.dumps(explanation_json(result), ensure_ascii=False)) + "\n")
        return
    from koordination.render.terminal import clean

    sys.stdout.write(clean(explanation_text(result, str(run.snapshot_path), lang.value)) + "\n")


def explain_plan(year: int, kommun: str, data: Path | None, years: int, lang: Lang,
                 as_json: bool = False) -> None:
    """How one member's fee follows in the budget year and each plan year."""
    if not 1 <= years <= 5:
        raise typer.BadParameter(f"{years} is outside 1-5; a plan covers one to five years "
                                 "after the budget year", param_hint="'--years'")
    from koordination.io.datadir import DataDir
    from koordination.jobs.plan import run_plan
    from koordination.render.terminal import clean
    from koordination.render.text.plan import plan_explanation

    run = run_plan(DataDir.resolve(data), year, years)
    code = None
    for plan_year in run.plan.years:
        try:
            code = find_member(plan_year.allocation, kommun)
            break
        except KnError:
            if plan_year is run.plan.years[-1]:
                raise
    assert code is not None
    if as_json:
        from koordination.render.json import plan_explanation_json
        from koordination.render.terminal import json_text

        text = json.dumps(plan_explanation_json(run.plan, code), ensure_ascii=False)
        sys.stdout.write(json_text(text) + "\n")
        return
    sys.stdout.write(clean(plan_explanation(run.plan, code, lang)) + "\n")


def find_member(alloc: Allocation, given: str) -> str:
    """The code of the member ``given`` names, or a one-line error with suggestions."""
    from koordination.core.errors import DataError, Problem
    from koordination.core.explain import nearest
    from koordination.core.municipalities import UnknownMunicipality, lookup

    network = alloc.plan.network
    try:
        muni = lookup(given)
    except UnknownMunicipality as err:
        names = [m.name for m in alloc.members]
        close = nearest(names, given) or err.suggestions
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise DataError(Problem(f"unknown municipality '{given}'{hint}", None, "KOMMUN")) from None
    if any(m.code == muni.code for m in alloc.members):
        return muni.code
    names = [m.name for m in alloc.members]
    if network.member(muni.code) is not None:
        reason = f"{muni.name} has no day as a member of {network.name} in {alloc.year}"
    else:
        reason = f"{muni.name} is not a member of {network.name}"
    hint = f"the members in {alloc.year} are {', '.join(names)}"
    raise DataError(Problem(f"{reason}; {hint}", None, "KOMMUN"))


# Numbers in text: Swedish "49 777,32 kr" and "5,5002 %"; English "49,777.32 kr", "5.5002 %".
NBSP = "\u00a0"


def _number(value: Decimal, places: int, lang: Lang) -> str:
    text = f"{value:,.{places}f}"
    if lang == "sv":
        text = text.replace(",", NBSP).replace(".", ",")
    return text.replace("-", "−")


def _money(value: Fraction | Decimal, lang: Lang, places: int = 2) -> str:
    from koordination.core.money import to_decimal

    return _number(to_decimal(Fraction(value), places), places, lang) + NBSP + "kr"


def _fee(value: Decimal | Fraction, unit: Decimal, lang: Lang) -> str:
    return _money(value, lang, 0 if unit >= 1 else 2)


def _signed(value: Fraction | Decimal, unit: Decimal, lang: Lang) -> str:
    return ("+" if value >= 0 else "−") + _fee(abs(Fraction(value)), unit, lang)


def _int(value: int, lang: Lang) -> str:
    return _number(Decimal(value), 0, lang)


def _pct(value: Fraction, lang: Lang, places: int = 4) -> str:
    from koordination.core.money import to_decimal

    return _number(to_decimal(value * 100, places), places, lang) + NBSP + "%"


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


def _difference(plain: Fraction, exact: Fraction, lang: Lang) -> str:
    from koordination.render.labels import label

    diff = exact - plain
    if diff == 0:
        return label("x_same", lang)
    return label("x_more" if diff > 0 else "x_less", lang, amount=_money(abs(diff), lang))


def explanation_text(x: Explanation, snapshot_file: str, lang: Lang) -> str:
    """The explanation as numbered steps a council member can follow."""
    from koordination.render.labels import label
    from koordination.render.method import key_words

    alloc, plan = x.alloc, x.alloc.plan
    network = plan.network
    unit = plan.unit
    fine = 2 if unit >= 1 else 4  # decimals of exact amounts: two more than the unit's
    total = Fraction(alloc.total)
    step = x.step
    lines = [
        label("x_title", lang, name=x.name, fee=_fee(x.amount, unit, lang), network=network.name,
              year=alloc.year),
        "",
        label("x_answer", lang, name=x.name, fee=_fee(x.amount, unit, lang), year=alloc.year,
              start=plan.start.isoformat(), end=plan.end.isoformat(), days=plan.period_days,
              member="" if x.days == plan.period_days else
              label("x_member_days", lang, name=x.name, days=x.days)),
        "",
    ]
    steps: list[str] = [
        label("x_population", lang, name=x.name, population=_int(x.population, lang),
              date=x.population_date.isoformat(), file=snapshot_file),
    ]
    for stat in x.statistics:
        steps.append(label("x_statistic", lang, name=stat.name, gen=_genitive(x.name, lang),
                           value=_decimal(stat.values[x.code], lang),
                           date=stat.date.isoformat(), file=stat.source))
    if x.cap is not None and x.key.kind != "fixed":
        steps.append(label("x_cap" if x.capped else "x_cap_not_reached", lang, name=x.name,
                           cap=_int(x.cap, lang), weight=_int(x.weight, lang),
                           population=_int(x.population, lang)))
    total_key = "x_total" if alloc.budget.funding else "x_total_plain"
    steps.append(label(total_key, lang, gross=_money(alloc.gross, lang),
                       funding=_money(alloc.funding_total, lang), total=_fee(total, unit, lang),
                       unit=_fee(Fraction(unit), unit, lang)))
    segments = x.segments
    if len(segments) == 1:
        seg = segments[0]
        values: dict[str, Any] = dict(
            name=x.name, gen=_genitive(x.name, lang), weight=_int(x.weight, lang),
            sigma=_int(seg.weight_sum, lang),
            n=seg.members, share=_pct(seg.share, lang), equal=x.key.equal,
            population=x.key.population, equal_part=_pct(seg.equal_part, lang),
            population_part=_pct(seg.population_part, lang), fixed=x.fixed_share,
            fixed_sum=seg.fixed_sum if seg.fixed_sum.denominator == 1 else
            _number(Decimal(seg.fixed_sum.numerator) / seg.fixed_sum.denominator, 4, lang),
        )
        if x.key.kind == "weighted":
            values.update(words=key_words(x.key, lang), parts=_parts(x, seg, lang))
        steps.append(label(f"x_key_{x.key.kind}", lang, **values))
        factor = (f"{_int(x.weight, lang)} / {_int(seg.weight_sum, lang)}"
                  if x.key.kind == "population" else _pct(seg.share, lang))
        steps.append(label("x_exact_one", lang, total=_fee(total, unit, lang), factor=factor,
                           exact=_money(x.exact, lang, fine)))
    else:
        steps.append(label(f"x_keyname_{x.key.kind}", lang, equal=x.key.equal,
                           population=x.key.population, gen=_genitive(x.name, lang),
                           fixed=x.fixed_share, words=key_words(x.key, lang)))
        text = [label("x_segments", lang, count=len(segments), period_days=plan.period_days)]
        for seg in segments:
            if not seg.present:
                detail = label("x_segment_absent", lang, name=x.name)
            elif x.key.kind == "weighted":
                terms = ([label("x_segment_equal_part", lang, part=_pct(seg.equal_part, lang))]
                         if x.key.equal else [])
                terms += ([label("x_segment_part", lang, name=label("x_population_word", lang),
                                part=_pct(seg.population_part, lang),
                                sigma=_int(seg.weight_sum, lang))] if x.key.population else [])
                terms += [label("x_segment_part", lang, name=p.name, part=_pct(p.part, lang),
                                sigma=_decimal_fraction(p.total, lang))
                          for p in seg.statistic_parts]
                detail = label("x_segment_weighted", lang, parts=" + ".join(terms),
                               share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            elif x.key.kind == "equal_population":
                detail = label("x_segment_equal", lang, equal_part=_pct(seg.equal_part, lang),
                               population_part=_pct(seg.population_part, lang),
                               sigma=_int(seg.weight_sum, lang), share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            elif x.key.kind == "fixed":
                detail = label("x_segment_fixed", lang, fixed=x.fixed_share,
                               fixed_sum=seg.fixed_sum, share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            else:
                detail = label("x_segment_population", lang, weight=_int(x.weight, lang),
                               sigma=_int(seg.weight_sum, lang), share=_pct(seg.share, lang),
                               amount=_money(seg.amount, lang, fine))
            text.append(label("x_segment", lang, start=seg.start.isoformat(),
                              end=seg.end.isoformat(), days=seg.days,
                              cost=_money(seg.cost, lang), members=seg.members, detail=detail))
        steps.append("\n".join(text))
        steps.append(label("x_exact_sum", lang, exact=_money(x.exact, lang, fine)))
    outcome = label("x_got_unit" if step.extra else "x_no_unit", lang, name=x.name,
                    extra=_signed(step.extra, unit, lang))
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
        difference = alloc.rounding_difference
        rounding = label("x_rounding_each", lang, unit=_fee(Fraction(unit), unit, lang),
                         exact=_money(x.exact, lang, fine), fee=_fee(x.fee, unit, lang),
                         sum=_fee(alloc.fee_sum, unit, lang), total=_fee(total, unit, lang),
                         difference=("+" if difference > 0 else "")
                         + _fee(difference, unit, lang))
    steps.append(rounding)
    if x.plain_exact is not None and x.key.kind == "weighted":
        steps.append(label("x_effect_weighted", lang, plain=_money(x.plain_exact, lang),
                           name=x.name, difference=_difference(x.plain_exact, x.exact, lang)))
    elif x.plain_exact is not None and x.key.kind == "equal_population":
        steps.append(label("x_effect_equal", lang, plain=_money(x.plain_exact, lang),
                           name=x.name, difference=_difference(x.plain_exact, x.exact, lang)))
    elif x.plain_exact is not None and x.capped:
        steps.append(label("x_effect_cap", lang, plain=_money(x.plain_exact, lang), name=x.name,
                           difference=_difference(x.plain_exact, x.exact, lang)))
    if x.uncapped_exact is not None and x.capped:
        steps.append(label("x_effect_cap", lang, plain=_money(x.uncapped_exact, lang),
                           name=x.name, difference=_difference(x.uncapped_exact, x.exact, lang)))
    adjustment = (("+ " if step.adjustment >= 0 else "− ")
                  + _money(abs(step.adjustment), lang, fine))
    steps.append(label("x_fee", lang, exact=_money(x.exact, lang, fine), adjustment=adjustment,
                       fee=_fee(x.fee, unit, lang), total=_fee(total, unit, lang),
                       percent=_number(x.percent, 2, lang) + NBSP + "%"))
    if x.carried:
        steps.append(label("x_carried", lang, prev=alloc.year - 1,
                           carried=_signed(x.carried, unit, lang),
                           amount=_fee(x.amount, unit, lang)))
    for i, item in enumerate(steps, start=1):
        lines.append(f"{i}. {item}")
    return "\n".join(lines)


def _decimal(value: Decimal, lang: Lang) -> str:
    """A statistic's value as written, with the grouping and decimal sign of ``lang``."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _number(value, places, lang)


def _decimal_fraction(value: Fraction, lang: Lang) -> str:
    """A sum of statistic values (an exact decimal) as text."""
    from koordination.core.money import to_decimal

    for places in range(0, 9):
        if (value * 10**places).denominator == 1:
            return _number(to_decimal(value, places), places, lang)
    return _number(to_decimal(value, 8), 8, lang)


def _parts(x: Explanation, seg: Any, lang: Lang) -> str:
    """The population part and each statistic's part of a weighted key, as sentences."""
    from koordination.render.labels import label

    parts = []
    if x.key.equal:
        parts.append(label("x_part_equal", lang, equal=x.key.equal, n=seg.members,
                           equal_part=_pct(seg.equal_part, lang)))
    if x.key.population:
        parts.append(label("x_part_population", lang, weight=x.key.population,
                           value=_int(x.weight, lang), sigma=_int(seg.weight_sum, lang),
                           part=_pct(seg.population_part, lang)))
    parts += [label("x_part_statistic", lang, name=p.name, weight=p.percent,
                    value=_decimal_fraction(p.value, lang),
                    sigma=_decimal_fraction(p.total, lang), part=_pct(p.part, lang))
              for p in seg.statistic_parts]
    return " ".join(parts)


def _fraction(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 \
        else str(value.numerator)


def explanation_json(x: Explanation) -> dict[str, Any]:
    """The explanation as plain data; amounts formatted as in ``kn allocate --json``."""
    from koordination.core.money import plain_money as money
    from koordination.render.json import two

    alloc, plan = x.alloc, x.alloc.plan
    unit = plan.unit
    step = x.step

    def fine(value: Fraction) -> str:  # two decimals, four when rounding to öre
        from koordination.core.money import to_decimal

        return two(value) if unit >= 1 else f"{to_decimal(value, 4)}"

    key: dict[str, Any] = {"kind": x.key.kind}
    if x.key.kind == "equal_population":
        key.update(equal=str(x.key.equal), population=str(x.key.population))
    if x.key.kind == "weighted":
        key.update(equal=str(x.key.equal), population=str(x.key.population),
                   statistics={name: str(w) for name, w in x.key.statistics})
    return {
        "network": plan.network.name,
        "year": alloc.year,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat(),
                   "days": plan.period_days},
        "kommunkod": x.code,
        "kommun": x.name,
        "population": x.population,
        "population_date": x.population_date.isoformat(),
        "population_cap": x.cap,
        "weight": x.weight,
        "key": key,
        "fixed_share": None if x.fixed_share is None else str(x.fixed_share),
        "total": money(alloc.total, unit),
        "segments": [
            {
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "days": s.days,
                "cost": two(s.cost),
                "members": s.members,
                "weight_sum": s.weight_sum,
                "member": s.present,
                "share": _fraction(s.share),
                "share_percent": f"{_pct_plain(s.share)}",
                "equal_part": _fraction(s.equal_part),
                "population_part": _fraction(s.population_part),
                **({"statistic_parts": {
                    p.name: {"value": two(p.value) if p.value.denominator != 1
                             else str(p.value.numerator),
                             "sum": two(p.total) if p.total.denominator != 1
                             else str(p.total.numerator),
                             "part": _fraction(p.part)}
                    for p in s.statistic_parts}} if x.key.kind == "weighted" else {}),
                "amount": two(s.amount),
            }
            for s in x.segments
        ],
        "days": x.days,
        "exact": two(x.exact),
        "rounding": {
            "unit": money(unit, unit) if unit >= 1 else f"{unit}",
            "truncated": money(Decimal(step.truncated.numerator) / step.truncated.denominator,
                               unit),
            "remainder": fine(step.remainder),
            "rank": step.rank,
            "members": len(x.rounding.steps),
            "left_over": x.rounding.left_over,
            "extra": money(Decimal(step.extra.numerator) / step.extra.denominator, unit),
            "tie": step.tie,
            "adjustment": fine(step.adjustment),
        },
        "without_equal_part_or_cap_exact": None if x.plain_exact is None else two(x.plain_exact),
        "without_cap_exact": None if x.uncapped_exact is None else two(x.uncapped_exact),
        **({"statistics": {s.name: {"value": str(s.values[x.code]),
                                    "date": s.date.isoformat()} for s in x.statistics}}
           if x.statistics else {}),
        "fee": money(x.fee, unit),
        "carried": money(x.carried, unit),
        "amount": money(x.amount, unit),
        "percent": f"{x.percent}",
    }


def _pct_plain(value: Fraction) -> str:
    from koordination.core.money import to_decimal

    return f"{to_decimal(value * 100, 4)}"
